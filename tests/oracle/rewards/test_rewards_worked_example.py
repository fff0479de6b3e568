"""The worked example of docs/rewards.md, number for number."""

from __future__ import annotations

from oracle.rewards import (
    Direction,
    ParentRef,
    Review,
    RewardInputs,
    SubmissionRecord,
    build_tree,
    compute_rewards,
)
from oracle.rewards.report import ReviewStatus
from oracle.types import WAD, Address, ChallengeId, PhaseIndex, SubmissionId, Wad

ALICE, BOB, CAROL, DAVE = (Address("0x" + digit * 40) for digit in "1234")


def score(milli: int) -> Wad:
    return Wad(milli * WAD // 1000)


def record(
    sid: int, who: Address, block: int, milli: int | None, parents: tuple[ParentRef, ...] = ()
) -> SubmissionRecord:
    return SubmissionRecord(
        submission_id=SubmissionId(sid),
        submitter=who,
        challenge_id=ChallengeId(7),
        commit_block=block,
        valid=milli is not None,
        private_score=None if milli is None else score(milli),
        parents=parents,
        weights_ppm=(1_000_000,) * len(parents),
    )


EXAMPLE = RewardInputs(
    challenge_id=ChallengeId(7),
    phase=PhaseIndex(0),
    bounty=100_010,
    improvement_bps=6_000,
    prize_bps=3_000,
    review_bps=1_000,
    prize_ranks_bps=(4_000, 3_000, 2_000, 1_000),
    review_cap_per_reviewer=2,
    fork_share_bps=2_000,
    direction=Direction.HIGHER,
    baseline=score(700),
    target=score(900),
    eta=score(10),
    escrow_left=100_010,
    submissions=(
        record(1, ALICE, 10, 750),
        record(2, BOB, 11, 755),
        record(3, CAROL, 12, 800, (ParentRef(SubmissionId(1), ALICE, score(750)),)),
        record(4, DAVE, 13, None),
        record(5, BOB, 14, 950),
    ),
    reviews=(
        Review(DAVE, SubmissionId(3), 15),
        Review(ALICE, SubmissionId(5), 16, 0),
        Review(BOB, SubmissionId(4), 16, 1),
    ),
)


def test_pools_and_totals_match_the_doc() -> None:
    report = compute_rewards(EXAMPLE)
    pools, paid = report.pools, report.paid
    assert (pools.improvement, pools.prize, pools.review) == (60_006, 30_003, 10_001)
    assert (paid.improvement, paid.prize, paid.review) == (60_006, 27_001, 10_000)
    assert (report.total, report.unassigned) == (97_007, 3_003)


def test_the_submission_table_matches_the_doc() -> None:
    report = compute_rewards(EXAMPLE)
    table = [
        (
            s.submission_id,
            s.improvement_award,
            s.prize_rank,
            s.prize_award,
            s.paid_to_reviewers,
            s.received_from_children,
            s.rho_bps,
            s.passed_to_parents,
            s.final,
        )
        for s in report.submissions
    ]
    assert table == [
        (1, 15_001, 3, 6_000, 0, 4_800, 0, 0, 25_801),
        (2, 0, None, 0, 0, 0, 0, 0, 0),
        (3, 15_002, 2, 9_000, 5_000, 0, 2_000, 4_800, 19_202),
        (4, 0, None, 0, 0, 0, 0, 0, 0),
        (5, 30_003, 1, 12_001, 5_000, 0, 0, 0, 42_004),
    ]
    assert [r.status for r in report.reviews] == [
        ReviewStatus.COUNTED,
        ReviewStatus.COUNTED,
        ReviewStatus.INVALID_SUBMISSION,
    ]


def test_leaves_and_root_match_the_doc() -> None:
    report = compute_rewards(EXAMPLE)
    assert [(leaf.account, leaf.amount) for leaf in report.leaves] == [
        (ALICE, 30_801),
        (BOB, 42_004),
        (CAROL, 19_202),
        (DAVE, 5_000),
    ]
    root = build_tree(report.leaves).root
    assert root == "0xcee0aef233a0d79cb6f67c995f8458cf4b0b8ae354dcf51a837f481f4b6409c3"
