"""What handlers receive: the app's block store and config, paging, ids, addresses."""

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from oracle.api.config import ApiConfig
from oracle.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageRequest
from oracle.ipfs.embedded import EmbeddedStore

UINT256_LIMIT = 2**256


def block_store(request: Request) -> EmbeddedStore:
    store: EmbeddedStore = request.app.state.store
    return store


def api_config(request: Request) -> ApiConfig:
    config: ApiConfig = request.app.state.config
    return config


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=40, description="next_cursor of the previous page.")
    ] = None,
) -> PageRequest:
    return PageRequest(limit, cursor)


Paging = Annotated[PageRequest, Depends(page_request)]
ChallengeId = Annotated[int, Path(ge=0, lt=UINT256_LIMIT, description="Challenge id.")]
OptionalPhase = Annotated[int | None, Query(ge=0, lt=2**32, description="Phase index.")]
SubmissionId = Annotated[int, Path(ge=0, lt=UINT256_LIMIT, description="Submission id.")]
PhaseIndex = Annotated[int, Path(ge=0, lt=2**32, description="Phase index.")]
Address = Annotated[str, Path(max_length=64, description="An address (checksummed or not).")]
