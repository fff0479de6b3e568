"""Reward rule v1 end to end: inputs in, the report with per-address Merkle leaves out."""

from __future__ import annotations

from collections import defaultdict

from oracle.errors import RewardsExceedEscrow
from oracle.rewards.awards import improvement_awards, prize_awards, review_awards, split_pools
from oracle.rewards.forks import ForkFlow, propagate
from oracle.rewards.licence_prizes import prize_contenders
from oracle.rewards.model import Leaf, RewardInputs
from oracle.rewards.near_copy_credit import credit_near_copies
from oracle.rewards.report import (
    RULE_VERSION,
    AccountTotal,
    PoolSplit,
    ReviewAward,
    RewardReport,
    SubmissionAward,
    inputs_digest,
)
from oracle.rewards.tie_sharing import Prizes, share_tied_prizes
from oracle.types import Address, SubmissionId


def compute_rewards(inputs: RewardInputs) -> RewardReport:
    """Run reward rule v1 on one phase; raise RewardsExceedEscrow if it cannot be paid."""
    pools = split_pools(inputs)
    improvement = improvement_awards(inputs, pools.improvement)
    prizes = share_tied_prizes(
        prize_awards(prize_contenders(inputs), pools.prize), inputs.prize_tie_groups
    )
    reviews = review_awards(inputs, pools.review)
    own = {
        record.submission_id: improvement.get(record.submission_id, 0)
        + prizes.get(record.submission_id, (0, 0))[1]
        for record in inputs.submissions
    }
    flows = propagate(credit_near_copies(inputs), own)
    submissions = _submission_awards(inputs, improvement, prizes, reviews, flows)
    accounts = _account_totals(submissions, reviews)
    leaves = tuple(Leaf(account.account, account.total) for account in accounts if account.total)
    paid = PoolSplit(
        improvement=sum(improvement.values()),
        prize=sum(amount for _, amount in prizes.values()),
        review=sum(review.award for review in reviews),
    )
    total = sum(leaf.amount for leaf in leaves)
    if total > inputs.escrow_left:
        raise RewardsExceedEscrow(total, inputs.escrow_left)
    return RewardReport(
        rule_version=RULE_VERSION,
        inputs_digest=inputs_digest(inputs),
        challenge_id=inputs.challenge_id,
        phase=inputs.phase,
        bounty=inputs.bounty,
        escrow_left=inputs.escrow_left,
        pools=pools,
        paid=paid,
        total=total,
        unassigned=inputs.bounty - total,
        submissions=submissions,
        reviews=reviews,
        accounts=accounts,
        leaves=leaves,
        prize_ineligible=inputs.prize_ineligible,
        near_copies=inputs.near_copies,
    )


def _submission_awards(
    inputs: RewardInputs,
    improvement: dict[SubmissionId, int],
    prizes: Prizes,
    reviews: tuple[ReviewAward, ...],
    flows: dict[SubmissionId, ForkFlow],
) -> tuple[SubmissionAward, ...]:
    paid_to_reviewers: defaultdict[SubmissionId, int] = defaultdict(int)
    for review in reviews:
        paid_to_reviewers[review.submission_id] += review.award
    awards = []
    for record in inputs.submissions:  # commit order
        sid = record.submission_id
        rank, prize = prizes.get(sid, (None, 0))
        flow = flows[sid]
        awards.append(
            SubmissionAward(
                submission_id=sid,
                submitter=record.submitter,
                commit_block=record.commit_block,
                valid=record.valid,
                private_score=record.private_score,
                improvement_award=improvement.get(sid, 0),
                prize_rank=rank,
                prize_award=prize,
                paid_to_reviewers=paid_to_reviewers[sid],
                received_from_children=flow.received_from_children,
                rho_bps=flow.rho_bps,
                passes=flow.passes,
                passed_to_parents=flow.passed_to_parents,
                final=flow.final,
            )
        )
    return tuple(awards)


def _account_totals(
    submissions: tuple[SubmissionAward, ...], reviews: tuple[ReviewAward, ...]
) -> tuple[AccountTotal, ...]:
    """Sum what each address is owed; sorted by address as a number (0x00.. first)."""
    from_submissions: defaultdict[Address, int] = defaultdict(int)
    from_reviews: defaultdict[Address, int] = defaultdict(int)
    from_outside: defaultdict[Address, int] = defaultdict(int)
    for submission in submissions:
        from_submissions[submission.submitter] += submission.final
        for parent_pass in submission.passes:
            if not parent_pass.in_phase:
                from_outside[parent_pass.parent_submitter] += parent_pass.amount
    for review in reviews:
        from_reviews[review.reviewer] += review.award
    accounts = set(from_submissions) | set(from_reviews) | set(from_outside)
    return tuple(
        AccountTotal(
            account=account,
            from_submissions=from_submissions[account],
            from_reviews=from_reviews[account],
            from_outside_children=from_outside[account],
            total=from_submissions[account] + from_reviews[account] + from_outside[account],
        )
        for account in sorted(accounts, key=lambda address: int(address, 16))
    )
