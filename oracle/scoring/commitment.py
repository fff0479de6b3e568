"""Hashes that bind scores and the holdout: the private-score commitment and its salt,
the holdout commitment the owner puts on chain, and the split salt's hash in the spec.

All are keccak256 over Solidity `abi.encode`, so the contracts can recompute them.
"""

import hmac
from hashlib import sha256

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from oracle.types import Wad


def _salt32(salt: bytes, what: str) -> bytes:
    if len(salt) != 32:
        raise ValueError(f"the {what} is 32 bytes, got {len(salt)}")
    return salt


def split_salt_hash(split_salt: bytes) -> bytes:
    """keccak256(splitSalt): what the spec's `split.salt_hash` holds."""
    return keccak(_salt32(split_salt, "split salt"))


def holdout_commitment(labels: bytes, split_salt: bytes) -> bytes:
    """keccak256(abi.encode(bytes32 keccak256(labels file), bytes32 keccak256(splitSalt)))."""
    return holdout_commitment_of_digest(keccak(labels), split_salt)


def holdout_commitment_of_digest(labels_digest: bytes, split_salt: bytes) -> bytes:
    """The same from the labels file's keccak256 (what the chain and the owner's secret keep)."""
    return keccak(encode(["bytes32", "bytes32"], [labels_digest, split_salt_hash(split_salt)]))


def commitment_salt(
    oracle_key: bytes,
    *,
    chain_id: int,
    score_board: str,
    challenge_id: int,
    phase: int,
    submission_id: int,
) -> bytes:
    """The salt of a private-score commitment: HMAC-SHA256(oracle_key, abi.encode(uint256
    chainId, address scoreBoard, uint256 challengeId, uint32 phase, uint256 submissionId)).

    Every oracle holding the challenge's shared key derives the same salt for the same
    submission and phase, so they sign the same commitment; nobody else can open it until
    the oracles reveal the salts after the phase's reveal end."""
    if not oracle_key:
        raise ValueError("the shared oracle key is empty; set COOP_ORACLE_SHARED_KEY")
    message = encode(
        ["uint256", "address", "uint256", "uint32", "uint256"],
        [chain_id, score_board, challenge_id, phase, submission_id],
    )
    return hmac.new(oracle_key, message, sha256).digest()


def private_commitment(submission_id: int, private_wad: Wad, salt: bytes) -> bytes:
    """keccak256(abi.encode(uint256 submissionId, int256 privateScore, bytes32 salt))."""
    return keccak(
        encode(
            ["uint256", "int256", "bytes32"], [submission_id, private_wad, _salt32(salt, "salt")]
        )
    )
