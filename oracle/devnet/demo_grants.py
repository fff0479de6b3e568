"""The local platform's mini-grant: a pool the challenge owner funds on the demo challenge,
so a participant (and the quickstart notebook) sees a grant paid during the phase."""

from oracle.chain.challenges import call_struct
from oracle.chain.grants import GrantPoolView, fund_pool
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.types import WAD

DEMO_GRANT_EACH = 25 * WAD
DEMO_GRANT_SLOTS = 3
DEMO_GRANT_GRACE_SECONDS = 86_400


def fund_demo_grant(platform: Platform, owner: Sender, challenge_id: int) -> GrantPoolView | None:
    """Funds, as `owner` (the token's minter on a dev chain), a pool paying 25 tokens to each
    of the first 3 participants whose public score in phase 0 beats the phase's baseline.
    None on a reused deployment from before the GrantPool (it has none to fund)."""
    if platform.grants is None:
        return None
    baseline = int(call_struct(platform.registry.functions.getPhase(challenge_id, 0))["baseline"])
    total = DEMO_GRANT_EACH * DEMO_GRANT_SLOTS
    owner.transact(platform.token.functions.mint(owner.address, total))
    return fund_pool(platform, owner, challenge_id, 0, baseline, DEMO_GRANT_EACH,
                     DEMO_GRANT_SLOTS, DEMO_GRANT_GRACE_SECONDS)  # fmt: skip
