"""Where a challenge stands: its phases and what is open now, its money, oracles and roots,
and the history of its figure of merit (what each phase changed, its best scores).

Read from the contracts' views (windows, escrow, current roots and their states) and from
the events (spec CIDs, submissions, labels CIDs, report CIDs, claims), judged at the
chain's own time. Each phase gets a stage and the next thing that will happen, with when.
"""

from dataclasses import dataclass
from enum import StrEnum

from oracle.chain.challenges import ChallengeView, PhaseView, read_challenge
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.roots import RootState, read_root
from oracle.errors import CoopError
from oracle.figure_of_merit import Merit, changes
from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import BoardEntry, private_board, private_opened, public_board
from oracle.ledger.model import Challenge, Ledger, OracleSet, PhaseExtension
from oracle.ledger.replay import read_ledger
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec


class Stage(StrEnum):
    """A phase's stages in the order a phase goes through them (disputed and voided sit
    between a posted root and open claims); the value is what `coop` prints and takes."""

    UPCOMING = "upcoming"
    COMMIT = "commit"
    REVEAL = "reveal"
    AWAITING_HOLDOUT = "awaiting-holdout"
    AWAITING_ROOT = "awaiting-root"
    DISPUTE_WINDOW = "dispute-window"
    DISPUTED = "disputed"
    VOIDED = "voided"
    CLAIMS_OPEN = "claims-open"


@dataclass(frozen=True)
class RootStatus:
    seq: int
    merkle_root: str
    total: int
    report_cid: str
    claimable_at: int
    state: RootState  # the vault's; printed by its `label`
    claimed: int  # paid so far under this phase's roots
    arbiter_deadline: int  # when an open dispute lapses (0 if never disputed)


@dataclass(frozen=True)
class PhaseStatus:
    phase: PhaseView
    spec_cid: str
    stage: Stage
    next_step: str  # what happens next, with when, in words
    committed: int
    revealed: int
    scored: int
    labels_cid: str | None
    revealer: str | None  # who revealed the holdout (the owner, or an oracle after the grace)
    judges: OracleSet  # oracle set, quorum and arbiter in force when its commits opened
    root: RootStatus | None
    merit: Merit  # how the phase is judged
    changed: tuple[str, ...]  # what it changed from the phase before ("first phase")
    best_public: BoardEntry | None  # the top of its public board
    best_private: BoardEntry | None  # the top of its private board, once opened
    extension: PhaseExtension | None = None  # an oracle outage moved its windows (included)


@dataclass(frozen=True)
class ChallengeStatus:
    view: ChallengeView
    title: str | None  # from the spec on IPFS, when reachable
    spec_cid: str
    now: int
    oracles: tuple[str, ...]
    escrow_balance: int  # held by the vault: escrowed - claimed - refunded
    refunded: int
    closed: bool
    phases: tuple[PhaseStatus, ...]

    @property
    def open_phases(self) -> list[int]:
        return [p.phase.index for p in self.phases if p.stage in (Stage.COMMIT, Stage.REVEAL)]


def challenge_status(platform: Platform, store: ContentStore | None,
                     challenge_id: int) -> ChallengeStatus:  # fmt: skip
    view = read_challenge(platform, challenge_id)
    ledger = read_ledger(platform)
    events = ledger.challenge(challenge_id)
    now = chain_now(platform)
    vault = platform.vault.functions
    phases: list[PhaseStatus] = []
    for p in view.phases:
        previous = phases[-1].merit if phases else None
        phases.append(_phase_status(platform, store, ledger, events, p, now, previous))
    spec = _spec(store, events.spec_cid)
    return ChallengeStatus(
        view=view,
        title=spec.title if spec else None,
        spec_cid=events.spec_cid,
        now=now,
        oracles=tuple(
            platform.registry.functions.oraclesAt(challenge_id, view.config_version).call()
        ),
        escrow_balance=int(vault.escrowBalance(challenge_id).call()),
        refunded=events.refunded,
        closed=bool(vault.isClosed(challenge_id).call()),
        phases=tuple(phases),
    )


