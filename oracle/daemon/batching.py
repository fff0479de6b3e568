"""Deterministic score batches: every honest oracle forms the same bytes from the same chain.

Rule (documented in docs/oracle.md): for a challenge and a cut block, the batch holds the
submissions revealed at or before the cut and not yet on chain (nor left out as waiting by
the oracles that sign it, see attest.py), of the lowest phase among them, in ascending
submission id, at most `MAX_ITEMS` (a poster picks a cut before which it has scored
everything it does not hold waiting). Its sequence number is the
chain's last seq + 1. The poster of seq `s` is the oracle at index `s mod n` of the
ascending oracle set; every `failover_seconds` without the batch on chain, the next one.
"""

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from oracle.chain.attestation import ScoreBatch, ScoreItem

MAX_ITEMS = 100


@dataclass(frozen=True)
class RevealedSubmission:
    """A submission revealed on chain: the facts batch membership is decided on."""

    challenge_id: int
    phase: int
    reveal_block: int
    submission_id: int


@dataclass(frozen=True)
class Proposal:
    """What a poster asks its peers to sign: the cut it used and the batch it formed."""

    cut_block: int
    batch: ScoreBatch
    items: tuple[ScoreItem, ...]


def batch_members(
    revealed: Iterable[RevealedSubmission],
    challenge_id: int,
    cut_block: int,
    left_out: AbstractSet[int],
    max_items: int = MAX_ITEMS,
) -> tuple[int, tuple[int, ...]]:
    """(phase, submission ids) of the next batch for `challenge_id` at `cut_block`.

    Chain data only, but for `left_out`: every submission revealed at or before the cut,
    not yet on chain and not left out (waiting, see attest.py), of the lowest phase among
    them, ascending, at most `max_items`; () when none."""
    pending = [
        s
        for s in revealed
        if s.challenge_id == challenge_id
        and s.reveal_block <= cut_block
        and s.submission_id not in left_out
    ]
    if not pending:
        return 0, ()
    phase = min(s.phase for s in pending)
    ids = sorted(s.submission_id for s in pending if s.phase == phase)
    return phase, tuple(ids[:max_items])


def poster_for(
    seq: int, oracles: Sequence[str], waited_seconds: float, failover_seconds: float
) -> str:
    """The oracle expected to post batch `seq` after waiting `waited_seconds` for it."""
    ordered = sorted(oracles, key=lambda a: int(a, 16))
    turns = int(waited_seconds // failover_seconds) if failover_seconds > 0 else 0
    return ordered[(seq + turns) % len(ordered)]
