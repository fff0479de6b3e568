"""The platform's history as typed records, rebuilt from events alone (see replay.py).

Nothing here is read from contract storage: an auditor with only the logs gets the same
records. Scores are WAD integers, amounts token base units, addresses checksummed.
"""

from dataclasses import dataclass, field
from enum import StrEnum

from oracle.errors import CoopError
from oracle.types import Address, Verdict

Position = tuple[int, int]  # (block, log index): where an event sits in chain order


class RootStanding(StrEnum):
    """Where a posted rewards root stands after its disputes, as the events tell it (the
    value is the text `coop`, the API and the export show)."""

    LIVE = "live"  # posted, or its dispute rejected or lapsed: claims open after the window
    DISPUTED = "disputed"  # a dispute is open: the arbiter decides
    VOIDED = "voided"  # the arbiter upheld a dispute, or a correction of its phase came first


class UnknownChallenge(CoopError, LookupError):
    """No ChallengeCreated event names this id on this deployment."""


@dataclass(frozen=True)
class OracleSet:
    """One version of a challenge's judges: who signs, how many signatures count and who
    decides disputes, for the phases whose commits open at or after `active_from` (a unix
    time; 0 for the set named at creation). Announced at `from_block`."""

    version: int
    oracles: tuple[Address, ...]
    quorum: int
    config_digest: bytes
    from_block: int
    arbiter: Address
    active_from: int


@dataclass(frozen=True)
class HoldoutReveal:
    labels_cid: str
    labels_digest: bytes
    split_salt: bytes
    block: int
    revealer: Address  # the owner, an oracle, or anyone else holding the secret


@dataclass(frozen=True)
class PhaseExtension:
    """A PhaseExtended event: an oracle outage in the phase's last day of commits moved both
    its windows `extension` seconds later (the wait of `waiting_submission_id`, capped)."""

    waiting_submission_id: int
    revealed_at: int
    outage: int
    extension: int
    block: int


@dataclass(frozen=True)
class QuotaRelease:
    """A QuotaReleased event: the oracles missed the scoring deadline, so the commit no longer
    counts against the submitter's daily cap (`slot_freed` false: it was over a day old)."""

    committed_at: int
    slot_freed: bool
    block: int


@dataclass
class Team:
    """A TeamProposed event, formed once TeamFormed follows (every member consented), retired
    once TeamMerged names the newer team its members all consented to."""

    team_id: int
    challenge_id: int
    members: tuple[Address, ...]
    shares_ppm: tuple[int, ...]
    proposed_block: int
    formed_block: int | None = None
    combined_submissions: int = 0  # the commits the members brought into the shared cap
    merged_into: int | None = None  # the team that took it over whole (TeamMerged)


@dataclass(frozen=True)
class Correction:
    """The owner corrected a phase's scorer and/or labels (CorrectionPublished): scores and
    rewards count under the newest correction only; `number` counts from 1."""

    number: int
    scorer_cid: str  # "" when the scorer stands
    holdout_commitment: bytes  # 32 zero bytes when the labels stand
    reason_cid: str
    block: int
    replaced_holdout: HoldoutReveal | None  # the reveal the corrected labels replaced


@dataclass
class Phase:
    index: int
    spec_cid: str
    higher_is_better: bool  # this phase's rules, fixed when it was added
    baseline: int
    target: int
    eta: int
    commit_start: int
    commit_end: int
    reveal_end: int
    holdout_commitment: bytes
    bounty: int
    block: int
    holdout: HoldoutReveal | None = None
    extension: PhaseExtension | None = None  # commit_end and reveal_end include it
    corrections: list[Correction] = field(default_factory=list)  # in order, numbers 1, 2, ...

    @property
    def correction(self) -> int:
        """The correction scores and roots of this phase are posted under now (0: none)."""
        return len(self.corrections)

    @property
    def corrected_scorer_cid(self) -> str:
        """The newest corrected scorer program's CID ("" while the spec's scorer stands)."""
        return self.scorer_cid_under(self.correction)

    def scorer_cid_under(self, correction: int) -> str:
        """The CID of the corrected scorer in force under `correction` (corrections 1 to
        `correction`; "" while the spec's own scorer stood)."""
        in_force = self.corrections[:correction]
        return next((c.scorer_cid for c in reversed(in_force) if c.scorer_cid), "")


@dataclass(frozen=True)
class Reveal:
    artifact_cid: str
    parents: tuple[int, ...]
    weights_ppm: tuple[int, ...]
    block: int


@dataclass(frozen=True)
class Score:
    """One ScoreRecorded: what a quorum attested for a submission, and where."""

    seq: int
    status: int
    public_score: int
    private_commitment: bytes
    report_digest: bytes
    block: int
    tx_hash: bytes
    position: Position = (0, 0)
    correction: int = 0  # the phase's correction the batch was posted under


@dataclass(frozen=True)
class PrivateScore:
    score: int
    salt: bytes
    block: int


@dataclass
class Submission:
    submission_id: int
    challenge_id: int
    submitter: Address
    phase: int
    commitment: bytes
    bond: int
    commit_block: int
    reveal: Reveal | None = None
    score: Score | None = None  # under the phase's current correction
    private: PrivateScore | None = None  # opens `score`
    quota_release: QuotaRelease | None = None
    # scores under earlier corrections, oldest first, each with its opening (if any)
    earlier: list[tuple[Score, PrivateScore | None]] = field(default_factory=list)

    def score_of_batch(self, seq: int) -> Score | None:
        """The score batch `seq` recorded for this submission (current or corrected away)."""
        scores = [s for s, _ in self.earlier] + ([self.score] if self.score else [])
        return next((s for s in scores if s.seq == seq), None)


