// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Test} from "./Test.sol";
import {StandardMerkleTree} from "./StandardMerkleTree.sol";

/// @notice The test-side tree builder reproduces trees dumped by @openzeppelin/merkle-tree
/// (the same vectors tests/oracle/rewards checks the Python builder against), so the claim
/// tests use the leaf format and layout the oracles publish.
contract StandardMerkleTreeTest is Test {
    function test_build_ReproducesAOneLeafDumpOfTheJsLibrary() public pure {
        address[] memory accounts = new address[](1);
        accounts[0] = 0x59266D85D94666D037C1e32dAa8FaC9E95CdaFEf;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 100;
        bytes32[] memory tree = StandardMerkleTree.build(accounts, amounts);
        assertEq(
            tree[0],
            0xe582f894ed4599f64aed0c4f6ea1ed2d2f7bca47a11c984e63d823a38d4f43b6,
            "root of the one-leaf dump"
        );
    }

    function test_build_ReproducesAThreeLeafDumpOfTheJsLibrary() public pure {
        address account = 0x80d628ff4AC2aFf620C3474663F1e559234bbE0c;
        bytes32[] memory hashes = new bytes32[](3);
        for (uint256 i = 0; i < 3; ++i) {
            hashes[i] = StandardMerkleTree.leaf(account, i);
        }
        // The library sorts leaf hashes ascending before laying them out.
        for (uint256 i = 0; i < 3; ++i) {
            for (uint256 j = i + 1; j < 3; ++j) {
                if (hashes[j] < hashes[i]) (hashes[i], hashes[j]) = (hashes[j], hashes[i]);
            }
        }
        bytes32[] memory tree = StandardMerkleTree.fromSortedLeaves(hashes);
        bytes32[5] memory expected = [
            bytes32(0x0fecce441c7468f17e3fe4a5f211b77a15b27c9ab3d33317df385dfbe5487034),
            0x636ab2686ee3036244cf3d6b5574e051e4b20a3577b008975dbcca6dde2897d2,
            0xd90245da324d7908326a3d56a9659741551a4603c397bf4dd373976bd85660e7,
            0x36fb17c97ec80bb961ff0adff1af4a2a34847ecc40653c162e327117a76e3ec9,
            0x1867c4ebd455913e429523a5c2d4b3a79f58068b5a25af911956245ed03a659d
        ];
        assertEq(tree.length, 5, "2n - 1 nodes");
        for (uint256 i = 0; i < 5; ++i) {
            assertEq(tree[i], expected[i], "node of the three-leaf dump");
        }
    }

    function testFuzz_proof_VerifiesWithOpenZeppelinMerkleProof(uint256 seed) public pure {
        uint256 n = bound(seed, 1, 12);
        address[] memory accounts = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            accounts[i] = address(uint160(word(seed, i)));
            amounts[i] = word(seed, 100 + i) % 1e24;
        }
        bytes32[] memory tree = StandardMerkleTree.build(accounts, amounts);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 leaf = StandardMerkleTree.leaf(accounts[i], amounts[i]);
            bytes32[] memory proof = StandardMerkleTree.proof(tree, leaf);
            assertTrue(MerkleProof.verify(proof, tree[0], leaf), "proof verifies");
            bytes32 wrong = StandardMerkleTree.leaf(accounts[i], amounts[i] + 1);
            assertFalse(MerkleProof.verify(proof, tree[0], wrong), "wrong amount fails");
        }
    }
}
