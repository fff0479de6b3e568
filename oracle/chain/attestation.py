"""EIP-712 attestations oracles sign: score batches and reward roots, M-of-N sorted signatures.

Domain: name "Coopetition", version "1", the chain id and the verifying contract (the
ScoreBoard for scores, the RewardVault for rewards). `itemsHash = keccak256(abi.encode(items))`.
Both name the phase's correction they were computed under (0 until the owner publishes one):
the contracts refuse a batch or root signed under any other than the phase's current one.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

from eth_abi.abi import encode
from eth_account import Account
from eth_account.messages import encode_typed_data
from eth_utils.crypto import keccak


def _values(record: Any) -> tuple[Any, ...]:
    """A dataclass's field values, shallow (unlike astuple, which deep-copies them)."""
    return tuple(getattr(record, f.name) for f in fields(record))


DOMAIN_NAME = "Coopetition"
DOMAIN_VERSION = "1"
ITEM_ABI_TYPE = "(uint256,uint8,int256,bytes32,bytes32)[]"

SCORE_BATCH_FIELDS = [
    {"name": "challengeId", "type": "uint256"},
    {"name": "phase", "type": "uint32"},
    {"name": "correction", "type": "uint32"},
    {"name": "seq", "type": "uint64"},
    {"name": "configDigest", "type": "bytes32"},
    {"name": "itemsHash", "type": "bytes32"},
]
REWARD_ROOT_FIELDS = [
    {"name": "challengeId", "type": "uint256"},
    {"name": "phase", "type": "uint32"},
    {"name": "correction", "type": "uint32"},
    {"name": "seq", "type": "uint64"},
    {"name": "configDigest", "type": "bytes32"},
    {"name": "merkleRoot", "type": "bytes32"},
    {"name": "total", "type": "uint256"},
    {"name": "reportCidHash", "type": "bytes32"},
]


@dataclass(frozen=True)
class ScoreItem:
    submission_id: int
    status: int
    public_score: int  # WAD, on the eta grid; 0 when status != 0
    private_commitment: bytes
    report_digest: bytes


@dataclass(frozen=True)
class ScoreBatch:
    challenge_id: int
    phase: int
    correction: int
    seq: int
    config_digest: bytes
    items_hash: bytes

    def as_call_arg(self) -> tuple[int, int, int, int, bytes, bytes]:
        return _values(self)


@dataclass(frozen=True)
class RewardRoot:
    challenge_id: int
    phase: int
    correction: int
    seq: int
    config_digest: bytes
    merkle_root: bytes
    total: int
    report_cid_hash: bytes

    def as_call_arg(self) -> tuple[int, int, int, int, bytes, bytes, int, bytes]:
        return _values(self)


def items_as_call_arg(items: Sequence[ScoreItem]) -> list[tuple[int, int, int, bytes, bytes]]:
    return [_values(item) for item in items]


def items_hash(items: Sequence[ScoreItem]) -> bytes:
    """keccak256(abi.encode(items)) exactly as the ScoreBoard computes it."""
    return keccak(encode([ITEM_ABI_TYPE], [items_as_call_arg(items)]))


def score_batch(challenge_id: int, phase: int, seq: int, config_digest: bytes,
                items: Sequence[ScoreItem], correction: int = 0) -> ScoreBatch:  # fmt: skip
    """The header of a batch of `items` under the phase's `correction` (0: none published)."""
    return ScoreBatch(challenge_id, phase, correction, seq, bytes(config_digest), items_hash(items))


def _typed_data(
    primary: str, fields: list[dict[str, str]], message: dict[str, Any], chain_id: int,
    verifying_contract: str,
) -> dict[str, Any]:  # fmt: skip
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
                {"name": "verifyingContract", "type": "address"},
            ],
            primary: fields,
        },
        "primaryType": primary,
        "domain": {
            "name": DOMAIN_NAME,
            "version": DOMAIN_VERSION,
            "chainId": chain_id,
            "verifyingContract": verifying_contract,
        },
        "message": message,
    }


def score_batch_typed_data(batch: ScoreBatch, chain_id: int, score_board: str) -> dict[str, Any]:
    message = dict(zip([f["name"] for f in SCORE_BATCH_FIELDS], _values(batch), strict=True))
    return _typed_data("ScoreBatch", SCORE_BATCH_FIELDS, message, chain_id, score_board)


def reward_root_typed_data(root: RewardRoot, chain_id: int, vault: str) -> dict[str, Any]:
    message = dict(zip([f["name"] for f in REWARD_ROOT_FIELDS], _values(root), strict=True))
    return _typed_data("RewardRoot", REWARD_ROOT_FIELDS, message, chain_id, vault)


@dataclass(frozen=True)
class Signature:
    signer: str
    signature: bytes


def sign_typed(typed_data: dict[str, Any], private_key: str) -> Signature:
    signed = Account.sign_message(encode_typed_data(full_message=typed_data), private_key)
    return Signature(Account.from_key(private_key).address, bytes(signed.signature))


def typed_digest(typed_data: dict[str, Any]) -> bytes:
    """The 32-byte EIP-712 digest (what the contract's *Digest views return)."""
    signable = encode_typed_data(full_message=typed_data)
    return keccak(b"\x19" + signable.version + signable.header + signable.body)


def ordered_signatures(signatures: Iterable[Signature]) -> list[bytes]:
    """Signatures by distinct signers, sorted by signer address as the contracts require."""
    by_signer = {int(s.signer, 16): s.signature for s in signatures}
    return [by_signer[k] for k in sorted(by_signer)]
