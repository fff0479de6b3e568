"""Which formed teams count in a phase: for its rewards and on its boards, the same ones.

A team counts in a phase once its TeamFormed event is at or before the block the phase's
holdout was first revealed in (a correction's new labels do not move that block); while the
holdout is hidden, every team formed so far counts. A team formed late in a phase therefore
pools the phase's whole rewards of its members and shows once on its boards, and no team
formed after the holdout is known can change a phase's prizes or its root. A team merged
into a newer one (TeamMerged) stops counting where the newer one starts: by the same cut.
"""

from oracle.ledger.model import Ledger, Phase
from oracle.rewards.model import TeamShares


def teams_cut_block(phase: Phase) -> int | None:
    """The block the phase's holdout was first revealed in; None while it is hidden."""
    first = next((c.replaced_holdout for c in phase.corrections if c.replaced_holdout), None)
    revealed = first or phase.holdout
    return None if revealed is None else revealed.block


def formed_teams(ledger: Ledger, challenge_id: int, phase: int) -> tuple[TeamShares, ...]:
    """The challenge's teams that count in `phase`, by team id."""
    cut = teams_cut_block(ledger.challenges[challenge_id].phases[phase])

    def counts(team_id: int | None) -> bool:
        formed = None if team_id is None else ledger.teams[team_id].formed_block
        return formed is not None and (cut is None or formed <= cut)

    return tuple(
        TeamShares(t.team_id, t.members, t.shares_ppm)
        for t in sorted(ledger.teams.values(), key=lambda t: t.team_id)
        if t.challenge_id == challenge_id and counts(t.team_id) and not counts(t.merged_into)
    )
