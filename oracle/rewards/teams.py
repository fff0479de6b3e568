"""A team's rewards split into its members' leaves by the shares they agreed on chain.

The rule (v1 or v2) pays accounts; a formed team (SubmissionBook `TeamFormed`) pools what
its members' accounts earned in the phase and splits the pool by the members' reward shares
(ppm): each member gets floor(pool * share / 1,000,000), and the few base units rounding
leaves go to the member listed first (the lowest address), so the pool is paid exactly.
Accounts outside every team keep their leaves. The result still has one leaf per account,
in ascending address order, and no zero leaf.
"""

from collections.abc import Iterable, Sequence
from dataclasses import replace

from oracle.rewards.model import InvalidTeam, Leaf, TeamShares
from oracle.rewards.report import RewardReport, TeamPart, TeamPayout
from oracle.types import PPM, Address


def _parts(pool: int, team: TeamShares) -> list[int]:
    parts = [pool * share // PPM for share in team.shares_ppm]
    parts[0] += pool - sum(parts)
    return parts


def split_team_leaves(leaves: Iterable[Leaf], teams: Sequence[TeamShares]) -> tuple[Leaf, ...]:
    amounts: dict[Address, int] = {}
    for leaf in leaves:
        amounts[leaf.account] = amounts.get(leaf.account, 0) + leaf.amount
    seen: set[Address] = set()
    for team in teams:
        if seen & set(team.members):
            raise InvalidTeam(f"team {team.team_id} shares a member with another team")
        seen |= set(team.members)
        pool = sum(amounts.pop(m, 0) for m in team.members)
        for member, part in zip(team.members, _parts(pool, team), strict=True):
            amounts[member] = amounts.get(member, 0) + part
    ordered = sorted(amounts.items(), key=lambda item: int(item[0], 16))
    return tuple(Leaf(account, amount) for account, amount in ordered if amount)


def with_teams(report: RewardReport, teams: Sequence[TeamShares]) -> RewardReport:
    """The report with each team's pool split into its members' leaves, and the split shown
    in `teams` (a team whose members earned nothing is left out); the total is unchanged."""
    earned = {leaf.account: leaf.amount for leaf in report.leaves}
    payouts = []
    for team in teams:
        pool = sum(earned.get(m, 0) for m in team.members)
        if pool:
            parts = zip(team.members, team.shares_ppm, _parts(pool, team), strict=True)
            members = tuple(TeamPart(m, s, earned.get(m, 0), paid) for m, s, paid in parts)
            payouts.append(TeamPayout(team.team_id, pool, members))
    if not payouts:
        return report
    return replace(report, leaves=split_team_leaves(report.leaves, teams), teams=tuple(payouts))