def _spec(store: ContentStore | None, spec_cid: str) -> ChallengeSpec | None:
    if store is None:
        return None
    try:
        return load_spec(store.cat(spec_cid, max_bytes=SPEC_MAX_BYTES))
    except CoopError:
        return None


def _root(platform: Platform, events: Challenge, phase: int) -> RootStatus | None:
    record = read_root(platform, events.challenge_id, phase)
    if record.state == RootState.NONE:
        return None
    root = record.merkle_root
    posted = [r for r in events.roots if r.phase == phase and "0x" + r.merkle_root.hex() == root]
    claimed = sum(c.amount for c in events.claims if c.phase == phase)
    return RootStatus(
        seq=record.seq, merkle_root=root, total=record.total,
        report_cid=posted[-1].report_cid if posted else "", claimable_at=record.claimable_at,
        state=record.state, claimed=claimed, arbiter_deadline=record.arbiter_deadline,
    )  # fmt: skip


def _phase_status(platform: Platform, store: ContentStore | None, ledger: Ledger,
                  events: Challenge, phase: PhaseView, now: int,
                  previous: Merit | None) -> PhaseStatus:  # fmt: skip
    submissions = ledger.submissions_of(events.challenge_id, phase.index)
    root = _root(platform, events, phase.index)
    holdout = events.phases[phase.index].holdout
    stage, next_step = _stage(phase, root, now)
    spec_cid = events.phases[phase.index].spec_cid
    r = phase.rules
    merit = Merit.of(spec_cid, r.higher_is_better, r.baseline, r.target, r.eta,
                     _spec(store, spec_cid))  # fmt: skip
    publicly = public_board(ledger, events, phase.index)
    opened = private_opened(ledger, events, phase.index)
    privately = private_board(ledger, events, phase.index) if opened else []
    return PhaseStatus(
        phase=phase,
        spec_cid=spec_cid,
        stage=stage,
        next_step=next_step,
        committed=len(submissions),
        revealed=sum(1 for s in submissions if s.reveal is not None),
        scored=sum(1 for s in submissions if s.score is not None),
        labels_cid=holdout.labels_cid if holdout else None,
        revealer=holdout.revealer if holdout else None,
        judges=events.judges_of(phase.index),
        root=root,
        merit=merit,
        changed=changes(previous, merit),
        best_public=publicly[0] if publicly else None,
        best_private=privately[0] if privately else None,
        extension=events.phases[phase.index].extension,
    )


def reached(stage: Stage, wanted: Stage) -> bool:
    """Whether a phase at `stage` has reached `wanted` (or gone past it)."""
    order = list(Stage)
    return order.index(stage) >= order.index(wanted)


def _stage(p: PhaseView, root: RootStatus | None, now: int) -> tuple[Stage, str]:
    if now < p.commit_start:
        return Stage.UPCOMING, f"commits open {time_text(p.commit_start, now)}"
    if now < p.commit_end:
        return Stage.COMMIT, f"commits close {time_text(p.commit_end, now)}"
    if now <= p.reveal_end:
        return Stage.REVEAL, f"reveals close {time_text(p.reveal_end, now)}"
    if not p.holdout_revealed:
        return Stage.AWAITING_HOLDOUT, (
            "the owner reveals the holdout (coop challenge reveal-holdout); after the grace "
            "period an oracle holding the secret does"
        )
    if root is None:
        return Stage.AWAITING_ROOT, "the oracles open the private scores and post the rewards root"
    if root.state is RootState.DISPUTED:
        by = f" by {time_text(root.arbiter_deadline, now)}" if root.arbiter_deadline else ""
        return Stage.DISPUTED, f"the arbiter rejects the dispute or voids the root{by}"
    if root.state is RootState.VOIDED:
        return Stage.VOIDED, "the oracles post a corrected rewards root"
    if now < root.claimable_at:
        return Stage.DISPUTE_WINDOW, f"claims open {time_text(root.claimable_at, now)}"
    return Stage.CLAIMS_OPEN, "participants claim their rewards (coop claim)"
