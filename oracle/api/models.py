"""The JSON the API answers with, as pydantic models (docs/api.md describes each one).

Token amounts and WAD scores are decimal strings (they exceed 2**53); ids, blocks,
timestamps and counts are numbers.
"""

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from oracle.ledger.model import RootStanding
from oracle.types import WAD

T = TypeVar("T")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Score(Model):
    wad: str
    decimal: str

    @classmethod
    def of(cls, wad: int | str) -> "Score":
        value = int(wad)
        whole, fraction = divmod(abs(value), WAD)
        text = f"{whole}.{fraction:018d}".rstrip("0").rstrip(".")
        return cls(wad=str(value), decimal=("-" if value < 0 else "") + text)


class Page(Model, Generic[T]):
    items: list[T]
    next_cursor: str | None


class BoardTeam(Model):
    """The formed team a board entry stands for: it appears once, as its members' best."""

    team_id: int
    members: list[str]  # ascending, as the book stores them


class BoardEntry(Model):
    rank: int
    participant: str  # the submitter of the entry's submission
    submission_id: int
    score: Score
    block: int
    # present only on a team's entry: the rows of participants outside teams keep their keys
    team: BoardTeam | None = Field(default=None, exclude_if=lambda team: team is None)
    # private boards, once derived: the 95% bootstrap interval [low, high] of the score and
    # the tie group (1 = statistically tied with the leader); docs/rewards.md, "Ties"
    interval: tuple[Score, Score] | None = None
    tie_group: int | None = None
    licence: str | None = None  # the entry's SPDX licence, when it can be read


class Leaderboard(Model):
    challenge_id: int
    board: Literal["public", "private"]
    phase: int | None
    higher_is_better: bool
    baseline: Score
    target: Score
    opened: bool
    note: str
    total: int
    items: list[BoardEntry]
    next_cursor: str | None
    intervals_note: str | None = None  # private boards: whether intervals exist, or why not


class Holdout(Model):
    labels_cid: str
    labels_digest: str
    split_salt: str
    block: int
    revealer: str  # the owner, or an oracle holding the secret after the owner's grace period


class PhaseExtension(Model):
    """An oracle outage in the last day of commits moved the phase's windows (once)."""

    waiting_submission_id: int  # the submission that waited unscored
    revealed_at: int
    outage: int  # seconds it waited
    extension: int  # seconds both windows moved: the outage, capped by the challenge
    block: int


class TeamMember(Model):
    address: str
    share_ppm: int  # of the team's rewards


class Team(Model):
    """A team proposed for a challenge; `formed` once every member consented on chain;
    `merged_into` once a newer team took it over whole (its members all consented)."""

    team_id: int
    challenge_id: int
    proposer: str
    members: list[TeamMember]
    formed: bool
    combined_submissions: int | None  # what the members brought into the shared cap
    merged_into: int | None
    submission_ids: list[int]  # the members' submissions in the challenge: the team's work
    block: int


class Teams(Model):
    challenge_id: int
    teams: list[Team]


class QuotaProtection(Model):
    """The challenge's scoring deadline as it applies to one submission."""

    scoring_deadline: int  # seconds the oracles have to score a reveal
    due_by: int | None  # reveal time + deadline; None while unrevealed
    released: bool  # releaseQuota ran: its commit no longer counts against the daily cap
    slot_freed: bool  # false when the commit was already over a day old at the release
    release_block: int | None


class Phase(Model):
    phase: int
    spec_cid: str
    higher_is_better: bool  # this phase's rules, fixed on chain when it was added
    baseline: Score
    target: Score
    eta: Score
    commit_start: int
    commit_end: int
    reveal_end: int
    holdout_commitment: str
    bounty: str
    state: Literal["upcoming", "commit", "reveal", "ended"]
    added_block: int
    holdout: Holdout | None
    score_batches: int
    private_batches_opened: int
    judges_version: int  # the oracle set (and arbiter) in force when its commits opened
    arbiter: str
    changed: list[str]  # what it changed from the phase before, "what old -> new"
    best_public: BoardEntry | None  # the top of its public board
    best_private: BoardEntry | None  # the top of its private board, once opened
    extension: PhaseExtension | None = None  # commit_end and reveal_end include it


class OracleSet(Model):
    version: int
    oracles: list[str]
    quorum: int
    config_digest: str
    from_block: int
    arbiter: str
    active_from: int  # judges the phases whose commits open at or after this unix time


class Escrow(Model):
    deposited: str
    allocated: str
    claimed: str
    refunded: str
    balance: str


class ChallengeSummary(Model):
    challenge_id: int
    owner: str
    spec_cid: str
    token: str
    bounty: str
    higher_is_better: bool  # the latest phase's rules (each phase has its own: Phase)
    baseline: Score
    target: Score
    eta: Score
    phase_count: int
    state: Literal["upcoming", "commit", "reveal", "ended"]
    submission_count: int
    participant_count: int
    best: BoardEntry | None
    created_block: int
    parent_challenge: int


