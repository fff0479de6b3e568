"""Announcing new judges (`setOracles`): the owner names new oracles, quorum and arbiter.

The registry records them as a new config version with its own config digest, in force for
the phases whose commits open at least the challenge's notice period later. A phase whose
commits are open, or over, keeps the judges it opened with: what its oracles signed stays
valid, and the new set cannot sign for it (`StaleConfigDigest`).
"""

from dataclasses import dataclass

from web3 import Web3
from web3.logs import DISCARD

from oracle.chain.challenges import read_challenge, sorted_oracles
from oracle.chain.clock import chain_now
from oracle.chain.platform import Platform
from oracle.chain.publish import InvalidTerms, check_arbiter, check_oracles
from oracle.chain.sender import Sender, transact_explained, tx_hash_of


class NotChallengeOwner(InvalidTerms, PermissionError):
    """Only the challenge's owner may announce new judges."""


@dataclass(frozen=True)
class RotationPlan:
    challenge_id: int
    oracles: tuple[str, ...]  # checksummed, ascending: the order the registry wants
    quorum: int
    arbiter: str
    active_from: int  # unix time: the first commit start the new judges apply to
    old_oracles: tuple[str, ...]
    old_quorum: int
    old_version: int
    old_digest: str  # 0x-hex


@dataclass(frozen=True)
class Rotated:
    plan: RotationPlan
    config_version: int
    config_digest: str  # 0x-hex
    active_from: int
    tx_hash: str


def plan_rotation(platform: Platform, caller: str, challenge_id: int, oracles: tuple[str, ...],
                  quorum: int, arbiter: str) -> RotationPlan:  # fmt: skip
    """The new judges checked as the registry checks them (owner, addresses, size, quorum,
    arbiter), and when they take effect."""
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
    check_arbiter(arbiter)
    registry = platform.registry.functions
    version = challenge.config_version
    return RotationPlan(
        challenge_id=challenge_id, oracles=tuple(sorted_oracles(oracles)), quorum=quorum,
        arbiter=Web3.to_checksum_address(arbiter),
        active_from=chain_now(platform) + challenge.notice_period,
        old_oracles=tuple(registry.oraclesAt(challenge_id, version).call()),
        old_quorum=challenge.quorum, old_version=version, old_digest=challenge.config_digest,
    )  # fmt: skip


def rotate_oracles(platform: Platform, owner: Sender, plan: RotationPlan) -> Rotated:
    """Sends `setOracles`; the new config version, digest and start come from
    `OraclesRotated`."""
    cid = plan.challenge_id
    fn = platform.registry.functions.setOracles(cid, list(plan.oracles), plan.quorum, plan.arbiter)
    receipt = transact_explained(
        owner, fn,
        lambda: plan_rotation(platform, owner.address, cid, plan.oracles, plan.quorum,
                              plan.arbiter),
    )  # fmt: skip
    (event,) = platform.registry.events.OraclesRotated().process_receipt(receipt, errors=DISCARD)
    args = event["args"]
    return Rotated(plan, int(args["configVersion"]), Web3.to_hex(args["configDigest"]),
                   int(args["activeFrom"]), tx_hash_of(receipt))  # fmt: skip
