"""A team's rewards split into its members' leaves by the shares they agreed on chain.

The rule (v1, or v2 later) pays accounts; a formed team (SubmissionBook `TeamFormed`) pools
what its members' accounts earned in the phase and splits the pool by the members' reward
shares (ppm): each member gets floor(pool * share / 1,000,000), and the few base units
rounding leaves go to the member listed first (the lowest address), so the pool is paid
exactly. Accounts outside every team keep their leaves. The result still has one leaf per
account, in ascending address order, and no zero leaf.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from oracle.errors import CoopError
from oracle.rewards.model import Leaf, checksum
from oracle.types import Address

PPM = 1_000_000


class InvalidTeam(CoopError, ValueError):
    """Shares that do not match the members, or an account in two teams."""


@dataclass(frozen=True)
class TeamShares:
    team_id: int
    members: tuple[Address, ...]  # ascending, as the book stores them
    shares_ppm: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.members) != len(self.shares_ppm) or sum(self.shares_ppm) != PPM:
            raise InvalidTeam(
                f"team {self.team_id}: {len(self.members)} members with shares "
                f"{list(self.shares_ppm)}; give one share per member, summing to {PPM}"
            )
        object.__setattr__(self, "members", tuple(checksum(m, "member") for m in self.members))


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
        parts = [pool * share // PPM for share in team.shares_ppm]
        parts[0] += pool - sum(parts)
        for member, part in zip(team.members, parts, strict=True):
            amounts[member] = amounts.get(member, 0) + part
    ordered = sorted(amounts.items(), key=lambda item: int(item[0], 16))
    return tuple(Leaf(account, amount) for account, amount in ordered if amount)
