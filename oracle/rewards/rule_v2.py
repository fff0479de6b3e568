"""Reward rule v2: rule v1 on a phase's corrected scores, plus the compensation its spec
declares for submissions that lose a prize rank through a correction (docs/rewards.md).

`before` are the phase's inputs under its previous correction (None when it was never
corrected). A submission loses a prize rank when it held one before and holds a worse one,
or none, now; what it lost is its prize award before minus its prize award now (the prize
pool of the full bounty, both times). When somebody lost something, `compensation_bps` of
the bounty is set aside first, rule v1 splits the rest, and the set-aside pool pays each
loser in proportion to what it lost, never more than it lost (rounded down; what is left
stays unassigned and returns to the owner). Without a loss, v2 pays exactly what v1 pays.
"""

from __future__ import annotations

from dataclasses import replace

from oracle.errors import RewardsExceedEscrow
from oracle.rewards.awards import prize_awards, split_pools
from oracle.rewards.licence_prizes import prize_contenders
from oracle.rewards.model import Leaf, RewardInputs
from oracle.rewards.report import AccountTotal, Compensation, RewardReport
from oracle.rewards.rule_v1 import compute_rewards
from oracle.rewards.tie_sharing import share_tied_prizes
from oracle.types import BPS, Address, SubmissionId

RULE_VERSION_2 = "2"


def compute_rewards_v2(
    inputs: RewardInputs, before: RewardInputs | None, compensation_bps: int
) -> RewardReport:
    losses = prize_losses(inputs, before) if before is not None and compensation_bps else ()
    if not losses:
        return replace(compute_rewards(inputs), rule_version=RULE_VERSION_2)
    pool = inputs.bounty * compensation_bps // BPS
    base = compute_rewards(replace(inputs, bounty=inputs.bounty - pool))
    total_lost = sum(c.lost for c in losses)
    paid = tuple(replace(c, award=min(c.lost, pool * c.lost // total_lost)) for c in losses)
    accounts = _with_compensation(base.accounts, paid)
    leaves = tuple(Leaf(a.account, a.total) for a in accounts if a.total)
    total = sum(leaf.amount for leaf in leaves)
    if total > inputs.escrow_left:
        raise RewardsExceedEscrow(total, inputs.escrow_left)
    return replace(
        base, rule_version=RULE_VERSION_2, bounty=inputs.bounty, total=total,
        unassigned=inputs.bounty - total, accounts=accounts, leaves=leaves, compensations=paid,
    )  # fmt: skip


def _prizes(inputs: RewardInputs) -> dict[SubmissionId, tuple[int | None, int]]:
    pool = split_pools(inputs).prize
    return share_tied_prizes(prize_awards(prize_contenders(inputs), pool), inputs.prize_tie_groups)


def prize_losses(inputs: RewardInputs, before: RewardInputs) -> tuple[Compensation, ...]:
    """The submissions that held a prize rank under `before` and hold a worse one, or none,
    under `inputs`, with what they lost (awards still 0); the auditor checks a report's
    compensations against them."""
    old, new = _prizes(before), _prizes(inputs)
    submitters = {r.submission_id: r.submitter for r in inputs.submissions}
    found = []
    for sid, (old_rank, old_award) in sorted(old.items()):
        new_rank, new_award = new.get(sid, (None, 0))
        worse = new_rank is None or (old_rank is not None and new_rank > old_rank)
        if old_rank is not None and worse and old_award > new_award and sid in submitters:
            found.append(
                Compensation(sid, submitters[sid], old_rank, new_rank, old_award - new_award, 0)
            )
    return tuple(found)


def _with_compensation(
    accounts: tuple[AccountTotal, ...], paid: tuple[Compensation, ...]
) -> tuple[AccountTotal, ...]:
    """The account totals with each compensation added to its submitter (as submission
    money), in account order."""
    extra: dict[Address, int] = {}
    for c in paid:
        extra[c.submitter] = extra.get(c.submitter, 0) + c.award
    by_account = {a.account: a for a in accounts}
    for account, amount in extra.items():
        held = by_account.get(account, AccountTotal(account, 0, 0, 0, 0))
        by_account[account] = replace(
            held, from_submissions=held.from_submissions + amount, total=held.total + amount
        )
    return tuple(by_account[a] for a in sorted(by_account, key=lambda a: int(a, 16)))
