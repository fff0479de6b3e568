"""Owner actions on challenges: create one (escrowing its bounty), reveal a phase's holdout."""

from dataclasses import dataclass

from eth_abi.abi import encode
from eth_utils.crypto import keccak
from web3 import Web3
from web3.logs import DISCARD

from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.types import ChallengeId


@dataclass(frozen=True)
class PhaseTerms:
    spec_cid: str
    commit_start: int
    commit_end: int
    reveal_end: int
    holdout_commitment: bytes
    bounty: int

    def as_call_arg(self) -> tuple[str, int, int, int, bytes, int]:
        return (
            self.spec_cid,
            self.commit_start,
            self.commit_end,
            self.reveal_end,
            self.holdout_commitment,
            self.bounty,
        )


@dataclass(frozen=True)
class ChallengeTerms:
    """Everything `createChallenge` fixes; scores and eta are WAD integers."""

    token: str
    bounty: int
    higher_is_better: bool
    baseline: int
    target: int
    eta: int
    oracles: tuple[str, ...]
    quorum: int
    arbiter: str
    dispute_window: int = 3600
    dispute_bond: int = 0
    daily_cap: int = 0
    commit_bond: int = 0
    parent_challenge: int = 0

    def as_call_arg(self) -> tuple[object, ...]:
        oracles = sorted(
            (Web3.to_checksum_address(o) for o in self.oracles), key=lambda a: int(a, 16)
        )
        return (
            Web3.to_checksum_address(self.token),
            self.bounty,
            self.higher_is_better,
            self.baseline,
            self.target,
            self.eta,
            oracles,
            self.quorum,
            self.dispute_window,
            self.dispute_bond,
            Web3.to_checksum_address(self.arbiter),
            self.daily_cap,
            self.commit_bond,
            self.parent_challenge,
        )


def holdout_commitment(labels_digest: bytes, split_salt: bytes) -> bytes:
    """keccak256(abi.encode(labelsDigest, keccak256(abi.encode(splitSalt))))."""
    salt_hash = keccak(encode(["bytes32"], [split_salt]))
    return keccak(encode(["bytes32", "bytes32"], [labels_digest, salt_hash]))


def create_challenge(
    platform: Platform, owner: Sender, terms: ChallengeTerms, spec_cid: str, phase0: PhaseTerms
) -> ChallengeId:
    """Approves the vault for the bounty, creates the challenge, returns its id."""
    if terms.bounty > 0:
        owner.transact(platform.token.functions.approve(platform.vault.address, terms.bounty))
    fn = platform.registry.functions.createChallenge(
        terms.as_call_arg(), spec_cid, phase0.as_call_arg()
    )
    receipt = owner.transact(fn)
    (event,) = platform.registry.events.ChallengeCreated().process_receipt(receipt, errors=DISCARD)
    return ChallengeId(int(event["args"]["challengeId"]))


def reveal_holdout(
    platform: Platform, owner: Sender, challenge_id: int, phase: int, labels_cid: str,
    labels_digest: bytes, split_salt: bytes,
) -> None:  # fmt: skip
    fn = platform.registry.functions.revealHoldout(
        challenge_id, phase, labels_cid, labels_digest, split_salt
    )
    owner.transact(fn)
