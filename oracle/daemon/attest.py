"""Agreeing on score batches: what a poster proposes, and what a peer signs or refuses.

Both sides decide from the confirmed events up to the proposal's cut block (a Ledger) and
their own scores, never from each other's word (docs/oracle.md):
- `choose_cut` / `form_proposal`: the poster picks the latest confirmed cut before which it
  has scored every revealed submission still off chain, except the ones it holds
  `waiting` (a fault that is not the submitter's: they are left out, so they never hold
  back the submissions behind them), and forms the batch there.
- `review_proposal`: a peer forms the batch at the same cut from its own scores, leaving
  out only what the proposal leaves out and it holds waiting too, so no poster alone can
  leave a submission out. It signs only identical bytes; it asks the poster to retry
  when it is behind (has not read the cut block, or not scored an item yet); otherwise it
  refuses, and when the difference is in the scores themselves that is a disagreement,
  reported item by item.
"""

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from oracle.chain.attestation import ScoreItem, score_batch
from oracle.daemon.batching import Proposal, RevealedSubmission, batch_members
from oracle.daemon.jobs import ScoredJob
from oracle.ledger.model import Challenge, Ledger


@dataclass(frozen=True)
class Disagreement:
    """One item on which a proposal and this oracle's own score differ."""

    challenge_id: int
    submission_id: int
    theirs: ScoreItem
    ours: ScoreItem

    def describe(self) -> str:
        return (
            f"challenge {self.challenge_id} submission {self.submission_id}: proposed status "
            f"{self.theirs.status} public {self.theirs.public_score} commitment "
            f"0x{self.theirs.private_commitment.hex()[:16]}…, ours status {self.ours.status} "
            f"public {self.ours.public_score} commitment "
            f"0x{self.ours.private_commitment.hex()[:16]}…"
        )


@dataclass(frozen=True)
class Refusal:
    retry: bool
    reason: str
    disagreements: tuple[Disagreement, ...] = ()


def last_seq(challenge: Challenge) -> int:
    return max((b.seq for b in challenge.batches), default=0)


def config_digest(challenge: Challenge, phase: int) -> bytes:
    """What the phase's judges sign under (the version in force when its commits opened)."""
    return challenge.judges_of(phase).config_digest


def oracles_of(challenge: Challenge, phase: int) -> tuple[str, ...]:
    """The oracles who sign for `phase`."""
    return tuple(challenge.judges_of(phase).oracles)


def judges_anywhere(challenge: Challenge) -> set[str]:
    """Every oracle of any version of the challenge's judges, lowercased."""
    return {o.lower() for s in challenge.oracle_sets for o in s.oracles}


def revealed_off_chain(ledger: Ledger, challenge_id: int) -> list[RevealedSubmission]:
    """Submissions of the challenge revealed in this ledger and not scored on chain yet."""
    return [
        RevealedSubmission(challenge_id, s.phase, s.reveal.block, s.submission_id)
        for s in ledger.submissions_of(challenge_id)
        if s.reveal is not None and s.score is None
    ]


def choose_cut(
    ledger: Ledger,
    challenge_id: int,
    own: Mapping[int, ScoredJob],
    waiting: AbstractSet[int] = frozenset(),
) -> int:
    """The latest block of `ledger` at which this oracle has scored every member of the
    batch the rule forms there, leaving out the `waiting` submissions (members not scored
    yet push the cut before their reveal)."""
    revealed = revealed_off_chain(ledger, challenge_id)
    reveal_block = {r.submission_id: r.reveal_block for r in revealed}
    cut = ledger.last_block
    while True:
        _, ids = batch_members(revealed, challenge_id, cut, waiting)
        unscored = [reveal_block[i] for i in ids if i not in own]
        if not unscored:
            return cut
        cut = min(unscored) - 1


def form_proposal(
    ledger: Ledger,
    challenge_id: int,
    own: Mapping[int, ScoredJob],
    waiting: AbstractSet[int] = frozenset(),
) -> Proposal | None:
    """The batch at `ledger.last_block` (the cut) from this oracle's scores, leaving out the
    `waiting` submissions; None if empty or if an item is not scored here."""
    challenge = ledger.challenges.get(challenge_id)
    if challenge is None:
        return None
    phase, ids = batch_members(
        revealed_off_chain(ledger, challenge_id), challenge_id, ledger.last_block, waiting
    )
    if not ids or any(i not in own for i in ids):
        return None
    items = tuple(own[i].item for i in ids)
    batch = score_batch(
        challenge_id,
        phase,
        last_seq(challenge) + 1,
        config_digest(challenge, phase),
        items,
        correction=challenge.phases[phase].correction,
    )
    return Proposal(ledger.last_block, batch, items)


def review_proposal(
    proposal: Proposal,
    ledger: Ledger,
    read_up_to: int,
    own: Mapping[int, ScoredJob],
    waiting: AbstractSet[int] = frozenset(),
) -> Proposal | Refusal:
    """Our own batch at the proposal's cut when it is byte for byte the proposed one (it
    may leave out submissions that this oracle holds `waiting` too, and no others)."""
    b = proposal.batch
    if read_up_to < proposal.cut_block:
        return Refusal(
            True,
            f"this oracle has read blocks up to {read_up_to}, not yet the cut "
            f"block {proposal.cut_block}",
        )
    challenge = ledger.challenges.get(b.challenge_id)
    if challenge is None:
        return Refusal(
            False, f"challenge {b.challenge_id} does not exist at block " f"{proposal.cut_block}"
        )
    proposed_ids = tuple(i.submission_id for i in proposal.items)
    left_out_here_too = set(waiting) - set(proposed_ids)
    phase, ids = batch_members(
        revealed_off_chain(ledger, b.challenge_id),
        b.challenge_id,
        proposal.cut_block,
        left_out_here_too,
    )
    if proposed_ids != ids or b.phase != phase:
        unscored = [i for i in ids if i not in proposed_ids and i not in own]
        if unscored:
            return Refusal(
                True,
                f"the batch leaves out submissions {unscored}, which this oracle has not "
                "scored yet",
            )
        return Refusal(
            False,
            f"at block {proposal.cut_block} the batch holds phase {phase} "
            f"submissions {list(ids)}, not phase {b.phase} {list(proposed_ids)}",
        )
    expected_seq = last_seq(challenge) + 1
    if b.seq != expected_seq:
        return Refusal(
            False, f"at block {proposal.cut_block} the next seq is {expected_seq}, " f"not {b.seq}"
        )
    if b.config_digest != config_digest(challenge, phase):
        return Refusal(False, f"the config digest is not the one of phase {phase}'s judges")
    correction = challenge.phases[phase].correction
    if b.correction != correction:
        return Refusal(
            False, f"at block {proposal.cut_block} phase {phase} is under correction "
            f"{correction}, not {b.correction}",
        )  # fmt: skip
    missing = [i for i in ids if i not in own]
    if missing:
        return Refusal(True, f"this oracle has not scored submissions {missing} yet")
    ours = tuple(own[i].item for i in ids)
    differ = tuple(
        Disagreement(b.challenge_id, theirs.submission_id, theirs, mine)
        for theirs, mine in zip(proposal.items, ours, strict=True)
        if theirs != mine
    )
    if differ:
        return Refusal(False, "scores differ: " + "; ".join(d.describe() for d in differ), differ)
    mine = score_batch(
        b.challenge_id, phase, expected_seq, b.config_digest, ours, correction=correction
    )
    if mine != b:
        return Refusal(False, "the header's items hash does not match its items")
    return Proposal(proposal.cut_block, mine, ours)
