"""Reward rule v1, one behaviour at a time: pools, improvements, prizes, reviews, forks, escrow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from oracle.errors import RewardsExceedEscrow
from oracle.rewards import (
    Direction,
    ParentRef,
    Review,
    RewardInputs,
    RewardReport,
    SubmissionRecord,
    compute_rewards,
)
from oracle.rewards.report import ReviewStatus, SubmissionAward
from oracle.types import WAD, Address, ChallengeId, PhaseIndex, SubmissionId, Wad

A, B, C, D, E = (Address("0x" + digit * 40) for digit in "12345")


def wad(milli: int) -> Wad:
    return Wad(milli * WAD // 1000)


def sub(
    sid: int,
    who: Address,
    block: int,
    milli: int | None,
    parents: Sequence[ParentRef] = (),
    weights: Sequence[int] = (),
) -> SubmissionRecord:
    """A submission scored `milli`/1000 (None: invalid)."""
    return SubmissionRecord(
        submission_id=SubmissionId(sid),
        submitter=who,
        challenge_id=ChallengeId(1),
        commit_block=block,
        valid=milli is not None,
        private_score=None if milli is None else wad(milli),
        parents=tuple(parents),
        weights_ppm=tuple(weights),
    )


def parent(sid: int, who: Address, milli: int | None = None) -> ParentRef:
    return ParentRef(SubmissionId(sid), who, None if milli is None else wad(milli))


def run(
    submissions: Sequence[SubmissionRecord] = (),
    reviews: Sequence[Review] = (),
    **overrides: Any,
) -> RewardReport:
    fields: dict[str, Any] = {
        "challenge_id": ChallengeId(1),
        "phase": PhaseIndex(0),
        "bounty": 10_000,
        "improvement_bps": 6_000,
        "prize_bps": 3_000,
        "review_bps": 1_000,
        "prize_ranks_bps": (6_000, 4_000),
        "review_cap_per_reviewer": 2,
        "fork_share_bps": 2_000,
        "direction": Direction.HIGHER,
        "baseline": wad(500),
        "target": wad(800),
        "eta": wad(10),
        "escrow_left": 10_000,
        "submissions": tuple(submissions),
        "reviews": tuple(reviews),
    }
    fields.update(overrides)
    return compute_rewards(RewardInputs(**fields))


def by_id(report: RewardReport) -> dict[int, SubmissionAward]:
    return {award.submission_id: award for award in report.submissions}


def owed(report: RewardReport) -> dict[str, int]:
    return {leaf.account: leaf.amount for leaf in report.leaves}


def test_pool_rounding_remainder_joins_the_improvement_pool() -> None:
    report = run(
        bounty=10_009, escrow_left=10_009, improvement_bps=3_333, prize_bps=3_333, review_bps=3_334
    )
    assert (report.pools.improvement, report.pools.prize, report.pools.review) == (3337, 3335, 3337)


def test_improvement_rounding_is_carried_so_reaching_the_target_pays_the_whole_pool() -> None:
    report = run([sub(1, A, 1, 600), sub(2, B, 2, 700), sub(3, C, 3, 800)], bounty=10_001)
    assert report.pools.improvement == 6_001
    awards = by_id(report)
    assert [awards[i].improvement_award for i in (1, 2, 3)] == [2_000, 2_000, 2_001]
    assert report.paid.improvement == 6_001


def test_gain_stops_at_the_target_and_nothing_is_left_after_it() -> None:
    report = run([sub(1, A, 1, 950), sub(2, B, 2, 990)])
    awards = by_id(report)
    assert awards[1].improvement_award == 6_000
    assert awards[2].improvement_award == 0


def test_lower_is_better_measures_gains_downwards() -> None:
    report = run(
        [sub(1, A, 1, 750), sub(2, B, 2, 800)],
        direction=Direction.LOWER,
        baseline=wad(1_000),
        target=wad(500),
    )
    awards = by_id(report)
    assert awards[1].improvement_award == 3_000
    assert awards[2].improvement_award == 0


def test_a_gain_below_eta_earns_nothing_and_leaves_the_running_best() -> None:
    report = run([sub(1, A, 1, 600), sub(2, B, 2, 605), sub(3, C, 3, 610), sub(4, D, 4, None)])
    awards = by_id(report)
    assert awards[1].improvement_award == 2_000
    assert awards[2].improvement_award == 0
    assert awards[3].improvement_award == 200  # exactly eta above 0.600 counts
    assert awards[4].improvement_award == 0


def test_commit_order_decides_the_running_best_not_submission_id() -> None:
    report = run([sub(9, A, 1, 700), sub(2, B, 2, 700)])
    assert by_id(report)[9].improvement_award == 4_000
    assert by_id(report)[2].improvement_award == 0


def test_prizes_go_to_each_address_best_and_ties_go_to_the_earlier_commit() -> None:
    report = run(
        [sub(1, A, 1, 700), sub(2, A, 2, 750), sub(3, B, 3, 750), sub(4, C, 4, 600)],
        prize_ranks_bps=(5_000, 3_000, 1_500, 500),
    )
    awards = by_id(report)
    assert [(awards[i].prize_rank, awards[i].prize_award) for i in (1, 2, 3, 4)] == [
        (None, 0),
        (1, 1_500),
        (2, 900),
        (3, 450),
    ]
    assert report.paid.prize == 2_850  # rank 4 is unfilled: its 150 stays unassigned


def test_reviews_pay_distinct_pairs_equally_up_to_the_cap() -> None:
    submissions = [sub(1, A, 1, 600), sub(2, B, 2, 650), sub(3, C, 3, None), sub(4, D, 4, 660)]
    reviews = [
        Review(E, SubmissionId(1), 10),
        Review(E, SubmissionId(1), 11),  # repeat
        Review(E, SubmissionId(2), 12),
        Review(E, SubmissionId(4), 13),  # over the cap of 2
        Review(A, SubmissionId(3), 13),  # invalid submission
        Review(A, SubmissionId(1), 14),  # own submission
        Review(A, SubmissionId(77), 14),  # not in this phase
        Review(B, SubmissionId(4), 12, log_index=3),
    ]
    report = run(submissions, reviews)
    statuses = [(r.reviewer, r.submission_id, r.status, r.award) for r in report.reviews]
    assert statuses == [
        (E, 1, ReviewStatus.COUNTED, 333),
        (E, 1, ReviewStatus.REPEATED_PAIR, 0),
        (E, 2, ReviewStatus.COUNTED, 333),
        (B, 4, ReviewStatus.COUNTED, 333),
        (A, 3, ReviewStatus.INVALID_SUBMISSION, 0),  # same block as the next: A sorts first
        (E, 4, ReviewStatus.REVIEWER_CAP_REACHED, 0),
        (A, 1, ReviewStatus.OWN_SUBMISSION, 0),
        (A, 77, ReviewStatus.UNKNOWN_SUBMISSION, 0),
    ]
    assert report.paid.review == 999  # 1000 // 3 each; the 1 left over stays unassigned
    assert by_id(report)[4].paid_to_reviewers == 333
    assert owed(report)[E] == 666


def test_a_fork_passes_the_clamped_declared_share_to_its_parent() -> None:
    base = [sub(1, A, 1, 600), sub(2, B, 2, 700, [parent(1, A)], [1_000_000])]
    for declared, rho in [(0, 1_000), (2_000, 2_000), (10_000, 9_000)]:
        awards = by_id(run(base, fork_share_bps=declared, prize_ranks_bps=()))
        assert awards[2].rho_bps == rho
        assert awards[2].passed_to_parents == 2_000 * rho // 10_000
        assert awards[1].received_from_children == awards[2].passed_to_parents


def test_a_near_copy_passes_ninety_percent() -> None:
    parents = [parent(1, A)]
    report = run([sub(1, A, 1, 600), sub(2, B, 2, 605, parents, [1_000_000])], prize_ranks_bps=())
    assert by_id(report)[2].rho_bps == 9_000


def test_an_invalid_child_passes_nothing_of_its_own_but_ninety_percent_of_what_it_received() -> (
    None
):
    report = run(
        [
            sub(1, A, 1, 600),
            sub(2, B, 2, None, [parent(1, A)], [1_000_000]),
            sub(3, C, 3, 700, [parent(2, B)], [1_000_000]),
        ],
        prize_ranks_bps=(),
    )
    awards = by_id(report)
    assert awards[3].passed_to_parents == 400  # 20% of 2000
    assert awards[2].rho_bps == 9_000
    assert awards[2].passed_to_parents == 360
    assert awards[2].final == 40
    assert awards[1].final == 2_000 + 360


def test_split_remainders_stay_with_the_child_and_outside_parents_are_paid_directly() -> None:
    outside = parent(500, E, 550)
    report = run(
        [
            sub(1, A, 1, 560),
            sub(2, B, 2, 700, [parent(1, A), outside], [333_333, 666_667]),
        ],
        bounty=10_001,
        prize_ranks_bps=(),
    )
    awards = by_id(report)
    child = awards[2]
    received = child.improvement_award
    to_pass = received * 2_000 // 10_000
    assert [p.amount for p in child.passes] == [
        to_pass * 333_333 // 10**6,
        to_pass * 666_667 // 10**6,
    ]
    assert child.final == received - sum(p.amount for p in child.passes)
    assert child.passes[1].in_phase is False
    assert owed(report)[E] == child.passes[1].amount


def test_rewards_above_the_escrow_left_are_refused() -> None:
    with pytest.raises(RewardsExceedEscrow) as raised:
        run([sub(1, A, 1, 800)], escrow_left=5_999)
    assert (raised.value.total, raised.value.escrow_left) == (7_800, 5_999)  # 6000 + 60% of 3000


def test_nothing_submitted_pays_nothing() -> None:
    report = run()
    assert report.leaves == ()
    assert report.unassigned == report.bounty


def test_report_is_json_with_integers_as_decimal_strings() -> None:
    report = run([sub(1, A, 1, 800)])
    data = report.to_dict()
    assert data["rule_version"] == "1"
    assert data["submissions"][0]["private_score"] == str(wad(800))
    assert data["inputs_digest"].startswith("0x") and len(data["inputs_digest"]) == 66
    assert replace(report, total=1).to_json() != report.to_json()
