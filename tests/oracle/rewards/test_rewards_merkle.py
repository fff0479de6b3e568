"""The reward Merkle tree gives OpenZeppelin StandardMerkleTree roots, proofs and dumps."""

from __future__ import annotations

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle.errors import InvalidRewardInputs, NotInRewardTree
from oracle.rewards.merkle import (
    MerkleTree,
    build_tree,
    leaf_hash,
    make_tree,
    path_code,
    verify,
)
from oracle.rewards.model import Leaf
from oracle.types import Address


def account(n: int) -> Address:
    return Address("0x" + f"{n:040x}")


def double_hash(address: str, amount: int) -> bytes:
    """The leaf hash as Solidity writes it, derived here without the module under test."""
    return keccak(keccak(encode(["address", "uint256"], [address, amount])))


def pair(a: bytes, b: bytes) -> bytes:
    return keccak(min(a, b) + max(a, b))


def hexes(*nodes: bytes) -> list[str]:
    return ["0x" + node.hex() for node in nodes]


LEAVES = [Leaf(account(n), amount) for n, amount in [(1, 10), (2, 20), (3, 30), (4, 40), (5, 50)]]


def sorted_hashes(count: int) -> list[bytes]:
    return sorted(double_hash(leaf.account, leaf.amount) for leaf in LEAVES[:count])


def test_one_leaf_is_the_root() -> None:
    (h0,) = sorted_hashes(1)
    tree = build_tree(LEAVES[:1])
    assert tree.root == hexes(h0)[0]
    assert tree.proof(LEAVES[0].account) == []


def test_two_leaves_hash_as_a_sorted_pair() -> None:
    h0, h1 = sorted_hashes(2)
    tree = build_tree(LEAVES[:2])
    assert tree.root == hexes(pair(h0, h1))[0]
    assert tree.to_json()["tree"] == hexes(pair(h0, h1), h1, h0)


def test_three_leaves_fill_the_array_from_the_end() -> None:
    h0, h1, h2 = sorted_hashes(3)
    node1 = pair(h1, h0)  # nodes 3 and 4
    root = pair(node1, h2)  # nodes 1 and 2
    tree = build_tree(LEAVES[:3])
    assert tree.to_json()["tree"] == hexes(root, node1, h2, h1, h0)
    smallest = next(leaf for leaf in LEAVES[:3] if double_hash(leaf.account, leaf.amount) == h0)
    assert tree.proof(smallest.account) == hexes(h1, h2)


def test_five_leaves_match_the_complete_binary_tree_layout() -> None:
    h0, h1, h2, h3, h4 = sorted_hashes(5)
    # array: [r, n1, n2, n3, h4, h3, h2, h1, h0]
    n3 = pair(h1, h0)
    n2 = pair(h3, h2)
    n1 = pair(n3, h4)
    root = pair(n1, n2)
    tree = build_tree(LEAVES)
    assert tree.to_json()["tree"] == hexes(root, n1, n2, n3, h4, h3, h2, h1, h0)
    largest = next(leaf for leaf in LEAVES if double_hash(leaf.account, leaf.amount) == h4)
    assert tree.proof(largest.account) == hexes(n3, n2)


def test_dumps_made_by_the_js_library_are_reproduced() -> None:
    # Dumps written by @openzeppelin/merkle-tree, found in public repositories.
    single = build_tree([Leaf(Address("0x59266D85D94666D037C1e32dAa8FaC9E95CdaFEf"), 100)])
    assert single.root == "0xe582f894ed4599f64aed0c4f6ea1ed2d2f7bca47a11c984e63d823a38d4f43b6"
    owner = Address("0x80d628ff4AC2aFf620C3474663F1e559234bbE0c")
    # The library keys leaves by value, so three leaves of one account are built one level
    # down, with make_tree, exactly as its core does after sorting.
    hashes = sorted(double_hash(owner, amount) for amount in (0, 1, 2))
    assert hexes(*make_tree(hashes)) == [
        "0x0fecce441c7468f17e3fe4a5f211b77a15b27c9ab3d33317df385dfbe5487034",
        "0x636ab2686ee3036244cf3d6b5574e051e4b20a3577b008975dbcca6dde2897d2",
        "0xd90245da324d7908326a3d56a9659741551a4603c397bf4dd373976bd85660e7",
        "0x36fb17c97ec80bb961ff0adff1af4a2a34847ecc40653c162e327117a76e3ec9",
        "0x1867c4ebd455913e429523a5c2d4b3a79f58068b5a25af911956245ed03a659d",
    ]


