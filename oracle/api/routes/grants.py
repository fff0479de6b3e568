"""/v1/challenges/{id}/grants and /v1/profiles/{address}/grants: mini-grants (docs/grants.md).

Read from the GrantPool on the chain at request time, as the export is (the API needs its
node and deployment file: `coop api serve` passes its settings'); blocking calls run in the
thread pool.
"""

from fastapi import APIRouter, Request

from oracle.api.deps import Address, ChallengeId, chain_platform
from oracle.api.problems import not_found
from oracle.api.read.common import checksummed
from oracle.api.read.grants import Grants, ProfileGrants, challenge_grants, profile_grants
from oracle.chain.challenges import ChallengeNotFound, read_challenge

router = APIRouter(tags=["grants"])
WHAT = "reading grants (they come from the GrantPool contract)"


@router.get("/v1/challenges/{challenge_id}/grants", response_model=Grants)
def get_challenge_grants(request: Request, challenge_id: ChallengeId) -> Grants:
    """The challenge's grant pools, each with its rule, what is left and who was paid."""
    platform = chain_platform(request, "grants_need_chain", WHAT)
    try:
        read_challenge(platform, challenge_id)
    except ChallengeNotFound as exc:
        raise not_found("unknown_challenge", str(exc)) from None
    return challenge_grants(platform, challenge_id)


@router.get("/v1/profiles/{address}/grants", response_model=ProfileGrants)
def get_profile_grants(request: Request, address: Address) -> ProfileGrants:
    """Every grant paid to the address, in chain order."""
    platform = chain_platform(request, "grants_need_chain", WHAT)
    return profile_grants(platform, checksummed(address))
