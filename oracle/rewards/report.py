"""The reward report: JSON-serializable results of one rule run, and the inputs digest."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from typing import Any

from eth_utils.crypto import keccak

from oracle.rewards.model import Leaf, NearCopy, RewardInputs
from oracle.types import Address, ChallengeId, PhaseIndex, SubmissionId, Wad

RULE_VERSION = "1"
REPORT_MAX_BYTES = 64 << 20  # the most a published report may hold; readers fetch no more


class ReviewStatus(Enum):
    """Why a review earns a share of the review pool, or why it does not."""

    COUNTED = "counted"
    UNKNOWN_SUBMISSION = "unknown submission"
    INVALID_SUBMISSION = "invalid submission"
    OWN_SUBMISSION = "own submission"
    REPEATED_PAIR = "repeated pair"
    REVIEWER_CAP_REACHED = "reviewer cap reached"


@dataclass(frozen=True)
class PoolSplit:
    """An amount per pool: the pools themselves, or what each one paid."""

    improvement: int
    prize: int
    review: int


@dataclass(frozen=True)
class ParentPass:
    """What a child passed to one parent; `in_phase` is False for a parent outside these inputs."""

    parent_id: SubmissionId
    parent_submitter: Address
    in_phase: bool
    amount: int


@dataclass(frozen=True)
class SubmissionAward:
    """Everything one submission earned, received and passed on.

    `final = improvement_award + prize_award + received_from_children - passed_to_parents`.
    `paid_to_reviewers` is review-pool money credited to this submission's reviewers; it is
    not part of `final`.
    """

    submission_id: SubmissionId
    submitter: Address
    commit_block: int
    valid: bool
    private_score: Wad | None
    improvement_award: int
    prize_rank: int | None
    prize_award: int
    paid_to_reviewers: int
    received_from_children: int
    rho_bps: int
    passes: tuple[ParentPass, ...]
    passed_to_parents: int
    final: int


@dataclass(frozen=True)
class ReviewAward:
    """One review event and what it earned its reviewer."""

    reviewer: Address
    submission_id: SubmissionId
    block: int
    log_index: int
    status: ReviewStatus
    award: int


@dataclass(frozen=True)
class AccountTotal:
    """What one address is owed, by source; `total` is its Merkle leaf amount."""

    account: Address
    from_submissions: int
    from_reviews: int
    from_outside_children: int
    total: int


@dataclass(frozen=True)
class Compensation:
    """Rule v2: a submission that lost a prize rank through a correction of the phase, what
    the rank paid under the previous correction, and what the compensation pool pays it."""

    submission_id: SubmissionId
    submitter: Address
    old_prize_rank: int
    new_prize_rank: int | None
    lost: int  # old prize award - new prize award
    award: int


@dataclass(frozen=True)
class TeamPart:
    """One member of a team: its share, what its own account earned, what its leaf pays."""

    account: Address
    share_ppm: int
    earned: int
    paid: int


@dataclass(frozen=True)
class TeamPayout:
    """A formed team's pool (what its members' accounts earned together) and its split."""

    team_id: int
    pool: int
    members: tuple[TeamPart, ...]


@dataclass(frozen=True)
class RewardReport:
    """The published result of reward rule v1 for one phase (see docs/rewards.md)."""

    rule_version: str
    inputs_digest: str
    challenge_id: ChallengeId
    phase: PhaseIndex
    bounty: int
    escrow_left: int
    pools: PoolSplit
    paid: PoolSplit
    total: int
    unassigned: int
    submissions: tuple[SubmissionAward, ...]
    reviews: tuple[ReviewAward, ...]
    accounts: tuple[AccountTotal, ...]
    leaves: tuple[Leaf, ...]
    # valid submissions left out of the prizes for a licence that is not open (listed only
    # when there are some, so earlier reports keep their bytes)
    prize_ineligible: tuple[SubmissionId, ...] = ()
    near_copies: tuple[NearCopy, ...] = ()  # the evidence of each near-copy credited as a fork
    compensations: tuple[Compensation, ...] = ()  # rule v2 only (left out of v1's JSON)
    # formed teams: `accounts` says what each account earned, and a member's leaf pays its
    # part of its team's pool instead (listed only when there are some)
    teams: tuple[TeamPayout, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data; every integer is a decimal string. `near_copies`
        is left out when empty, so a report without any keeps the text (and CID) it had
        before near-copies were detected."""
        data = to_jsonable(self)
        assert isinstance(data, dict)
        if not self.prize_ineligible:
            del data["prize_ineligible"]
        if not self.near_copies:
            del data["near_copies"]
        if not self.teams:
            del data["teams"]
        if self.rule_version == RULE_VERSION:
            del data["compensations"]  # v1 reports read as they always did
        return data

    def to_json(self) -> str:
        """The report as canonical JSON text (sorted keys, no spaces)."""
        return _canonical_text(self.to_dict())


def to_jsonable(value: object) -> Any:
    """Convert dataclasses, enums, tuples and ints into JSON data (ints become strings).

    JavaScript loses integer precision above 2**53, so token amounts and WAD scores are
    written as decimal strings; every integer is, so a reader needs one rule only.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Enum):
        return to_jsonable(value.value)
    if isinstance(value, tuple | list):
        return [to_jsonable(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    raise TypeError(f"cannot encode {type(value).__name__} in a reward report")


def _canonical_text(data: Any) -> str:
    """Canonical JSON text of a report or inputs: sorted keys, no whitespace, ASCII only."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def inputs_digest(inputs: RewardInputs) -> str:
    """keccak256 of the canonical JSON of the inputs (already sorted), as 0x-hex.

    `prize_tie_groups`, `prize_ineligible`, `near_copies` and `teams` are left out when
    empty, so inputs without shared prizes, licence rules, near-copies or teams keep the
    digest they had before those rules existed."""
    data = to_jsonable(inputs)
    for name in ("prize_tie_groups", "prize_ineligible", "near_copies", "teams"):
        if not data[name]:
            del data[name]
    return "0x" + keccak(text=_canonical_text(data)).hex()
