"""/v1/challenges: challenges, their leaderboards, submissions, fork graph, rewards, audit."""

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oracle.api.deps import Address, ChallengeId, OptionalPhase, Paging, PhaseIndex, block_store
from oracle.api.models import (
    AuditStatus,
    Challenge,
    ChallengeSummary,
    ForkGraph,
    Improvements,
    Leaderboard,
    LeafEntry,
    Page,
    Proof,
    RankChanges,
    Rewards,
    SubmissionSummary,
    Teams,
)
from oracle.api.read import audit, boards, challenges, rank_changes, rewards, submissions, teams
from oracle.api.read.common import checksummed
from oracle.api.read.licences import board_with_licences, summaries_with_licences
from oracle.api.read.submissions import StateFilter
from oracle.api.responses import answer

router = APIRouter(prefix="/v1/challenges", tags=["challenges"])


@router.get("", response_model=Page[ChallengeSummary])
async def list_challenges(
    request: Request, page: Paging,
    owner: Annotated[str | None, Query(max_length=64, description="Owner address.")] = None,
) -> Response:  # fmt: skip
    """Challenges by id, optionally only one owner's."""
    who = None if owner is None else checksummed(owner)
    return answer(request, lambda db: challenges.list_challenges(db, who, page))


@router.get("/{challenge_id}", response_model=Challenge)
async def get_challenge(request: Request, challenge_id: ChallengeId) -> Response:
    """One challenge: terms, phases (windows, holdout), oracle sets, escrow, counts."""
    return answer(request, lambda db: challenges.challenge(db, challenge_id))


@router.get("/{challenge_id}/teams", response_model=Teams)
async def challenge_teams(request: Request, challenge_id: ChallengeId) -> Response:
    """The challenge's teams (proposed and formed), members with their reward shares."""
    return answer(request, lambda db: teams.teams_of(db, challenge_id))


@router.get("/{challenge_id}/leaderboard/public", response_model=Leaderboard)
async def public_leaderboard(request: Request, challenge_id: ChallengeId, page: Paging,
                       phase: OptionalPhase = None) -> Response:  # fmt: skip
    """Each participant's released best of a phase (latest by default; the Ladder), best first,
    with each entry's licence."""
    store = block_store(request)
    return answer(request, lambda db: board_with_licences(
        db, store, boards.public_board(db, challenge_id, phase, page)))  # fmt: skip


@router.get("/{challenge_id}/leaderboard/private", response_model=Leaderboard)
async def private_leaderboard(request: Request, challenge_id: ChallengeId, page: Paging,
                        phase: OptionalPhase = None) -> Response:  # fmt: skip
    """Each participant's best opened private score of a phase (latest by default), with each
    entry's licence."""
    store = block_store(request)
    return answer(request, lambda db: board_with_licences(
        db, store, boards.private_board(db, challenge_id, phase, page)))  # fmt: skip


@router.get("/{challenge_id}/improvements", response_model=Improvements)
async def get_improvements(request: Request, challenge_id: ChallengeId,
                           phase: OptionalPhase = None) -> Response:  # fmt: skip
    """Every move of a phase's public best past its running best, in order (best over time)."""
    return answer(request, lambda db: boards.improvements(db, challenge_id, phase))


@router.get("/{challenge_id}/rank-changes", response_model=RankChanges)
async def get_rank_changes(request: Request, challenge_id: ChallengeId,
                           phase: OptionalPhase = None) -> Response:  # fmt: skip
    """Every submission of a phase (latest by default) whose rank or status its last
    correction of the scorer or labels changed, old -> new."""
    return answer(request, lambda db: rank_changes.rank_changes(db, challenge_id, phase))


@router.get("/{challenge_id}/submissions", response_model=Page[SubmissionSummary])
async def list_submissions(
    request: Request, challenge_id: ChallengeId, page: Paging,
    phase: OptionalPhase = None,
    submitter: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[StateFilter | None, Query()] = None,
    valid: Annotated[bool | None, Query(description="Scored valid (true) or not (false).")]
    = None,
) -> Response:  # fmt: skip
    """A challenge's submissions by id, filtered by phase, submitter, state, validity; each
    with its licence."""
    who = None if submitter is None else checksummed(submitter)
    store = block_store(request)

    def found(db: sqlite3.Connection) -> Page[SubmissionSummary]:
        return summaries_with_licences(db, store, submissions.list_submissions(
            db, challenge_id, page, phase=phase, submitter=who, state=state, valid=valid
        ))  # fmt: skip

    return answer(request, found)


@router.get("/{challenge_id}/forks", response_model=ForkGraph)
async def fork_graph(request: Request, challenge_id: ChallengeId, page: Paging) -> Response:
    """Who built on whom (child → parent edges with weights and reward flows)."""
    return answer(request, lambda db: submissions.fork_graph(db, challenge_id, page))


@router.get("/{challenge_id}/rewards", response_model=Rewards)
async def get_rewards(request: Request, challenge_id: ChallengeId) -> Response:
    """Rewards roots (state, disputes, report), the escrow and the claims."""
    return answer(request, lambda db: rewards.rewards(db, challenge_id))


@router.get("/{challenge_id}/rewards/{phase}/leaves", response_model=Page[LeafEntry])
async def reward_leaves(request: Request, challenge_id: ChallengeId, phase: PhaseIndex,
                  page: Paging) -> Response:  # fmt: skip
    """The leaves (account, amount, claimed) of the phase's current rewards root."""
    return answer(request, lambda db: rewards.leaves(db, challenge_id, phase, page))


@router.get("/{challenge_id}/rewards/{phase}/proofs/{address}", response_model=Proof)
async def reward_proof(request: Request, challenge_id: ChallengeId, phase: PhaseIndex,
                 address: Address) -> Response:  # fmt: skip
    """The Merkle proof `RewardVault.claim` needs for `address`."""
    who = checksummed(address)
    return answer(request, lambda db: rewards.proof(db, challenge_id, phase, who))


@router.get("/{challenge_id}/audit", response_model=AuditStatus)
async def audit_status(request: Request, challenge_id: ChallengeId) -> Response:
    """What the index vouches for; the full audit is `coop audit ID`."""
    return answer(request, lambda db: audit.audit_status(db, challenge_id))
