"""/v1/profiles/{address}: what one address did and earned."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oracle.api.deps import Address, Paging, block_store
from oracle.api.models import Page, Profile, SubmissionSummary
from oracle.api.read import profiles
from oracle.api.read.common import checksummed
from oracle.api.read.licences import summaries_with_licences
from oracle.api.responses import answer, answer_json

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


@router.get("/{address}", response_model=Profile)
async def get_profile(request: Request, address: Address) -> Response:
    """Submissions (newest 20), improvements, reviews, rewards with claim state, claims."""
    who = checksummed(address)
    return answer_json(request, lambda db: profiles.profile_json(db, who))


@router.get("/{address}/submissions", response_model=Page[SubmissionSummary])
async def profile_submissions(
    request: Request, address: Address, page: Paging,
    challenge_id: Annotated[int | None, Query(ge=0, lt=2**256)] = None,
) -> Response:  # fmt: skip
    """All of an address's submissions, newest first, each with its licence."""
    who = checksummed(address)
    store = block_store(request)
    return answer(request, lambda db: summaries_with_licences(
        db, store, profiles.profile_submissions(db, who, challenge_id, page)))  # fmt: skip