class Challenge(ChallengeSummary):
    arbiter: str  # of the newest announced oracle set; each phase has its own
    notice_period: int  # seconds: new judges apply only to phases opening this much later
    dispute_window: int
    dispute_bond: str
    daily_cap: int
    commit_bond: str
    scoring_deadline: int  # seconds the oracles have to score a reveal; 0 = no protection
    max_outage_extension: int  # cap on a phase's extension after an outage; 0 = never
    phases: list[Phase]
    oracle_sets: list[OracleSet]
    escrow: Escrow
    review_count: int
    improvement_count: int


class Improvement(Model):
    challenge_id: int
    phase: int
    submission_id: int
    participant: str
    previous_best: Score
    score: Score
    block: int
    timestamp: int | None


class Improvements(Model):
    challenge_id: int
    phase: int
    higher_is_better: bool
    baseline: Score
    target: Score
    items: list[Improvement]


class SubmissionLicence(Model):
    """The SPDX licence a submission carries (docs/licences.md)."""

    spdx: str
    declared: bool  # named in the artifact's coop-source.json; else the spec's default
    open: bool  # an open licence (prizes may require one)


class RankChange(Model):
    """One submission whose rank or status a correction changed (None: not ranked / not
    scored under that version)."""

    submission_id: int
    participant: str
    old_rank: int | None
    new_rank: int | None
    old_status: str  # a status name, or "unscored"
    new_status: str
    old_score: Score | None
    new_score: Score | None


class RankChanges(Model):
    """A phase's rank changes between its previous and current correction."""

    challenge_id: int
    phase: int
    correction: int  # 0: never corrected (no changes)
    reason_cid: str | None  # the current correction's reason on IPFS
    ranked_by: Literal["private", "public"]
    items: list[RankChange]


class SubmissionSummary(Model):
    submission_id: int
    challenge_id: int
    phase: int
    submitter: str
    state: Literal["committed", "revealed", "scored"]
    status: int | None
    status_name: str | None
    valid: bool | None
    public_score: Score | None
    artifact_cid: str | None
    commit_block: int
    parent_count: int
    child_count: int
    licence: SubmissionLicence | None = None  # None until revealed, or when unreadable


class ForkLink(Model):
    submission_id: int
    challenge_id: int
    submitter: str
    weight_ppm: int


class ScoreRecord(Model):
    status: int
    status_name: str
    valid: bool
    reason: str
    public_score: Score | None
    private_commitment: str
    report_digest: str
    seq: int
    block: int
    tx_hash: str


class OracleRun(Model):
    """One oracle's own record of its run of a code submission (oracle/coderun/record.py:
    resources, its outcome, the log's tail when every input is public), from its
    GET /v1/runs/{id}; `cid` is where it published the record on IPFS."""

    oracle: str  # its base URL
    answered: bool
    cid: str | None = None
    record: dict[str, Any] | None = None
    error: str | None = None  # why there is no record


class SubmissionReceipt(Model):
    """What the report that a score's `reportDigest` names says (reason in words and, for
    code, the receipt: oracle/scoring/receipt.py's CodeReceipt as JSON), and each oracle's run."""

    submission_id: int
    report_cid: str | None  # None until the submission is scored
    report_available: bool  # the report's bytes are in this node's block store
    status_name: str | None
    reason: str | None
    receipt: dict[str, Any] | None  # None for a predictions file
    runs: list[OracleRun]


class PrivateScore(Model):
    """An opened private-score commitment; `score` is None for an invalid submission (its
    commitment opens to 0 by the protocol, but it has no private score)."""

    score: Score | None
    salt: str
    block: int


class Review(Model):
    submission_id: int
    challenge_id: int
    reviewer: str
    verdict: int
    verdict_name: str
    review_cid: str
    block: int


class OracleScoring(Model):
    """What one oracle says of an unscored submission (from its /healthz)."""

    oracle: str  # its base URL
    answered: bool
    waiting: bool  # it holds the submission back for a reason that is not the submitter's
    reason: str | None = None
    tries: int | None = None
    next_try_in_seconds: float | None = None
    error: str | None = None  # why it did not answer


class ScoringProgress(Model):
    submission_id: int
    state: Literal["committed", "revealed", "scored"]
    waiting: bool  # some oracle holds it waiting (see `oracles` for the reasons)
    oracles: list[OracleScoring]


class NearCopyOf(Model):
    """The evidence that a submission is an uncredited near-copy, rewarded as a fork of
    `source_id` (docs/rewards.md, "Near-copies"); `distance` is `distance_ppm` / 10^6."""

    source_id: int
    source_submitter: str
    distance_ppm: int
    distance: str
    evidence: Literal["predictions", "files"]


class SubmissionReward(Model):
    phase: int
    seq: int
    improvement_award: str
    prize_rank: int | None
    prize_award: str
    received_from_children: str
    passed_to_parents: str
    final: str
    near_copy_of: NearCopyOf | None = None


