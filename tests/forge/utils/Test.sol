// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The project's own minimal forge test base (forge-std is not available offline)
/// @notice Written from the documented cheatcode signatures: only what the Coopetition suite
/// uses. Forge runs every `test*` / `invariant_*` function of a contract in the test dir; a
/// test fails when it reverts, so the asserts below revert with a readable message. No
/// `IS_TEST` marker or `failed()` getter is needed (checked with forge 1.7.1). Invariant
/// campaigns read `targetContracts()` / `targetSelectors()` / `targetSenders()` /
/// `excludeSenders()` from the test contract; empty lists mean "no restriction".

/// @dev Cheatcodes, served by forge at the HEVM address (the low 20 bytes of
/// keccak256("hevm cheat code")).
interface Vm {
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function chainId(uint256 newChainId) external;
    function deal(address account, uint256 newBalance) external;
    function store(address target, bytes32 slot, bytes32 value) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function expectRevert() external;
    function expectRevert(bytes4 revertData) external;
    function expectRevert(bytes calldata revertData) external;
    /// @dev The next event `emitter` emits must equal the one emitted after this call.
    function expectEmit(address emitter) external;
    function sign(uint256 privateKey, bytes32 digest)
        external
        pure
        returns (uint8 v, bytes32 r, bytes32 s);
    function addr(uint256 privateKey) external pure returns (address keyAddr);
    function assume(bool condition) external pure;
    function label(address account, string calldata newLabel) external;
    function skip(bool skipTest) external;
    function toString(uint256 value) external pure returns (string memory);
    function toString(int256 value) external pure returns (string memory);
    function toString(address value) external pure returns (string memory);
    function toString(bytes32 value) external pure returns (string memory);
}

/// @notice Cheatcodes and input shaping, for test contracts and invariant handlers alike.
abstract contract TestUtils {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);

    /// @dev Maps `x` into [min, max]: values already inside stay, others wrap by modulo.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        uint256 size = max - min;
        if (size == type(uint256).max) return x;
        return min + (x % (size + 1));
    }

    /// @dev Signed variant of `bound`, wrapping over the offset from `min`.
    function bound(int256 x, int256 min, int256 max) internal pure returns (int256) {
        require(min <= max, "bound: min > max");
        if (x >= min && x <= max) return x;
        // Two's complement: the unsigned difference is exact for any min <= max.
        unchecked {
            uint256 size = uint256(max) - uint256(min);
            if (size == type(uint256).max) return x;
            return int256(uint256(min) + uint256(x) % (size + 1));
        }
    }

    /// @dev A deterministic address from a name, labelled in traces.
    function makeAddr(string memory name) internal returns (address account) {
        account = address(uint160(uint256(keccak256(bytes(name)))));
        vm.label(account, name);
    }

    /// @dev The `i`-th pseudo-random word derived from a fuzzed seed.
    function word(uint256 seed, uint256 i) internal pure returns (uint256) {
        return uint256(keccak256(abi.encode(seed, i)));
    }
}

/// @notice Asserts, and the invariant hooks forge reads from a test contract.
abstract contract Test is TestUtils {
    /// @dev The layout forge decodes from `targetSelectors()`.
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targetContracts;
    address[] private _targetSenders;
    address[] private _excludeSenders;
    FuzzSelector[] private _targetSelectors;

    function assertTrue(bool ok, string memory what) internal pure {
        if (!ok) revert(string.concat("assertion failed: ", what));
    }

    function assertFalse(bool ok, string memory what) internal pure {
        assertTrue(!ok, what);
    }

    function assertEq(uint256 a, uint256 b, string memory what) internal pure {
        if (a != b) _fail(what, vm.toString(a), vm.toString(b));
    }

    function assertEq(int256 a, int256 b, string memory what) internal pure {
        if (a != b) _fail(what, vm.toString(a), vm.toString(b));
    }

    function assertEq(address a, address b, string memory what) internal pure {
        if (a != b) _fail(what, vm.toString(a), vm.toString(b));
    }

    function assertEq(bytes32 a, bytes32 b, string memory what) internal pure {
        if (a != b) _fail(what, vm.toString(a), vm.toString(b));
    }

    function assertEq(bool a, bool b, string memory what) internal pure {
        if (a != b) _fail(what, a ? "true" : "false", b ? "true" : "false");
    }

    function assertLe(uint256 a, uint256 b, string memory what) internal pure {
        if (a > b) {
            _fail(string.concat(what, " (expected left <= right)"), vm.toString(a), vm.toString(b));
        }
    }

    // Invariant hooks: forge calls these on the test contract before an invariant campaign.

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selectors) internal {
        _targetSelectors.push(selectors);
    }

    function targetSender(address sender) internal {
        _targetSenders.push(sender);
    }

    function excludeSender(address sender) internal {
        _excludeSenders.push(sender);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function targetSenders() public view returns (address[] memory) {
        return _targetSenders;
    }

    function excludeSenders() public view returns (address[] memory) {
        return _excludeSenders;
    }

    function _fail(string memory what, string memory left, string memory right) private pure {
        revert(string.concat("assertion failed: ", what, ": ", left, " != ", right));
    }
}
