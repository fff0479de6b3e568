// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {ISubmissionBook} from "../../contracts/interfaces/ISubmissionBook.sol";
import {Base} from "./Base.t.sol";

/// @title No quota lost to the platform's failures
/// @notice A submission the oracles never scored within the challenge's scoring deadline frees
/// its daily-cap slot (`releaseQuota`); an outage in a phase's last day of commits lets anyone
/// extend the phase's windows once, by the outage, capped (`extendForOutage`).
contract QuotaProtectionTest is Base {
    uint32 internal constant DEADLINE = 1 hours;
    uint32 internal constant MAX_EXTENSION = 2 days;
    uint8 internal constant CAP = 2;

    function _protectedChallenge(uint8 cap, uint32 deadline, uint32 maxExtension)
        internal
        returns (uint256)
    {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.dailyCap = cap;
        config.commitBond = 0.01 ether;
        config.scoringDeadline = deadline;
        config.maxOutageExtension = maxExtension;
        return _createChallenge(config, _phaseConfig(BOUNTY));
    }

    function _protectedChallenge() internal returns (uint256) {
        return _protectedChallenge(CAP, DEADLINE, MAX_EXTENSION);
    }

    function _expectCapReached(uint256 challengeId, address who, uint256 nextAt) internal {
        vm.prank(who);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.DailyCapReached.selector, who, CAP, nextAt)
        );
        book.commit{value: 0.01 ether}(challengeId, bytes32("over the cap"));
    }

    // ------------------------------------------------------------------ releaseQuota

    function test_releaseQuota_AnUnscoredSubmissionFreesItsCapSlot() public {
        uint256 c = _protectedChallenge();
        uint256 first = _submit(c, alice, "bafkreifirst");
        uint256 firstAt = block.timestamp;
        vm.warp(block.timestamp + 10 minutes);
        _submit(c, alice, "bafkreisecond");
        vm.deal(alice, 1 ether);
        _expectCapReached(c, alice, firstAt + 1 days);

        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectEmit(address(book));
        emit ISubmissionBook.QuotaReleased(first, c, alice, uint64(firstAt), true);
        vm.prank(carol); // anyone
        book.releaseQuota(first);

        (uint64 committedAt, uint64 revealedAt, bool released) = book.quotaTimesOf(first);
        assertEq(committedAt, firstAt, "commit time kept");
        assertEq(revealedAt, firstAt, "reveal time kept (the next block, same second)");
        assertTrue(released, "released");
        // The freed slot takes a commit now, then the cap holds again until the second expires.
        vm.prank(alice);
        book.commit{value: 0.01 ether}(c, bytes32("third"));
        _expectCapReached(c, alice, firstAt + 10 minutes + 1 days);
    }

    function test_releaseQuota_TheCommitBondWasReturnedAtReveal() public {
        uint256 c = _protectedChallenge();
        uint256 id = _submit(c, alice, "bafkreibond");
        assertEq(book.bondOf(id), 0, "nothing held");
        assertEq(alice.balance, 0.01 ether, "the bond is back with alice");
        vm.warp(block.timestamp + DEADLINE + 1);
        book.releaseQuota(id);
        assertEq(alice.balance, 0.01 ether, "still back, nothing paid twice");
    }

    function test_RevertWhen_ReleasingBeforeTheDeadline() public {
        uint256 c = _protectedChallenge();
        uint256 id = _submit(c, alice, "bafkreiearly");
        uint256 dueBy = block.timestamp + DEADLINE;
        vm.warp(dueBy);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.ScoringDeadlineNotPassed.selector, id, dueBy, dueBy
            )
        );
        book.releaseQuota(id);
    }

    function test_RevertWhen_ReleasingAScoredSubmission() public {
        uint256 c = _protectedChallenge();
        uint256 id = _submit(c, alice, "bafkreiscored");
        _postScores(c, 0, 1, _items1(_item(id, BASELINE)));
        // Refused for being scored, before and after the deadline.
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.SubmissionScored.selector, id));
        book.releaseQuota(id);
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.SubmissionScored.selector, id));
        book.releaseQuota(id);
    }

    function test_RevertWhen_ReleasingTwice() public {
        uint256 c = _protectedChallenge();
        uint256 id = _submit(c, alice, "bafkreitwice");
        vm.warp(block.timestamp + DEADLINE + 1);
        book.releaseQuota(id);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.QuotaAlreadyReleased.selector, id));
        book.releaseQuota(id);
    }

    function test_RevertWhen_ReleasingAnUnrevealedSubmission() public {
        uint256 c = _protectedChallenge();
        uint256 id = _commitRaw(c, alice, bytes32("never revealed"));
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.NotRevealed.selector, id));
        book.releaseQuota(id);
    }

    function test_RevertWhen_ReleasingWithoutProtection() public {
        uint256 unprotected = _protectedChallenge(CAP, 0, 0);
        uint256 id = _submit(unprotected, alice, "bafkreiunprotected");
        uint256 uncapped = _protectedChallenge(0, DEADLINE, 0);
        uint256 other = _submit(uncapped, bob, "bafkreiuncapped");
        vm.warp(block.timestamp + DEADLINE + 1);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.QuotaNotProtected.selector, id, unprotected)
        );
        book.releaseQuota(id);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.QuotaNotProtected.selector, other, uncapped)
        );
        book.releaseQuota(other);
    }

    function test_releaseQuota_ACommitOlderThanADayFreesNothing() public {
        uint256 c = _protectedChallenge();
        uint256 id = _submit(c, alice, "bafkreiold");
        uint256 at = block.timestamp;
        vm.warp(at + 1 days);
        vm.expectEmit(address(book));
        emit ISubmissionBook.QuotaReleased(id, c, alice, uint64(at), false);
        book.releaseQuota(id);
    }

    function test_releaseQuota_FreesTheMiddleOfThreeStamps() public {
        uint256 c = _protectedChallenge(3, DEADLINE, 0);
        uint256 t0 = block.timestamp;
        _submit(c, alice, "bafkreione");
        vm.warp(t0 + 1 hours);
        uint256 middle = _submit(c, alice, "bafkreitwo");
        vm.warp(t0 + 2 hours);
        _submit(c, alice, "bafkreithree");
        vm.warp(t0 + 3 hours);
        book.releaseQuota(middle);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        book.commit{value: 0.01 ether}(c, bytes32("fourth"));
        // Now t0, t0+2h and t0+3h are in the day: the next slot frees when t0's expires.
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.DailyCapReached.selector, alice, 3, t0 + 1 days)
        );
        book.commit{value: 0.01 ether}(c, bytes32("fifth"));
    }

    // ------------------------------------------------------------------ rules at creation

    function testFuzz_RevertWhen_ScoringDeadlineOutOfBounds(uint32 deadline) public {
        vm.assume(deadline != 0 && (deadline < 10 minutes || deadline > 7 days));
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.scoringDeadline = deadline;
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidScoringDeadline.selector, deadline, 10 minutes, 7 days
            )
        );
        registry.createChallenge(config, SPEC_CID, phase);
    }

    function test_RevertWhen_ExtensionWithoutDeadlineOrTooLong() public {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.maxOutageExtension = 1 hours;
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidOutageExtension.selector, 1 hours, 0, 7 days
            )
        );
        registry.createChallenge(config, SPEC_CID, phase);
        config.scoringDeadline = DEADLINE;
        config.maxOutageExtension = 7 days + 1;
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidOutageExtension.selector, 7 days + 1, DEADLINE, 7 days
            )
        );
        registry.createChallenge(config, SPEC_CID, phase);
    }

    function test_getChallenge_ShowsTheQuotaRules() public {
        uint256 c = _protectedChallenge();
        IChallengeRegistry.Challenge memory stored = registry.getChallenge(c);
        assertEq(stored.scoringDeadline, DEADLINE, "deadline stored");
        assertEq(stored.maxOutageExtension, MAX_EXTENSION, "cap stored");
        (uint32 deadline, uint32 cap, uint64 extension) = registry.quotaRules(c, 0);
        assertEq(deadline, DEADLINE, "quotaRules deadline");
        assertEq(cap, MAX_EXTENSION, "quotaRules cap");
        assertEq(extension, 0, "not extended yet");
    }

    // ------------------------------------------------------------------ extendForOutage

    /// @dev Warps into the phase's last day of commits and submits as alice.
    function _waitingInTheLastDay(uint256 c) internal returns (uint256 id, uint64 commitEnd) {
        commitEnd = registry.getPhase(c, 0).commitEnd;
        vm.warp(commitEnd - 20 hours);
        id = _submit(c, alice, "bafkreiwaiting");
    }

    function test_extendForOutage_MovesBothWindowsByTheOutage() public {
        uint256 c = _protectedChallenge();
        (uint256 id, uint64 commitEnd) = _waitingInTheLastDay(c);
        uint64 revealedAt = uint64(block.timestamp);
        uint64 revealEnd = registry.getPhase(c, 0).revealEnd;
        vm.warp(block.timestamp + 5 hours);
        vm.expectEmit(address(registry));
        emit IChallengeRegistry.PhaseExtended(
            c, 0, id, revealedAt, 5 hours, 5 hours, commitEnd + 5 hours, revealEnd + 5 hours
        );
        vm.prank(carol); // anyone
        assertEq(registry.extendForOutage(c, 0, id), 5 hours, "extension returned");
        assertEq(registry.getPhase(c, 0).commitEnd, commitEnd + 5 hours, "commits open longer");
        assertEq(registry.getPhase(c, 0).revealEnd, revealEnd + 5 hours, "reveals too");
        (,, uint64 extension) = registry.quotaRules(c, 0);
        assertEq(extension, 5 hours, "extension recorded");
        // Commits are accepted in the added time.
        vm.warp(commitEnd + 1 hours);
        _submit(c, bob, "bafkreiextra");
    }

    function test_extendForOutage_IsCappedAndOnce() public {
        uint256 c = _protectedChallenge(CAP, DEADLINE, 3 hours);
        (uint256 id, uint64 commitEnd) = _waitingInTheLastDay(c);
        vm.warp(block.timestamp + 10 hours);
        assertEq(registry.extendForOutage(c, 0, id), 3 hours, "capped");
        assertEq(registry.getPhase(c, 0).commitEnd, commitEnd + 3 hours, "moved 3 h");
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.PhaseAlreadyExtended.selector, c, 0, 3 hours)
        );
        registry.extendForOutage(c, 0, id);
    }

    function test_RevertWhen_OutageShorterThanTheDeadline() public {
        uint256 c = _protectedChallenge();
        (uint256 id,) = _waitingInTheLastDay(c);
        vm.warp(block.timestamp + DEADLINE - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.OutageTooShort.selector, id, DEADLINE - 1, DEADLINE
            )
        );
        registry.extendForOutage(c, 0, id);
    }

    function test_RevertWhen_TheWaitingSubmissionWasScored() public {
        uint256 c = _protectedChallenge();
        (uint256 id,) = _waitingInTheLastDay(c);
        _postScores(c, 0, 1, _items1(_item(id, BASELINE)));
        vm.warp(block.timestamp + 5 hours);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.SubmissionNotWaiting.selector, id)
        );
        registry.extendForOutage(c, 0, id);
    }

    function test_RevertWhen_TheOutageIsBeforeTheLastDay() public {
        uint256 c = _protectedChallenge();
        uint256 id = _submit(c, alice, "bafkreiearlyoutage");
        uint64 revealedAt = uint64(block.timestamp);
        uint64 commitEnd = registry.getPhase(c, 0).commitEnd;
        vm.warp(commitEnd - 1 days - 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.OutageNotInLastDay.selector,
                id,
                revealedAt,
                commitEnd,
                commitEnd - 1 days - 1
            )
        );
        registry.extendForOutage(c, 0, id);
        // From the last day on, the same long wait counts (capped at the maximum).
        vm.warp(commitEnd - 1 days);
        assertEq(registry.extendForOutage(c, 0, id), MAX_EXTENSION, "capped wait");
    }

    function test_RevertWhen_RevealedAfterTheCommitEnd() public {
        uint256 c = _protectedChallenge();
        uint64 commitEnd = registry.getPhase(c, 0).commitEnd;
        vm.warp(commitEnd - 1);
        bytes32 salt = bytes32("late");
        uint256 id = _commit(c, alice, "bafkreilate", _noParents(), _noWeights(), salt);
        vm.warp(commitEnd);
        _reveal(id, alice, "bafkreilate", _noParents(), _noWeights(), salt);
        vm.warp(commitEnd + 5 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.OutageNotInLastDay.selector,
                id,
                commitEnd,
                commitEnd,
                commitEnd + 5 hours
            )
        );
        registry.extendForOutage(c, 0, id);
    }

    function test_RevertWhen_ExtensionIsOff() public {
        uint256 c = _protectedChallenge(CAP, DEADLINE, 0);
        (uint256 id,) = _waitingInTheLastDay(c);
        vm.warp(block.timestamp + 5 hours);
        vm.expectRevert(abi.encodeWithSelector(IChallengeRegistry.OutageExtensionOff.selector, c));
        registry.extendForOutage(c, 0, id);
    }

    function test_RevertWhen_TheSubmissionIsElsewhereOrUnrevealed() public {
        uint256 c = _protectedChallenge();
        uint256 other = _protectedChallenge();
        uint64 commitEnd = registry.getPhase(c, 0).commitEnd;
        vm.warp(commitEnd - 20 hours);
        uint256 elsewhere = _submit(other, alice, "bafkreielsewhere");
        uint256 pending = _commitRaw(c, bob, bytes32("pending"));
        vm.warp(block.timestamp + 5 hours);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.SubmissionNotInPhase.selector, elsewhere, c, 0
            )
        );
        registry.extendForOutage(c, 0, elsewhere);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.SubmissionNotWaiting.selector, pending)
        );
        registry.extendForOutage(c, 0, pending);
    }

    function test_RevertWhen_APhaseFollowsOrThePhaseIsOver() public {
        uint256 c = _protectedChallenge();
        (uint256 id,) = _waitingInTheLastDay(c);
        uint64 revealEnd = registry.getPhase(c, 0).revealEnd;
        vm.warp(revealEnd + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.PhaseOver.selector, c, 0, revealEnd, revealEnd + 1
            )
        );
        registry.extendForOutage(c, 0, id);
        IChallengeRegistry.PhaseConfig memory next = _phaseAfterPhase0(c, 0, true);
        next.commitStart = uint64(block.timestamp) + NOTICE_PERIOD;
        next.commitEnd = next.commitStart + 1 days;
        next.revealEnd = next.commitEnd + 1 days;
        vm.prank(owner);
        registry.addPhase(c, next, 0);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.LaterPhaseExists.selector, c, 0, 2)
        );
        registry.extendForOutage(c, 0, id);
    }
}
