"""Rotating a challenge's oracle set (`setOracles`): the owner names new oracles and quorum.

The registry then bumps the config version and the config digest that every signed score
batch and rewards root carries, so whatever the old set signed and did not post yet is
refused from then on (`StaleConfigDigest`): the new oracles must sign it again.
"""

from dataclasses import dataclass

from web3 import Web3
from web3.logs import DISCARD

from oracle.chain.challenges import read_challenge, sorted_oracles
from oracle.chain.platform import Platform
from oracle.chain.publish import InvalidTerms, check_oracles
from oracle.chain.sender import Sender, transact_explained, tx_hash_of


class NotChallengeOwner(InvalidTerms, PermissionError):
    """Only the challenge's owner may rotate its oracles."""


@dataclass(frozen=True)
class RotationPlan:
    challenge_id: int
    oracles: tuple[str, ...]  # checksummed, ascending: the order the registry wants
    quorum: int
    old_oracles: tuple[str, ...]
    old_quorum: int
    old_version: int
    old_digest: str  # 0x-hex


@dataclass(frozen=True)
class Rotated:
    plan: RotationPlan
    config_version: int
    config_digest: str  # 0x-hex
    tx_hash: str


def plan_rotation(platform: Platform, caller: str, challenge_id: int, oracles: tuple[str, ...],
                  quorum: int) -> RotationPlan:  # fmt: skip
    """The new set checked as the registry checks it (owner, addresses, size, quorum)."""
    challenge = read_challenge(platform, challenge_id)
    if caller.lower() != challenge.owner.lower():
        raise NotChallengeOwner(
            f"challenge {challenge_id} belongs to {challenge.owner}; only its owner may rotate "
            f"its oracles (you sign as {caller}): pass --account with the owner's keystore"
        )
    check_oracles(oracles, quorum)
    if any(int(o, 16) == 0 for o in oracles):
        raise InvalidTerms("the zero address cannot be an oracle")
    most = int(platform.registry.functions.MAX_ORACLES().call())
    if len(oracles) > most:
        raise InvalidTerms(f"{len(oracles)} oracles named; a challenge has at most {most}")
    registry = platform.registry.functions
    return RotationPlan(
        challenge_id=challenge_id, oracles=tuple(sorted_oracles(oracles)), quorum=quorum,
        old_oracles=tuple(registry.oracles(challenge_id).call()), old_quorum=challenge.quorum,
        old_version=challenge.config_version,
        old_digest=Web3.to_hex(registry.configDigest(challenge_id).call()),
    )  # fmt: skip


def rotate_oracles(platform: Platform, owner: Sender, plan: RotationPlan) -> Rotated:
    """Sends `setOracles`; the new config version and digest come from `OraclesRotated`."""
    cid = plan.challenge_id
    fn = platform.registry.functions.setOracles(cid, list(plan.oracles), plan.quorum)
    receipt = transact_explained(
        owner, fn, lambda: plan_rotation(platform, owner.address, cid, plan.oracles, plan.quorum)
    )
    (event,) = platform.registry.events.OraclesRotated().process_receipt(receipt, errors=DISCARD)
    args = event["args"]
    return Rotated(plan, int(args["configVersion"]), Web3.to_hex(args["configDigest"]),
                   tx_hash_of(receipt))  # fmt: skip
