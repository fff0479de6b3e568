"""Reward Merkle trees laid out exactly like OpenZeppelin's StandardMerkleTree (address, uint256).

Leaf hash: `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`. Leaf hashes
are sorted ascending and stored at the end of an array of `2n - 1` nodes (the smallest
hash last); node `i` is the hash of the sorted pair of nodes `2i + 1` and `2i + 2`; the
root is node 0. Proofs verify with OpenZeppelin `MerkleProof.verify(proof, root, leaf)`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi.abi import encode
from eth_utils.crypto import keccak

from oracle.errors import InvalidRewardInputs, NotInRewardTree
from oracle.rewards.model import Leaf, checksum
from oracle.types import Address

LEAF_ENCODING = ("address", "uint256")
DUMP_FORMAT = "standard-v1"


def leaf_hash(leaf: Leaf) -> bytes:
    """The double keccak256 of the ABI encoding of (account, amount)."""
    return keccak(keccak(encode(list(LEAF_ENCODING), [leaf.account, leaf.amount])))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """keccak256 of the two nodes concatenated smaller first, as `MerkleProof` does."""
    return keccak(a + b if a < b else b + a)


def make_tree(leaf_hashes: Sequence[bytes]) -> list[bytes]:
    """The node array for leaf hashes in the given order (leaf i is node `2n - 2 - i`)."""
    if not leaf_hashes:
        raise InvalidRewardInputs("a Merkle tree needs at least one leaf")
    if any(len(node) != 32 for node in leaf_hashes):
        raise InvalidRewardInputs("Merkle leaf hashes must be 32 bytes")
    size = 2 * len(leaf_hashes) - 1
    tree = [b""] * size
    for i, node in enumerate(leaf_hashes):
        tree[size - 1 - i] = node
    for i in range(size - 1 - len(leaf_hashes), -1, -1):
        tree[i] = hash_pair(tree[2 * i + 1], tree[2 * i + 2])
    return tree


def process_proof(leaf: bytes, proof: Sequence[str]) -> bytes:
    """Fold the proof into the leaf hash, sorted pairs at every level; returns the root."""
    return _walk(leaf, proof)[0]


def path_code(leaf: Leaf, proof: Sequence[str]) -> int:
    """Where the RewardVault marks `leaf` claimed: a leading 1, then one bit per proof hash
    from the leaf up, 1 where the node is the larger of its pair (`MerklePath.walk`).
    The mark is bit `code % 256` of the root's word `code // 256`."""
    return _walk(leaf_hash(leaf), proof)[1]


def _walk(leaf: bytes, proof: Sequence[str]) -> tuple[bytes, int]:
    """The root the proof folds the leaf hash into, and the leaf's path code on the way."""
    node, code = leaf, 1
    for sibling in proof:
        other = _bytes32(sibling)
        code = code << 1 | (node > other)
        node = hash_pair(node, other)
    return node, code


def verify(root: str, leaf: Leaf, proof: Sequence[str]) -> bool:
    """True when `proof` shows that `leaf` is in the tree with this root."""
    return process_proof(leaf_hash(leaf), proof) == _bytes32(root)


@dataclass(frozen=True)
class MerkleTree:
    """A built tree: `values` in the order given, each with the index of its node."""

    tree: tuple[bytes, ...]
    values: tuple[tuple[Leaf, int], ...]

    @property
    def root(self) -> str:
        """The root as 0x-hex bytes32: what the contract stores."""
        return _hex(self.tree[0])

    def leaf(self, account: str) -> Leaf:
        """The leaf (account, amount) of `account`."""
        return self._find(account)[0]

    def proof(self, account: str) -> list[str]:
        """The sibling hashes from `account`'s leaf up to the root, as 0x-hex."""
        index = self._find(account)[1]
        proof = []
        while index > 0:
            sibling = index + 1 if index % 2 else index - 1
            proof.append(_hex(self.tree[sibling]))
            index = (index - 1) // 2
        return proof

    def _find(self, account: str) -> tuple[Leaf, int]:
        wanted = checksum(account, "account")
        for leaf, index in self.values:
            if leaf.account == wanted:
                return leaf, index
        raise NotInRewardTree(f"{wanted} has no leaf in the tree with root {self.root}")

    def to_json(self) -> dict[str, Any]:
        """The JS library's `dump()`: amounts as decimal strings, loadable by its `load()`."""
        return {
            "format": DUMP_FORMAT,
            "leafEncoding": list(LEAF_ENCODING),
            "tree": [_hex(node) for node in self.tree],
            "values": [
                {"value": [leaf.account, str(leaf.amount)], "treeIndex": index}
                for leaf, index in self.values
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MerkleTree:
        """Rebuild a tree from a `dump()` and check that it is the tree its values make."""
        if data.get("format") != DUMP_FORMAT or list(data.get("leafEncoding", [])) != list(
            LEAF_ENCODING
        ):
            raise InvalidRewardInputs("not a standard-v1 (address, uint256) Merkle tree dump")
        rebuilt = build_tree(Leaf(Address(value[0]), int(value[1])) for value in _dump_values(data))
        if [_hex(node) for node in rebuilt.tree] != [str(node).lower() for node in data["tree"]]:
            raise InvalidRewardInputs("the dump's tree does not match its values")
        if [index for _, index in rebuilt.values] != [v["treeIndex"] for v in data["values"]]:
            raise InvalidRewardInputs("the dump's tree indices do not match its values")
        return rebuilt


def build_tree(leaves: Iterable[Leaf]) -> MerkleTree:
    """Build the StandardMerkleTree of `leaves` (one leaf per account, at least one leaf)."""
    values = tuple(leaves)
    if len({leaf.account for leaf in values}) != len(values):
        raise InvalidRewardInputs("each account may have one Merkle leaf only")
    hashed = sorted(((leaf_hash(leaf), position) for position, leaf in enumerate(values)))
    tree = make_tree([node for node, _ in hashed])
    indices = [0] * len(values)
    for leaf_index, (_, position) in enumerate(hashed):
        indices[position] = len(tree) - 1 - leaf_index
    return MerkleTree(tuple(tree), tuple(zip(values, indices, strict=True)))


def _dump_values(data: Mapping[str, Any]) -> list[list[str]]:
    return [list(entry["value"]) for entry in data.get("values", [])]


def _bytes32(value: str) -> bytes:
    try:
        raw = bytes.fromhex(value.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidRewardInputs(f"not a bytes32 hex string: {value!r}")
    return raw


def _hex(node: bytes) -> str:
    return "0x" + node.hex()
