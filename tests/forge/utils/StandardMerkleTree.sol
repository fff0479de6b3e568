// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title OpenZeppelin StandardMerkleTree (address, uint256) built in Solidity, for tests
/// @notice Leaf: `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`. Leaf
/// hashes are sorted ascending and laid out at the end of a `2n - 1` node array (the smallest
/// last); node `i` hashes the sorted pair of nodes `2i + 1` and `2i + 2`; node 0 is the root.
library StandardMerkleTree {
    function leaf(address account, uint256 amount) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
    }

    function hashPair(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return a < b ? keccak256(abi.encode(a, b)) : keccak256(abi.encode(b, a));
    }

    /// @notice The node array of the tree of `(accounts[i], amounts[i])` leaves.
    function build(address[] memory accounts, uint256[] memory amounts)
        internal
        pure
        returns (bytes32[] memory tree)
    {
        require(accounts.length == amounts.length && accounts.length > 0, "merkle: bad leaves");
        bytes32[] memory hashes = new bytes32[](accounts.length);
        for (uint256 i = 0; i < accounts.length; ++i) {
            hashes[i] = leaf(accounts[i], amounts[i]);
        }
        return fromSortedLeaves(_sorted(hashes));
    }

    /// @notice The node array for leaf hashes taken in the given order.
    function fromSortedLeaves(bytes32[] memory hashes)
        internal
        pure
        returns (bytes32[] memory tree)
    {
        uint256 n = hashes.length;
        tree = new bytes32[](2 * n - 1);
        for (uint256 i = 0; i < n; ++i) {
            tree[tree.length - 1 - i] = hashes[i];
        }
        for (uint256 i = tree.length - n; i > 0;) {
            --i;
            tree[i] = hashPair(tree[2 * i + 1], tree[2 * i + 2]);
        }
    }

    /// @notice The sibling path from the node holding `leafHash` up to the root.
    function proof(bytes32[] memory tree, bytes32 leafHash)
        internal
        pure
        returns (bytes32[] memory path)
    {
        uint256 index = type(uint256).max;
        for (uint256 i = tree.length / 2; i < tree.length; ++i) {
            if (tree[i] == leafHash) index = i;
        }
        require(index != type(uint256).max, "merkle: leaf not in tree");
        uint256 depth = 0;
        for (uint256 i = index; i > 0; i = (i - 1) / 2) {
            ++depth;
        }
        path = new bytes32[](depth);
        for (uint256 k = 0; index > 0; ++k) {
            path[k] = tree[index % 2 == 1 ? index + 1 : index - 1];
            index = (index - 1) / 2;
        }
    }

    function _sorted(bytes32[] memory a) private pure returns (bytes32[] memory) {
        for (uint256 i = 1; i < a.length; ++i) {
            bytes32 key = a[i];
            uint256 j = i;
            while (j > 0 && a[j - 1] > key) {
                a[j] = a[j - 1];
                --j;
            }
            a[j] = key;
        }
        return a;
    }
}
