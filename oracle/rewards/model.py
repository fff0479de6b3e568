"""Typed inputs and outputs of the reward rule, validated once when they are built."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from eth_utils.address import to_checksum_address

from oracle.errors import InvalidRewardInputs
from oracle.spec import Direction
from oracle.types import (
    BPS,
    PPM,
    Address,
    ChallengeId,
    PhaseIndex,
    SubmissionId,
    Wad,
    address_problem,
)

UINT256_MAX = 2**256 - 1
INT256_MIN = -(2**255)
INT256_MAX = 2**255 - 1


def checksum(value: str, what: str) -> Address:
    """Return `value` as a checksummed address, or raise naming the field that holds it."""
    problem = address_problem(value)
    if problem is not None:
        raise InvalidRewardInputs(f"{what} {value!r} {problem}")
    return Address(to_checksum_address(str(value)))


def _check_range(value: int, low: int, high: int, what: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise InvalidRewardInputs(f"{what} must be an integer in [{low}, {high}], got {value!r}")


@dataclass(frozen=True)
class ParentRef:
    """A parent named by a fork: it may live in another challenge, so it carries its submitter."""

    submission_id: SubmissionId
    submitter: Address
    private_score: Wad | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "submitter", checksum(self.submitter, "parent submitter"))
        if self.private_score is not None:
            _check_range(self.private_score, INT256_MIN, INT256_MAX, "parent private score")


@dataclass(frozen=True)
class SubmissionRecord:
    """One revealed submission of the phase, with its private score and declared parents."""

    submission_id: SubmissionId
    submitter: Address
    challenge_id: ChallengeId
    commit_block: int
    valid: bool
    private_score: Wad | None
    parents: tuple[ParentRef, ...] = ()
    weights_ppm: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        sid = self.submission_id
        object.__setattr__(self, "submitter", checksum(self.submitter, f"submitter of #{sid}"))
        object.__setattr__(self, "parents", tuple(self.parents))
        object.__setattr__(self, "weights_ppm", tuple(self.weights_ppm))
        _check_range(self.commit_block, 0, UINT256_MAX, f"commit block of #{sid}")
        if self.valid and self.private_score is None:
            raise InvalidRewardInputs(f"submission #{sid} is valid but has no private score")
        if self.private_score is not None:
            _check_range(self.private_score, INT256_MIN, INT256_MAX, f"private score of #{sid}")
        if len(self.weights_ppm) != len(self.parents):
            raise InvalidRewardInputs(f"submission #{sid}: one weight per parent is required")
        for weight in self.weights_ppm:
            _check_range(weight, 0, PPM, f"parent weight of #{sid}")
        if self.parents and sum(self.weights_ppm) != PPM:
            raise InvalidRewardInputs(f"submission #{sid}: parent weights must sum to {PPM}")
        parent_ids = [parent.submission_id for parent in self.parents]
        if len(set(parent_ids)) != len(parent_ids) or sid in parent_ids:
            raise InvalidRewardInputs(f"submission #{sid}: parents repeat or include itself")

    @property
    def commit_key(self) -> tuple[int, int]:
        """Commit order: commit block, then submission id."""
        return (self.commit_block, self.submission_id)


@dataclass(frozen=True)
class Review:
    """A review event; `log_index` orders reviews mined in the same block."""

    reviewer: Address
    submission_id: SubmissionId
    block: int
    log_index: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "reviewer", checksum(self.reviewer, "reviewer"))
        _check_range(self.block, 0, UINT256_MAX, "review block")
        _check_range(self.log_index, 0, UINT256_MAX, "review log index")

    @property
    def order_key(self) -> tuple[int, int, int, int]:
        """Earliest first; ties (same block and log index) by reviewer, then submission."""
        return (self.block, self.log_index, int(self.reviewer, 16), self.submission_id)


class NearCopyEvidence(StrEnum):
    """What shows a near-copy: its predictions on the public rows, or a code folder's files."""

    PREDICTIONS = "predictions"
    FILES = "files"