def test_the_libraries_own_snapshot_tree_is_rebuilt_from_its_leaves() -> None:
    # src/standard.test.ts.md of OpenZeppelin/merkle-tree, "dump (with seed=0)", snapshot 1:
    # 12 sorted leaves at nodes 22..11; the internal nodes must come out identical.
    expected = [
        "157e9c38a2614a4493a0e4c38e84a1b43a932665e4d42fa2bf345824b9f101b7",
        "cd255af645cd649e62c7e56d324bc8b525a39bd311e05a1a5de00d73ff1fe253",
        "cdf36ec033d7950f6d6e01f9a66a67c3940ea15650a1300a5015d068c4543cf3",
        "276d63ffce14279caf791d010be5c715c64ec407dba2857628a9741fcd18bcd4",
        "f1e0e7f88a5f498d37d5a40af968ad629eabc52b908b9575f3a9735b3cf3a28b",
        "cd9fc8f6b33a02d7a601b0c77e7d36f230bc7871623435fe9aecb52887efefc1",
        "70ce5864fbf25654a2d3319cab6df02731e260754370f6444c03678b7e5b616a",
        "c9487ccb1a15e20f708fd5d6a93b049034d1ec516624b927b5f88ab37f20d06d",
        "ada38b6fdf007666bf5b19773191f484c99c249e44e1b07d5218f9eefb5ff9b3",
        "0b592340f8a37b1fd772c131d85d1fe11f5b5a14ff1575163be1f48cdb569b60",
        "18c5e1f567b176b912f504943387285ba231aba9fab91569f5d90e3d72e881ba",
        "fff0acc0b7c7dd4dca88db8b9ea4cb251797946d4bf09314f9487d079cbc8168",
        "f37f0986a1809cffdf18075f7ff12bdfbc6b46ac4966cbc1dbecf50e59b8146f",
        "c141a2c1fa419824b43dbded51a5087ffe99d20964d995f96fb619781a6662d2",
        "b2ec04776c599a72b9b1d2dfdee91560dc9f479643e201020ded568f68c06a80",
        "a596ffee17c3519d0311edb25ac6d28e08407856a2c6fd1db81a9260295f2851",
        "8cf4ffe7174807707948cd21858ba8360b8f37a69e12696a722c9a500970b7dd",
        "6de05019198fcc90ba19896fca48ba0c8f9dd00b7264c7a22284351f3652ea5c",
        "67c6abdc93cb48b54a8f8e02762d6582ba99455b1112824fa2913e51c14610a3",
        "53e63148bd7b5c974996c9469d0fcc9e764d34ddafec28eabb4a93399eb8b882",
        "53722a4093d3d803b22250c797e0d4fdda3aebfd9c151c8c775ffa8b440f4629",
        "4bda3fa8b7e83fdab2048e0faa3fc2edc803df4f2df2996309c71d9d560ea667",
        "02ad059b3cbe14ca74695645b9287bab95865054a44f35870ccb3224d57ae497",
    ]
    leaves = sorted(bytes.fromhex(node) for node in expected[11:])
    assert [node.hex() for node in make_tree(leaves)] == expected


def test_dump_has_the_js_library_shape_and_loads_back() -> None:
    tree = build_tree(LEAVES)
    dump = tree.to_json()
    assert dump["format"] == "standard-v1"
    assert dump["leafEncoding"] == ["address", "uint256"]
    assert [entry["value"] for entry in dump["values"]] == [
        [leaf.account, str(leaf.amount)] for leaf in LEAVES
    ]
    for entry in dump["values"]:
        address, amount = entry["value"]
        assert dump["tree"][entry["treeIndex"]] == hexes(double_hash(address, int(amount)))[0]
    assert MerkleTree.from_json(dump) == tree
    dump["tree"][1] = dump["tree"][2]
    with pytest.raises(InvalidRewardInputs):
        MerkleTree.from_json(dump)


def test_unusable_leaf_sets_are_rejected() -> None:
    with pytest.raises(InvalidRewardInputs):
        build_tree([])
    with pytest.raises(InvalidRewardInputs):
        build_tree([Leaf(account(1), 1), Leaf(account(1), 2)])
    with pytest.raises(NotInRewardTree):
        build_tree(LEAVES).proof(account(9))


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.integers(1, 2**160 - 1), st.integers(0, 2**256 - 1), min_size=1, max_size=20)
)
def test_every_proof_verifies_and_a_tampered_amount_fails(amounts: dict[int, int]) -> None:
    leaves = [Leaf(account(n), amount) for n, amount in amounts.items()]
    tree = build_tree(leaves)
    for leaf in leaves:
        proof = tree.proof(leaf.account)
        assert leaf_hash(leaf) == double_hash(leaf.account, leaf.amount)
        assert verify(tree.root, leaf, proof)
        assert not verify(tree.root, Leaf(leaf.account, (leaf.amount + 1) % 2**256), proof)
    assert tree.root == build_tree(reversed(leaves)).root


@pytest.mark.parametrize("size", [1, 2, 3, 5, 64, 65, 127, 128, 129, 300])
def test_path_codes_name_one_leaf_each_within_the_depths_range(size: int) -> None:
    """The RewardVault marks a claim at the leaf's path code: two leaves sharing one would
    block each other. Codes of a tree of up to 128 leaves fit the word posting writes."""
    tree = build_tree(Leaf(account(n), n) for n in range(1, size + 1))
    codes = [path_code(leaf, tree.proof(leaf.account)) for leaf, _ in tree.values]
    assert len(set(codes)) == size
    depth = (size - 1).bit_length()  # the longest proof
    assert min(codes) >= 1 and max(codes) < 2 ** (depth + 1)
    assert (max(codes) < 256) == (size <= 128)


def test_a_path_code_spells_the_way_up_by_which_node_is_larger() -> None:
    small, large = sorted(LEAVES[:2], key=leaf_hash)
    tree = build_tree(LEAVES[:2])
    assert path_code(small, tree.proof(small.account)) == 0b10
    assert path_code(large, tree.proof(large.account)) == 0b11
    assert path_code(small, []) == 1
