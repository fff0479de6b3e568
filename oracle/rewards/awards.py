"""Reward rule v1, steps 1-4: split the bounty into pools and pay improvements, prizes, reviews."""

from __future__ import annotations

from collections import Counter

from oracle.rewards.model import RewardInputs, SubmissionRecord
from oracle.rewards.report import PoolSplit, ReviewAward, ReviewStatus
from oracle.spec import Direction
from oracle.types import BPS, Address, SubmissionId


def split_pools(inputs: RewardInputs) -> PoolSplit:
    """Step 1: prize and review pools round down; the remainder joins the improvement pool."""
    prize = inputs.bounty * inputs.prize_bps // BPS
    review = inputs.bounty * inputs.review_bps // BPS
    return PoolSplit(improvement=inputs.bounty - prize - review, prize=prize, review=review)


def improvement_awards(inputs: RewardInputs, pool: int) -> dict[SubmissionId, int]:
    """Step 2: pay each valid submission that beats the running best by at least eta.

    The pay is `pool * gain / gap` with the rounding carried forward: after the running best
    has closed `closed` of the gap, the total paid so far is `floor(pool * closed / gap)`.
    Gains stop at the target, so the awards add up to at most the pool, and to exactly the
    pool once the target is reached.
    """
    direction = inputs.direction
    gap = direction.gain(inputs.baseline, inputs.target)
    best = inputs.baseline
    paid = 0
    awards: dict[SubmissionId, int] = {}
    for record in inputs.submissions:  # commit order
        score = record.private_score
        if not record.valid or score is None:
            continue
        step = direction.gain(best, score)
        if step <= 0 or step < inputs.eta:
            continue
        best = score
        closed = min(gap, direction.gain(inputs.baseline, best))
        paid_after = pool * closed // gap
        awards[record.submission_id] = paid_after - paid
        paid = paid_after
    return awards


def rank_key(direction: Direction, record: SubmissionRecord) -> tuple[int, int, int]:
    """Sort key putting the best private score first, the earlier commit first on a tie."""
    score = record.private_score
    assert score is not None, "only valid submissions are ranked"
    signed = -score if direction is Direction.HIGHER else score
    return (signed, *record.commit_key)


def prize_awards(inputs: RewardInputs, pool: int) -> dict[SubmissionId, tuple[int, int]]:
    """Step 3: rank each address, or each formed team as one, by its best valid submission;
    rank i gets its bps of the pool.

    Returns submission id -> (rank starting at 1, amount). Ranks nobody fills pay nothing.
    """
    ranked = sorted(
        (record for record in inputs.submissions if record.valid),
        key=lambda record: rank_key(inputs.direction, record),
    )
    winners: list[SubmissionRecord] = []
    seen: set[str] = set()
    for record in ranked:
        competitor = competitor_of(inputs, record.submitter)
        if competitor not in seen:
            seen.add(competitor)
            winners.append(record)
    return {
        record.submission_id: (rank, pool * rank_bps // BPS)
        for rank, (record, rank_bps) in enumerate(
            zip(winners, inputs.prize_ranks_bps, strict=False), start=1
        )
    }


def competitor_of(inputs: RewardInputs, account: Address) -> str:
    """Who competes: "team N" for a member of a formed team, else the account itself."""
    team = next((t for t in inputs.teams if account in t.members), None)
    return account if team is None else f"team {team.team_id}"


def review_awards(inputs: RewardInputs, pool: int) -> tuple[ReviewAward, ...]:
    """Step 4: split the pool equally over counted (reviewer, valid submission) pairs.

    Reviews are taken earliest first; a reviewer's pairs beyond the cap, repeats, reviews of
    unknown or invalid submissions and reviews by the submitter (or a member of its team)
    count for nothing.
    """
    by_id = {record.submission_id: record for record in inputs.submissions}
    per_reviewer: Counter[Address] = Counter()
    seen: set[tuple[Address, SubmissionId]] = set()
    statuses: list[ReviewStatus] = []
    for review in inputs.reviews:  # earliest first
        record = by_id.get(review.submission_id)
        pair = (review.reviewer, review.submission_id)
        if record is None:
            status = ReviewStatus.UNKNOWN_SUBMISSION
        elif not record.valid:
            status = ReviewStatus.INVALID_SUBMISSION
        elif competitor_of(inputs, record.submitter) == competitor_of(inputs, review.reviewer):
            status = ReviewStatus.OWN_SUBMISSION
        elif pair in seen:
            status = ReviewStatus.REPEATED_PAIR
        elif per_reviewer[review.reviewer] >= inputs.review_cap_per_reviewer:
            status = ReviewStatus.REVIEWER_CAP_REACHED
        else:
            status = ReviewStatus.COUNTED
            seen.add(pair)
            per_reviewer[review.reviewer] += 1
        statuses.append(status)
    share = pool // len(seen) if seen else 0
    return tuple(
        ReviewAward(
            reviewer=review.reviewer,
            submission_id=review.submission_id,
            block=review.block,
            log_index=review.log_index,
            status=status,
            award=share if status is ReviewStatus.COUNTED else 0,
        )
        for review, status in zip(inputs.reviews, statuses, strict=True)
    )