@dataclass(frozen=True)
class NearCopy:
    """An uncredited near-copy: `submission_id` is within the spec's distance of the earlier
    `source_id`, by another address, which it did not name as a parent (docs/rewards.md)."""

    submission_id: SubmissionId
    source_id: SubmissionId
    source_submitter: Address
    distance_ppm: int
    evidence: NearCopyEvidence

    def __post_init__(self) -> None:
        sid = self.submission_id
        checked = checksum(self.source_submitter, f"source submitter of near-copy #{sid}")
        object.__setattr__(self, "source_submitter", checked)
        _check_range(self.distance_ppm, 0, PPM, f"near-copy distance of #{sid}")
        if not isinstance(self.evidence, NearCopyEvidence):
            raise InvalidRewardInputs(f"near-copy evidence of #{sid}: {self.evidence!r}")


class InvalidTeam(InvalidRewardInputs):
    """Shares that do not match the members, or an account in two teams."""


@dataclass(frozen=True)
class TeamShares:
    """A formed team (SubmissionBook `TeamFormed`): its members, ascending as the book stores
    them, and their reward shares in ppm."""

    team_id: int
    members: tuple[Address, ...]
    shares_ppm: tuple[int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(checksum(m, "member") for m in self.members))
        object.__setattr__(self, "shares_ppm", tuple(self.shares_ppm))
        if len(self.members) != len(self.shares_ppm) or sum(self.shares_ppm) != PPM:
            raise InvalidTeam(
                f"team {self.team_id}: {len(self.members)} members with shares "
                f"{list(self.shares_ppm)}; give one share per member, summing to {PPM}"
            )
        if len(set(self.members)) != len(self.members):
            raise InvalidTeam(f"team {self.team_id} lists a member twice")