class SourceLink(Model):
    """Where a submission's code came from, as the coop-source.json in its artifact says."""

    repository: str
    commit: str
    path: str
    url: str | None  # a browsable link to the commit, for http(s) repositories


class QueuePlace(Model):
    submission_id: int
    challenge_id: int
    phase: int
    position: int
    waited_seconds: int
    estimate_seconds: int | None


class ScoringQueue(Model):
    pending: list[QueuePlace]
    seconds_per_submission: float | None
    based_on: int
    now: int | None


class Submission(SubmissionSummary):
    commitment: str
    bond: str
    commit_tx: str
    commit_timestamp: int | None
    reveal_block: int | None
    parents: list[ForkLink]
    children: list[ForkLink]
    score: ScoreRecord | None
    private_score: PrivateScore | None
    reviews: list[Review]
    rewards: list[SubmissionReward]
    source: SourceLink | None = None  # from the artifact's coop-source.json, when it has one
    queue: QueuePlace | None = None  # while revealed and not scored
    quota: QuotaProtection | None = None  # when the challenge sets a scoring deadline


class ForkNode(Model):
    submission_id: int
    challenge_id: int
    submitter: str
    state: Literal["committed", "revealed", "scored"]
    status_name: str | None
    public_score: Score | None
    external: bool


class ForkEdge(Model):
    child: int
    parent: int
    weight_ppm: int
    reward_flow: str | None


class ForkGraph(Model):
    challenge_id: int
    nodes: list[ForkNode]
    edges: list[ForkEdge]
    next_cursor: str | None


class Dispute(Model):
    disputer: str
    bond: str
    reason_cid: str
    block: int


class Resolution(Model):
    outcome: Literal["upheld", "rejected", "lapsed"]
    upheld: bool
    arbiter: str | None  # who decided; None when the dispute lapsed undecided
    block: int


class ReportState(Model):
    status: Literal["pending", "available", "unavailable", "invalid"]
    detail: str
    leaf_count: int


class RewardRoot(Model):
    challenge_id: int
    phase: int
    seq: int
    merkle_root: str
    total: str
    report_cid: str
    claimable_at: int
    block: int
    tx_hash: str
    state: RootStanding
    claims_open: bool
    disputes: list[Dispute]
    resolutions: list[Resolution]
    report: ReportState
    claimed_total: str
    claim_count: int


class Claim(Model):
    challenge_id: int
    phase: int
    account: str
    amount: str
    block: int
    tx_hash: str


class Rewards(Model):
    challenge_id: int
    escrow: Escrow
    roots: list[RewardRoot]
    claims: list[Claim]


class LeafEntry(Model):
    account: str
    amount: str
    claimed: bool


class Proof(Model):
    challenge_id: int
    phase: int
    seq: int
    account: str
    amount: str
    proof: list[str]
    merkle_root: str
    claimable_at: int
    claims_open: bool
    claimed: bool
    root_state: RootStanding


class ProfileReward(Model):
    challenge_id: int
    phase: int
    seq: int
    amount: str
    claimed: bool
    claimable_at: int
    root_state: RootStanding


class Profile(Model):
    address: str
    submission_count: int
    challenges: list[int]
    recent_submissions: list[SubmissionSummary]
    improvements: list[Improvement]
    reviews: list[Review]
    rewards: list[ProfileReward]
    claims: list[Claim]


class PhaseAudit(Model):
    phase: int
    holdout_revealed: bool
    score_batches: int
    private_batches_opened: int
    scored_submissions: int


class BatchAudit(Model):
    seq: int
    phase: int
    item_count: int
    items_hash: str
    relayer: str
    block: int
    tx_hash: str
    private_opened: bool


class AuditCheck(Model):
    name: str
    ok: bool | None
    detail: str


class AuditStatus(Model):
    challenge_id: int
    indexed_block: int
    full_audit: str
    phases: list[PhaseAudit]
    score_batches: list[BatchAudit]
    roots: list[RewardRoot]
    escrow: Escrow
    checks: list[AuditCheck]


class DeploymentInfo(Model):
    token: str
    registry: str
    book: str
    score_board: str
    vault: str
    block: int


class Status(Model):
    chain_id: int
    deployment: DeploymentInfo
    indexed_block: int
    chain_time: int | None
    schema_version: str
    challenge_count: int
    submission_count: int


class Added(Model):
    cid: str
    size: int


class FolderFile(Model):
    path: str  # inside the folder, "/"-separated
    cid: str
    size: int


class FolderListing(Model):
    cid: str
    files: list[FolderFile]
    total_bytes: int


class FolderPart(Model):
    path: str
    cid: str


class NewFolder(Model):
    files: list[FolderPart]


class Problem(Model):
    type: str
    title: str
    status: int
    detail: str
    reason: str
    instance: str
    errors: list[dict[str, object]] | None = None
