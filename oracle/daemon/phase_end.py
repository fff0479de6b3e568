"""Phase end: opening the private scores after the reveal end, then the rewards root.

- `openings_due`: every posted score batch of a phase whose reveal window has ended and
  whose private scores are not open yet, with the scores and salts that open it (only if
  this oracle's own commitments are the ones on chain: it can open nothing else).
- `roots_due` / `form_root`: once a phase's holdout is revealed and every revealed
  submission is scored and opened on chain, the rewards computed from the ledger exactly
  as `coop audit` recomputes them (`phase_rewards`: rule v1, or v2 as the spec declares,
  → `build_tree`); the report's bytes are `report.to_json().encode()`, its CID computed
  locally. A peer checks a proposed root by forming it at the same cut (`review_root`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from eth_utils.crypto import keccak

from oracle.chain.attestation import RewardRoot, ScoreItem
from oracle.chain.events import ChainEvent
from oracle.daemon.attest import Refusal, config_digest
from oracle.daemon.jobs import ScoredJob
from oracle.errors import IpfsError
from oracle.ipfs.importer import import_bytes
from oracle.ipfs.store import ContentStore
from oracle.ledger.licences import prize_ineligible
from oracle.ledger.model import Ledger, RootStanding
from oracle.ledger.near_copies import phase_near_copies
from oracle.ledger.phase_rewards import phase_rewards
from oracle.ledger.ties import shared_prize_groups
from oracle.rewards.merkle import build_tree
from oracle.scoring.commitment import private_commitment
from oracle.spec import ChallengeSpec
from oracle.types import Wad


@dataclass(frozen=True)
class Opening:
    """What `revealPrivateScores(challengeId, seq, items, scores, salts)` takes."""

    challenge_id: int
    phase: int
    seq: int
    items: tuple[ScoreItem, ...]
    scores: tuple[int, ...]
    salts: tuple[bytes, ...]


@dataclass(frozen=True)
class RootProposal:
    cut_block: int
    root: RewardRoot
    report_cid: str
    report: bytes


def batch_items(events: Sequence[ChainEvent], challenge_id: int, seq: int) -> tuple[ScoreItem, ...]:
    """The items of a posted batch, in the order the ScoreBoard recorded them."""
    return tuple(
        ScoreItem(
            int(e["submissionId"]),
            int(e["status"]),
            int(e["publicScore"]),
            bytes(e["privateCommitment"]),
            bytes(e["reportDigest"]),
        )
        for e in events
        if e.name == "ScoreRecorded"
        and int(e["challengeId"]) == challenge_id
        and int(e["seq"]) == seq
    )


def openings_due(
    ledger: Ledger,
    events: Sequence[ChainEvent],
    challenge_id: int,
    chain_time: int,
    own: Mapping[int, ScoredJob],
) -> list[Opening]:
    """Batches of the challenge this oracle can open now; see the module docstring."""
    challenge = ledger.challenges.get(challenge_id)
    if challenge is None:
        return []
    due = []
    for batch in challenge.batches:
        if chain_time <= challenge.phases[batch.phase].reveal_end:
            continue
        if batch.correction != challenge.phases[batch.phase].correction:
            continue  # corrected away: its openings count for nothing any more
        items = batch_items(events, challenge_id, batch.seq)
        if not items or all(ledger.submissions[i.submission_id].private for i in items):
            continue
        mine = [own.get(i.submission_id) for i in items]
        if any(
            m is None or m.item.private_commitment != i.private_commitment
            for m, i in zip(mine, items, strict=True)
        ):
            continue
        scores = tuple(m.private_wad for m in mine if m is not None)
        salts = tuple(m.salt for m in mine if m is not None)
        assert all(
            private_commitment(i.submission_id, Wad(s), salt) == i.private_commitment
            for i, s, salt in zip(items, scores, salts, strict=True)
        )
        due.append(Opening(challenge_id, batch.phase, batch.seq, items, scores, salts))
    return due


def holdouts_due(ledger: Ledger, challenge_id: int, chain_time: int, grace: float) -> list[int]:
    """Phases whose holdout is still hidden `grace` seconds after their reveal end: the owner
    had its turn, so an oracle holding the secret reveals it (the registry checks it against
    the phase's commitment, whoever sends it)."""
    challenge = ledger.challenges.get(challenge_id)
    if challenge is None:
        return []
    return [
        p.index for p in challenge.phases if p.holdout is None and chain_time > p.reveal_end + grace
    ]


def roots_due(ledger: Ledger, challenge_id: int) -> list[int]:
    """Phases ready for a rewards root: holdout revealed, every revealed submission scored
    and its private score opened on chain, and no live root for the phase."""
    challenge = ledger.challenges.get(challenge_id)
    if challenge is None:
        return []
    due = []
    for phase in challenge.phases:
        if phase.holdout is None:
            continue
        not_voided = [r for r in challenge.roots if r.state is not RootStanding.VOIDED]
        if any(r.phase == phase.index for r in not_voided):
            continue
        revealed = [s for s in ledger.submissions_of(challenge_id, phase.index) if s.reveal]
        if all(s.score is not None and s.private is not None for s in revealed):
            due.append(phase.index)
    return due


def form_root(
    ledger: Ledger, challenge_id: int, phase: int, spec: ChallengeSpec, store: ContentStore
) -> RootProposal | None:
    """The phase's rewards root at `ledger.last_block`; None when nobody earned anything.
    `store` fetches the labels and artifacts, for the near-copies and, when the spec shares
    prizes within ties, the tie groups, and the artifacts' licences when it requires an open
    licence for prizes."""
    challenge = ledger.challenges[challenge_id]
    escrow = challenge.unallocated_before((ledger.last_block + 1, 0))
    ties = shared_prize_groups(ledger, challenge_id, phase, spec, store)
    closed = prize_ineligible(ledger, store, challenge_id, phase, spec)
    copies = phase_near_copies(ledger, challenge_id, phase, spec, store)
    report = phase_rewards(
        ledger, challenge_id, phase, spec, escrow, ties, prize_ineligible=closed, near_copies=copies
    )
    if not report.leaves:
        return None
    tree = build_tree(report.leaves)
    data = report.to_json().encode()
    report_cid = str(import_bytes(data).cid)
    seq = max((r.seq for r in challenge.roots), default=0) + 1
    root = RewardRoot(
        challenge_id,
        phase,
        challenge.phases[phase].correction,
        seq,
        config_digest(challenge, phase),
        bytes.fromhex(tree.root.removeprefix("0x")),
        report.total,
        keccak(text=report_cid),
    )
    return RootProposal(ledger.last_block, root, report_cid, data)


def review_root(
    proposed: RewardRoot,
    report_cid: str,
    cut_block: int,
    ledger: Ledger,
    read_up_to: int,
    spec: ChallengeSpec,
    store: ContentStore,
) -> RootProposal | Refusal:
    if read_up_to < cut_block:
        return Refusal(
            True,
            f"this oracle has read blocks up to {read_up_to}, not yet the cut "
            f"block {cut_block}",
        )
    if proposed.phase not in roots_due(ledger, proposed.challenge_id):
        return Refusal(
            False,
            f"at block {cut_block} phase {proposed.phase} of challenge "
            f"{proposed.challenge_id} is not ready for a rewards root",
        )
    try:
        ours = form_root(ledger, proposed.challenge_id, proposed.phase, spec, store)
    except IpfsError as exc:  # near-copies and tie groups need the labels and artifacts
        return Refusal(True, f"cannot derive the phase's near-copies or tie groups yet: {exc}")
    if ours is None:
        return Refusal(False, "the rewards of this phase pay nobody; there is no root to sign")
    if ours.root != proposed or ours.report_cid != report_cid:
        return Refusal(
            False,
            f"our root at block {cut_block} is 0x{ours.root.merkle_root.hex()} "
            f"paying {ours.root.total} (report {ours.report_cid}), not "
            f"0x{proposed.merkle_root.hex()} paying {proposed.total} "
            f"({report_cid})",
        )
    return ours
