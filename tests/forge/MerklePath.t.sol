// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {MerklePath} from "../../contracts/MerklePath.sol";
import {StandardMerkleTree} from "./utils/StandardMerkleTree.sol";
import {Test} from "./utils/Test.sol";

/// @notice The vault's proof walk reaches the root OpenZeppelin's MerkleProof reaches, for any
/// proof, and gives every leaf of a tree its own path code.
contract MerklePathTest is Test {
    function walkBoth(bytes32[] calldata proof, bytes32 leaf)
        external
        pure
        returns (bytes32 ours, bytes32 openZeppelins, uint256 code)
    {
        (ours, code) = MerklePath.walk(proof, leaf);
        openZeppelins = MerkleProof.processProofCalldata(proof, leaf);
    }

    function testFuzz_walk_ReachesTheRootOpenZeppelinsMerkleProofReaches(
        bytes32[] calldata proof,
        bytes32 leaf
    ) public view {
        vm.assume(proof.length < 64);
        (bytes32 ours, bytes32 openZeppelins, uint256 code) = this.walkBoth(proof, leaf);
        assertEq(ours, openZeppelins, "same root");
        assertEq(code >> proof.length, 1, "a leading 1, then one bit per proof hash");
    }

    function testFuzz_walk_GivesEveryLeafOfATreeItsOwnCode(uint256 seed) public view {
        uint256 n = bound(seed, 1, 70);
        address[] memory accounts = new address[](n);
        uint256[] memory amounts = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            accounts[i] = address(uint160(uint256(keccak256(abi.encode(seed, i)))));
            amounts[i] = i;
        }
        bytes32[] memory tree = StandardMerkleTree.build(accounts, amounts);
        uint256[] memory codes = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            bytes32 leaf = StandardMerkleTree.leaf(accounts[i], amounts[i]);
            (bytes32 root,, uint256 code) =
                this.walkBoth(StandardMerkleTree.proof(tree, leaf), leaf);
            assertEq(root, tree[0], "the proof leads to the root");
            assertTrue(code < 256, "up to 128 leaves, codes fit the first word");
            for (uint256 j = 0; j < i; ++j) {
                assertTrue(codes[j] != code, "two leaves share a code");
            }
            codes[i] = code;
        }
    }
}
