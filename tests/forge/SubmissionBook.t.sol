// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base} from "./Base.t.sol";
import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {ISubmissionBook} from "../../contracts/interfaces/ISubmissionBook.sol";

contract SubmissionBookTest is Base {
    address internal alice = address(0xA1);

    function testFuzz_reveal_RevertWhen_callerIsNotCommitter(address caller, bytes32 salt) public {
        vm.assume(caller != alice);
        vm.prank(alice);
        uint256 id = book.commit(challengeId, _commitment(alice, "bafkreiartifact", salt));
        vm.roll(block.number + 1);
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.NotCommitter.selector, id, caller, alice)
        );
        book.reveal(id, "bafkreiartifact", new uint256[](0), new uint32[](0), salt);
    }

    function testFuzz_reveal_RevertWhen_valuesDifferFromCommitment(bytes32 salt, bytes32 other)
        public
    {
        vm.assume(salt != other);
        vm.prank(alice);
        uint256 id = book.commit(challengeId, _commitment(alice, "bafkreiartifact", salt));
        vm.roll(block.number + 1);
        vm.startPrank(alice);
        vm.expectPartialRevert(ISubmissionBook.CommitmentMismatch.selector);
        book.reveal(id, "bafkreiartifact", new uint256[](0), new uint32[](0), other);
        vm.expectPartialRevert(ISubmissionBook.CommitmentMismatch.selector);
        book.reveal(id, "bafkreiOTHER", new uint256[](0), new uint32[](0), salt);
        book.reveal(id, "bafkreiartifact", new uint256[](0), new uint32[](0), salt);
        vm.stopPrank();
        assertTrue(book.getSubmission(id).revealed, "the committer's reveal must succeed");
    }

    function test_reveal_RevertWhen_sameBlockAsCommit() public {
        vm.startPrank(alice);
        uint256 id = book.commit(challengeId, _commitment(alice, "bafkreiartifact", bytes32(0)));
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.RevealTooEarly.selector, id, block.number)
        );
        book.reveal(id, "bafkreiartifact", new uint256[](0), new uint32[](0), bytes32(0));
        vm.stopPrank();
    }

    /// @dev A parent must be revealed before the child is committed, not just before its reveal.
    function test_reveal_RevertWhen_parentRevealedAfterChildCommit() public {
        address bob = address(0xB0B);
        vm.prank(alice);
        uint256 parent = book.commit(challengeId, _commitment(alice, "bafkreiartifact", bytes32(0)));
        uint256[] memory parents = new uint256[](1);
        parents[0] = parent;
        uint32[] memory weights = new uint32[](1);
        weights[0] = 1_000_000;
        bytes32 childCommitment = keccak256(
            abi.encode(
                block.chainid,
                address(book),
                challengeId,
                bob,
                keccak256(bytes("bafkreichild")),
                keccak256(abi.encode(parents, weights)),
                bytes32(0)
            )
        );
        vm.prank(bob);
        uint256 child = book.commit(challengeId, childCommitment);
        vm.roll(block.number + 1);
        vm.prank(alice);
        book.reveal(parent, "bafkreiartifact", new uint256[](0), new uint32[](0), bytes32(0));
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.ParentNotRevealedBeforeCommit.selector, parent, child
            )
        );
        book.reveal(child, "bafkreichild", parents, weights, bytes32(0));
    }
}

/// @notice The rolling daily cap against a reference model over random commit times.
contract DailyCapTest is Base {
    function testFuzz_commit_dailyCapMatchesRollingWindow(uint8 capSeed, uint32[12] memory gaps)
        public
    {
        uint8 cap = uint8(bound(capSeed, 1, 6));
        uint256 id = _challengeWithCap(cap);
        address alice = address(0xA1);
        uint256[] memory accepted = new uint256[](12);
        uint256 count = 0;
        for (uint256 i = 0; i < 12; ++i) {
            vm.warp(block.timestamp + bound(gaps[i], 0, 10 hours));
            uint256 inWindow = 0;
            for (uint256 j = 0; j < count; ++j) {
                if (accepted[j] + 1 days > block.timestamp) ++inWindow;
            }
            vm.prank(alice);
            if (inWindow >= cap) {
                vm.expectPartialRevert(ISubmissionBook.DailyCapReached.selector);
                book.commit(id, bytes32(i + 1));
            } else {
                book.commit(id, bytes32(i + 1));
                accepted[count++] = block.timestamp;
            }
        }
    }

    function _challengeWithCap(uint8 cap) internal returns (uint256 id) {
        uint64 commitEnd = uint64(block.timestamp) + 30 days;
        uint64 revealEnd = commitEnd + 1 days;
        vm.startPrank(owner);
        id = registry.createChallenge(
            _capConfig(cap), "bafkreispec", _phase(uint64(block.timestamp), commitEnd, revealEnd)
        );
        vm.stopPrank();
    }

    function _capConfig(uint8 cap)
        internal
        view
        returns (IChallengeRegistry.ChallengeConfig memory config)
    {
        config.token = address(token);
        config.target = 1e18;
        config.eta = ETA;
        config.higherIsBetter = true;
        config.oracles = oracles;
        config.quorum = 2;
        config.arbiter = arbiter;
        config.dailyCap = cap;
    }

    function _phase(uint64 start, uint64 end, uint64 revealEnd)
        internal
        pure
        returns (IChallengeRegistry.PhaseConfig memory phase)
    {
        phase.specCid = "bafkreispec";
        phase.commitStart = start;
        phase.commitEnd = end;
        phase.revealEnd = revealEnd;
    }
}
