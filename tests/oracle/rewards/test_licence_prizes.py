"""Prizes only for open licences when the spec asks: the worked example of docs/rewards.md
with Bob's winning submission under a licence that is not open."""

import dataclasses

from oracle.rewards import compute_rewards
from oracle.rewards.report import inputs_digest
from oracle.types import SubmissionId
from tests.oracle.rewards.test_rewards_worked_example import EXAMPLE

CLOSED = dataclasses.replace(EXAMPLE, prize_ineligible=(SubmissionId(5),))


def prizes(inputs: object) -> dict[int, tuple[int | None, int]]:
    report = compute_rewards(inputs)  # type: ignore[arg-type]
    return {s.submission_id: (s.prize_rank, s.prize_award) for s in report.submissions}


def test_a_closed_licence_gives_up_its_prize_and_the_next_entries_move_up() -> None:
    before, after = prizes(EXAMPLE), prizes(CLOSED)
    assert before[5][0] == 1 and after[5] == (None, 0)
    # Carol (800) first, then Bob's open entry (755), then Alice (750)
    assert (after[3][0], after[2][0], after[1][0]) == (1, 2, 3)
    assert after[3][1] == before[5][1]  # the first rank's amount, now Carol's
    closed = {s.submission_id: s.improvement_award for s in compute_rewards(CLOSED).submissions}
    plain = {s.submission_id: s.improvement_award for s in compute_rewards(EXAMPLE).submissions}
    assert closed == plain and closed[5] > 0  # improvement awards are not prizes


def test_without_closed_entries_the_digest_is_unchanged() -> None:
    assert "prize_ineligible" not in compute_rewards(EXAMPLE).to_json()
    assert '"prize_ineligible":["5"]' in compute_rewards(CLOSED).to_json()
    assert inputs_digest(CLOSED) != inputs_digest(EXAMPLE)
