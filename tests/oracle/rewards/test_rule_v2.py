"""Reward rule v2 (issue 15): rule v1 on the corrected scores, plus the compensation the spec
declares for submissions that lose a prize rank through a correction: docs/rewards.md's
worked example, computed here."""

from dataclasses import replace

from oracle.rewards import Direction, RewardInputs, compute_rewards
from oracle.rewards.rule_v2 import compute_rewards_v2
from oracle.types import ChallengeId, PhaseIndex
from tests.oracle.rewards.test_rewards_rule import A, B, C, sub, wad


def _inputs(a: int, b: int, c: int) -> RewardInputs:
    """The test rule's phase (docs/rewards.md's example) with A, B, C's submissions 1, 2, 3
    scored a, b, c thousandths."""
    return RewardInputs(
        challenge_id=ChallengeId(1), phase=PhaseIndex(0), bounty=10_000, improvement_bps=6_000,
        prize_bps=3_000, review_bps=1_000, prize_ranks_bps=(6_000, 4_000),
        review_cap_per_reviewer=2, fork_share_bps=2_000, direction=Direction.HIGHER,
        baseline=wad(500), target=wad(800), eta=wad(10), escrow_left=10_000,
        submissions=(sub(1, A, 10, a), sub(2, B, 11, b), sub(3, C, 12, c)),
    )  # fmt: skip


def test_the_worked_example_compensates_the_two_who_lost_a_prize_rank() -> None:
    before, after = _inputs(700, 650, 600), _inputs(700, 600, 720)
    report = compute_rewards_v2(after, before, 500)
    assert report.rule_version == "2"
    paid = {c.submission_id: (c.old_prize_rank, c.new_prize_rank, c.lost, c.award)
            for c in report.compensations}  # fmt: skip
    # A: rank 1 (1,800) -> rank 2 (1,200), lost 600; B: rank 2 (1,200) -> none, lost 1,200;
    # the pool of 5% = 500 is shared 1:2 and rounded down.
    assert paid == {1: (1, 2, 600, 166), 2: (2, None, 1_200, 333)}
    v1_rest = compute_rewards(replace(after, bounty=9_500))
    owed = {leaf.account: leaf.amount for leaf in report.leaves}
    rest = {leaf.account: leaf.amount for leaf in v1_rest.leaves}
    assert owed[A] == rest.get(A, 0) + 166 and owed[B] == rest.get(B, 0) + 333
    assert owed[C] == rest[C]
    assert report.total == v1_rest.total + 499 and report.unassigned == 10_000 - report.total
    assert '"compensations"' in report.to_json()


def test_without_a_lost_prize_rank_v2_pays_exactly_v1() -> None:
    same, better_for_all = _inputs(700, 650, 600), _inputs(710, 660, 600)
    report = compute_rewards_v2(better_for_all, same, 500)
    assert report.compensations == ()
    assert report.leaves == compute_rewards(better_for_all).leaves
    assert compute_rewards_v2(same, None, 500).leaves == compute_rewards(same).leaves
    assert '"compensations"' not in compute_rewards(same).to_json(), "v1 reports unchanged"