@dataclass(frozen=True)
class RewardInputs:
    """Everything reward rule v1 reads for one phase; arrival order of the lists is irrelevant."""

    challenge_id: ChallengeId
    phase: PhaseIndex
    bounty: int
    improvement_bps: int
    prize_bps: int
    review_bps: int
    prize_ranks_bps: tuple[int, ...]
    review_cap_per_reviewer: int
    fork_share_bps: int
    direction: Direction
    baseline: Wad
    target: Wad
    eta: Wad
    escrow_left: int
    submissions: tuple[SubmissionRecord, ...] = ()
    reviews: tuple[Review, ...] = ()
    # Tie groups of the private board whose members share their prizes equally, best group
    # first, each its submission ids in board order; empty unless the spec shares prizes.
    prize_tie_groups: tuple[tuple[SubmissionId, ...], ...] = ()
    prize_ineligible: tuple[SubmissionId, ...] = ()  # valid, but under a licence not open
    # Uncredited near-copies, each rewarded as a fork of its source (docs/rewards.md,
    # "Near-copies"), in commit order of the copies.
    near_copies: tuple[NearCopy, ...] = ()
    # Teams formed for the challenge by the time the phase's holdout was revealed, by team
    # id: each ranks once for prizes, and pools its members' rewards (oracle/rewards/teams.py).
    teams: tuple[TeamShares, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "teams", tuple(sorted(self.teams, key=lambda t: t.team_id)))
        members = [m for team in self.teams for m in team.members]
        if len(set(members)) != len(members):
            raise InvalidTeam("an account is a member of two teams; a team holds each member once")
        object.__setattr__(self, "prize_ranks_bps", tuple(self.prize_ranks_bps))
        object.__setattr__(
            self, "prize_tie_groups", tuple(tuple(group) for group in self.prize_tie_groups)
        )
        object.__setattr__(self, "prize_ineligible", tuple(sorted(self.prize_ineligible)))
        object.__setattr__(self, "submissions", _sorted_records(self.submissions))
        keys = {record.submission_id: record.commit_key for record in self.submissions}
        copies = sorted(self.near_copies, key=lambda n: keys.get(n.submission_id, (-1, -1)))
        object.__setattr__(self, "near_copies", tuple(copies))
        object.__setattr__(self, "reviews", tuple(sorted(self.reviews, key=lambda r: r.order_key)))
        _check_range(self.bounty, 0, UINT256_MAX, "bounty")
        _check_range(self.escrow_left, 0, UINT256_MAX, "escrow left")
        for name in ("improvement_bps", "prize_bps", "review_bps", "fork_share_bps"):
            _check_range(getattr(self, name), 0, BPS, name)
        if self.improvement_bps + self.prize_bps + self.review_bps != BPS:
            raise InvalidRewardInputs(f"improvement, prize and review bps must sum to {BPS}")
        for rank_bps in self.prize_ranks_bps:
            _check_range(rank_bps, 0, BPS, "prize rank bps")
        if sum(self.prize_ranks_bps) > BPS:
            raise InvalidRewardInputs(f"prize ranks bps add up to more than {BPS}")
        _check_range(self.review_cap_per_reviewer, 1, UINT256_MAX, "review cap per reviewer")
        if not isinstance(self.direction, Direction):
            raise InvalidRewardInputs(f"direction must be a Direction, got {self.direction!r}")
        for name in ("baseline", "target", "eta"):
            _check_range(getattr(self, name), INT256_MIN, INT256_MAX, name)
        if self.eta < 0:
            raise InvalidRewardInputs("eta must not be negative")
        if self.direction.gain(self.baseline, self.target) <= 0:
            raise InvalidRewardInputs(
                f"target {self.target} must be strictly better than baseline {self.baseline} "
                f"when {self.direction.value} is better"
            )
        self._check_graph()
        self._check_tie_groups()
        self._check_near_copies()

    def _check_near_copies(self) -> None:
        by_id = {record.submission_id: record for record in self.submissions}
        copied: set[int] = set()
        for near in self.near_copies:
            sid, source = near.submission_id, near.source_id
            record, original = by_id.get(sid), by_id.get(source)
            if record is None or original is None:
                raise InvalidRewardInputs(
                    f"near-copy #{sid} of #{source}: both must be submissions of the phase"
                )
            if sid in copied:
                raise InvalidRewardInputs(f"#{sid} is named a near-copy more than once")
            copied.add(sid)
            if original.commit_key >= record.commit_key:
                raise InvalidRewardInputs(f"near-copy #{sid} was committed before its source")
            if original.submitter != near.source_submitter:
                raise InvalidRewardInputs(
                    f"near-copy #{sid} names {near.source_submitter} as the submitter of "
                    f"#{source}, the record says {original.submitter}"
                )
            if original.submitter == record.submitter:
                raise InvalidRewardInputs(f"#{sid} and #{source} have the same submitter")

    def _check_tie_groups(self) -> None:
        valid = {record.submission_id for record in self.submissions if record.valid}
        seen: set[int] = set()
        for group in self.prize_tie_groups:
            if len(group) < 2:
                raise InvalidRewardInputs(f"tie group {list(group)} has fewer than two members")
            for sid in group:
                if sid not in valid:
                    raise InvalidRewardInputs(
                        f"tie group {list(group)} names #{sid}, not a valid submission of "
                        "the phase"
                    )
                if sid in seen:
                    raise InvalidRewardInputs(f"#{sid} is in more than one tie group")
                seen.add(sid)

    def _check_graph(self) -> None:
        by_id = {record.submission_id: record for record in self.submissions}
        for record in self.submissions:
            if record.challenge_id != self.challenge_id:
                raise InvalidRewardInputs(
                    f"submission #{record.submission_id} belongs to challenge "
                    f"{record.challenge_id}, not {self.challenge_id}"
                )
            for parent in record.parents:
                local = by_id.get(parent.submission_id)
                if local is None:
                    continue
                if local.submitter != parent.submitter:
                    raise InvalidRewardInputs(
                        f"parent #{parent.submission_id} of #{record.submission_id} names "
                        f"submitter {parent.submitter}, the record says {local.submitter}"
                    )
                if local.commit_key >= record.commit_key:
                    raise InvalidRewardInputs(
                        f"parent #{parent.submission_id} was committed after its child "
                        f"#{record.submission_id}"
                    )


def _sorted_records(records: Sequence[SubmissionRecord]) -> tuple[SubmissionRecord, ...]:
    ordered = tuple(sorted(records, key=lambda record: record.commit_key))
    ids = [record.submission_id for record in ordered]
    if len(set(ids)) != len(ids):
        raise InvalidRewardInputs("submission ids must be unique")
    return ordered


@dataclass(frozen=True)
class Leaf:
    """One Merkle leaf: what `account` may claim, in token base units."""

    account: Address
    amount: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "account", checksum(self.account, "leaf account"))
        _check_range(self.amount, 0, UINT256_MAX, "leaf amount")
