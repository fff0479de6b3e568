"""Prizes shared within tie groups: the worked example of docs/rewards.md ("Ties"), and the
rule's checks on the groups it is given."""

import dataclasses

import pytest

from oracle.errors import InvalidRewardInputs
from oracle.rewards import compute_rewards
from oracle.rewards.report import inputs_digest
from oracle.rewards.tie_sharing import share_tied_prizes
from oracle.types import SubmissionId
from tests.oracle.rewards.test_rewards_worked_example import ALICE, BOB, CAROL, DAVE, EXAMPLE

TIED = dataclasses.replace(EXAMPLE, prize_tie_groups=((SubmissionId(3), SubmissionId(1)),))


def test_the_worked_example_with_carol_and_alice_tied() -> None:
    report = compute_rewards(TIED)
    prizes = {s.submission_id: (s.prize_rank, s.prize_award) for s in report.submissions}
    assert prizes[5] == (1, 12_001)  # Bob alone in group 1
    assert prizes[3] == (2, 7_500) and prizes[1] == (3, 7_500)  # (9 000 + 6 000) / 2
    carol = next(s for s in report.submissions if s.submission_id == 3)
    assert carol.passed_to_parents == 4_500 and carol.final == 18_002
    leaves = {leaf.account: leaf.amount for leaf in report.leaves}
    assert leaves == {ALICE: 32_001, BOB: 42_004, CAROL: 18_002, DAVE: 5_000}
    assert report.total == 97_007 and report.unassigned == 3_003


def test_without_groups_the_rule_and_its_digest_are_unchanged() -> None:
    plain = compute_rewards(EXAMPLE)
    assert plain.inputs_digest == inputs_digest(EXAMPLE)
    assert "prize_tie_groups" not in plain.to_json()
    assert compute_rewards(TIED).inputs_digest != plain.inputs_digest
    assert {leaf.account: leaf.amount for leaf in plain.leaves}[ALICE] == 30_801


def test_an_unranked_member_shares_and_the_remainder_stays_unassigned() -> None:
    prizes = {SubmissionId(1): (1, 100), SubmissionId(2): (2, 51)}
    shared = share_tied_prizes(prizes, ((SubmissionId(1), SubmissionId(2), SubmissionId(9)),))
    assert shared == {1: (1, 50), 2: (2, 50), 9: (None, 50)}  # 151 // 3; 1 unit unassigned


@pytest.mark.parametrize(
    ("groups", "message"),
    [
        (((3,),), "fewer than two"),
        (((3, 4),), "not a valid submission"),
        (((3, 1), (1, 5)), "more than one tie group"),
    ],
)
def test_bad_groups_are_refused(groups: tuple[tuple[int, ...], ...], message: str) -> None:
    with pytest.raises(InvalidRewardInputs, match=message):
        dataclasses.replace(EXAMPLE, prize_tie_groups=groups)
