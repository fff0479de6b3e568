// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

/// @title A Merkle proof walked up to its root, with the leaf's path code
/// @notice The RewardVault marks a paid leaf at its path code, so that claims need nothing
/// stored per account (DESIGN.md's `(address, amount)` leaves carry no index).
library MerklePath {
    /// @notice The proof folded into the leaf exactly as OpenZeppelin's
    /// `MerkleProof.processProofCalldata` folds it (`Hashes.commutativeKeccak256` at each
    /// level; a forge fuzz test checks the two agree), and the leaf's path code: a leading 1,
    /// then one bit per level from the leaf up, 1 where the node is the larger of its pair.
    /// @dev Within a tree the code names one leaf: at every inner node the two children
    /// differ, so the bits spell the way down from the root by "smaller" or "larger" child,
    /// and ways to different leaves differ (the leading 1 keeps ways of different lengths
    /// apart). A proof is a valid way up only along the tree (anything else needs a keccak256
    /// preimage), so a leaf has one code. A tree of n leaves has proofs of at most
    /// ceil(log2 n) hashes: codes below 2**(ceil(log2 n) + 1), below 256 up to 128 leaves.
    /// Proofs of 256 hashes or more (a tree of 2**255 leaves) would shift the leading 1 out;
    /// no tree has them.
    function walk(bytes32[] calldata proof, bytes32 leaf)
        internal
        pure
        returns (bytes32 node, uint256 code)
    {
        node = leaf;
        code = 1;
        for (uint256 i = 0; i < proof.length; ++i) {
            bytes32 sibling = proof[i];
            code = code << 1 | (node > sibling ? 1 : 0);
            node = Hashes.commutativeKeccak256(node, sibling);
        }
    }
}