@dataclass(frozen=True)
class ScoreBatchPosted:
    """One ScoresPosted event: the batch header parts the event carries and its transaction."""

    challenge_id: int
    phase: int
    seq: int
    items_hash: bytes
    item_count: int
    relayer: Address
    block: int
    tx_hash: bytes
    correction: int = 0


@dataclass(frozen=True)
class ReviewEntry:
    submission_id: int
    challenge_id: int
    reviewer: Address
    verdict: Verdict
    review_cid: str
    block: int
    log_index: int


@dataclass(frozen=True)
class DisputeFiled:
    """Someone disputed a rewards root: their bond (wei) and the reason they published."""

    disputer: str
    bond: int
    reason_cid: str
    block: int


@dataclass(frozen=True)
class EscrowMove:
    """One change of what a challenge's vault holds unallocated, where it happened.

    Deposits and voided roots add, posted roots and the refund take away: the vault's
    `unallocated` at any point of the chain is the sum of the moves before it.
    """

    position: Position
    amount: int  # signed, token base units
    cause: str  # "deposit", "root posted", "root voided", "root voided by a correction", "refund"


@dataclass
class RewardRootPosted:
    """A rewards root as posted; `state` follows disputes and corrections: live, disputed,
    voided (by the arbiter or by a correction of its phase)."""

    challenge_id: int
    phase: int
    seq: int
    merkle_root: bytes
    total: int
    report_cid: str
    claimable_at: int
    block: int
    tx_hash: bytes
    position: Position = (0, 0)
    state: RootStanding = RootStanding.LIVE
    disputes: list[DisputeFiled] = field(default_factory=list)  # in order
    voided_by_correction: bool = False  # voided by a correction of its phase, not the arbiter


@dataclass(frozen=True)
class Claim:
    challenge_id: int
    phase: int
    account: Address
    amount: int
    block: int


@dataclass
class Challenge:
    challenge_id: int
    owner: Address
    token: str
    dispute_window: int
    dispute_bond: int
    arbiter: Address
    daily_cap: int
    commit_bond: int
    parent_challenge: int
    spec_cid: str
    block: int
    notice_period: int  # seconds between announcing new judges or a phase and its start
    scoring_deadline: int = 0  # seconds the oracles have to score a reveal (0: no protection)
    max_outage_extension: int = 0  # the cap on a phase's outage extension (0: never)
    oracle_sets: list[OracleSet] = field(default_factory=list)
    phases: list[Phase] = field(default_factory=list)
    escrow_moves: list[EscrowMove] = field(default_factory=list)  # in chain order
    batches: list[ScoreBatchPosted] = field(default_factory=list)
    roots: list[RewardRootPosted] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def refunded(self) -> int:
        """What the owner took back at the end (RemainderRefunded)."""
        return -sum(m.amount for m in self.escrow_moves if m.cause == "refund")

    def unallocated_before(self, position: Position) -> int:
        """What the vault held unallocated for this challenge just before `position`."""
        return sum(m.amount for m in self.escrow_moves if m.position < position)

    def judges_of(self, phase: int) -> OracleSet:
        """The judges of `phase`: the newest version in force when its commits open (as
        `ChallengeRegistry.phaseJudges` decides)."""
        commit_start = self.phases[phase].commit_start
        current = self.oracle_sets[0]
        for candidate in self.oracle_sets:
            if candidate.active_from <= commit_start:
                current = candidate
        return current


@dataclass
class Ledger:
    """Every challenge, submission and review the events tell of, up to `last_block`."""

    last_block: int
    challenges: dict[int, Challenge] = field(default_factory=dict)
    submissions: dict[int, Submission] = field(default_factory=dict)
    reviews: list[ReviewEntry] = field(default_factory=list)
    teams: dict[int, "Team"] = field(default_factory=dict)

    def challenge(self, challenge_id: int) -> Challenge:
        found = self.challenges.get(challenge_id)
        if found is None:
            known = ", ".join(str(c) for c in sorted(self.challenges)) or "none yet"
            raise UnknownChallenge(
                f"challenge {challenge_id} does not exist on this deployment (known: {known})"
            )
        return found

    def submissions_of(self, challenge_id: int, phase: int | None = None) -> list[Submission]:
        return [
            s
            for s in sorted(self.submissions.values(), key=lambda s: s.submission_id)
            if s.challenge_id == challenge_id and (phase is None or s.phase == phase)
        ]

    def reviews_of(self, challenge_id: int) -> list[ReviewEntry]:
        return [r for r in self.reviews if r.challenge_id == challenge_id]


def teams_of(ledger: Ledger, address: str) -> list[tuple[Team, int]]:
    """Every team proposed with `address` as a member, with its share (ppm), by team id."""
    found = []
    for team in sorted(ledger.teams.values(), key=lambda t: t.team_id):
        for member, share in zip(team.members, team.shares_ppm, strict=True):
            if member.lower() == address.lower():
                found.append((team, share))
    return found


def team_submissions(ledger: Ledger, team: Team) -> list[Submission]:
    """The submissions of the team's members in its challenge: the team's work."""
    members = {m.lower() for m in team.members}
    return [s for s in ledger.submissions_of(team.challenge_id)
            if s.submitter.lower() in members]  # fmt: skip
