"""What handlers receive: the app's block store, config and chain, paging, ids, addresses."""

from typing import Annotated

from fastapi import Depends, Path, Query, Request
from web3 import Web3

from oracle.api.config import ApiConfig
from oracle.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageRequest
from oracle.api.problems import ApiProblem
from oracle.chain.deployment import Deployment
from oracle.chain.platform import Platform
from oracle.ipfs.embedded import EmbeddedStore

UINT256_LIMIT = 2**256


def block_store(request: Request) -> EmbeddedStore:
    store: EmbeddedStore = request.app.state.store
    return store


def api_config(request: Request) -> ApiConfig:
    config: ApiConfig = request.app.state.config
    return config


def chain_platform(request: Request, reason: str, what: str) -> Platform:
    """The platform on the node the API was started with, for the few routes that read the
    chain itself (the export, grants); 503 `reason` when the API has no node or deployment,
    saying that `what` needs one."""
    config = api_config(request)
    if config.rpc_url is None or config.deployment is None:
        raise ApiProblem(
            503, reason, f"this API was started without a chain node and deployment file, "
            f"which {what} needs; start the API with `coop api serve`",
        )  # fmt: skip
    w3 = Web3(Web3.HTTPProvider(config.rpc_url, request_kwargs={"timeout": 30}))
    if not w3.is_connected():
        raise ApiProblem(503, "chain_unavailable", f"no Ethereum node answers at {config.rpc_url}")
    return Platform.connect(w3, Deployment.load(config.deployment))


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
