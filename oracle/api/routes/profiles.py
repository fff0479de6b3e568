"""/v1/profiles/{address}: what one address did and earned."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oracle.api.deps import AddressPath, Index, Paging
from oracle.api.models import Page, Profile, SubmissionSummary
from oracle.api.read import profiles
from oracle.api.responses import answer

router = APIRouter(prefix="/v1/profiles", tags=["profiles"])


@router.get("/{address}", response_model=Profile)
def get_profile(request: Request, index: Index, address: AddressPath) -> Response:
    """Submissions (newest 20), improvements, reviews, rewards with claim state, claims."""
    return answer(request, index, lambda db: profiles.profile(db, address))


@router.get("/{address}/submissions", response_model=Page[SubmissionSummary])
def profile_submissions(
    request: Request, index: Index, address: AddressPath, page: Paging,
    challenge_id: Annotated[int | None, Query(ge=0, lt=2**256)] = None,
) -> Response:  # fmt: skip
    """All of an address's submissions, newest first."""
    return answer(
        request, index, lambda db: profiles.profile_submissions(db, address, challenge_id, page)
    )
