// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ChallengeRegistry} from "../../contracts/ChallengeRegistry.sol";
import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "../../contracts/interfaces/IRewardVault.sol";
import {Base} from "./Base.t.sol";

/// @notice Challenge creation checks, phases, oracle rotation and the holdout reveal.
contract ChallengeRegistryTest is Base {
    function test_bindVault_RevertWhen_CalledTwiceOrByAnother() public {
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.VaultAlreadyBound.selector, address(vault))
        );
        registry.bindVault(vault);
        ChallengeRegistry fresh = new ChallengeRegistry();
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.NotDeployer.selector, alice, address(this))
        );
        fresh.bindVault(vault);
    }

    function test_createChallenge_RevertWhen_VaultNotBound() public {
        ChallengeRegistry fresh = new ChallengeRegistry();
        IChallengeRegistry.ChallengeConfig memory config = _config();
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        vm.expectRevert(IChallengeRegistry.VaultNotBound.selector);
        fresh.createChallenge(config, SPEC_CID, phase);
    }

    function test_createChallenge_StoresTheConfig() public {
        uint256 id = _createChallenge(false);
        IChallengeRegistry.Challenge memory c = registry.getChallenge(id);
        assertEq(id, 1, "ids start at 1");
        assertEq(registry.challengeCount(), 1, "count");
        assertEq(c.owner, owner, "owner");
        assertEq(c.token, address(token), "token");
        IChallengeRegistry.Phase memory p0 = registry.getPhase(id, 0);
        assertFalse(p0.higherIsBetter, "direction");
        assertEq(p0.baseline, TARGET, "baseline");
        assertEq(p0.target, BASELINE, "target");
        assertEq(p0.eta, ETA, "eta");
        assertEq(uint256(c.quorum), QUORUM, "quorum");
        assertEq(uint256(c.phaseCount), 1, "phase 0");
        assertEq(c.specHash, keccak256(bytes(SPEC_CID)), "spec hash");
        assertEq(c.bounty, BOUNTY, "bounty");
        assertEq(c.allocated, BOUNTY, "phase 0 holds the bounty");
        assertEq(uint256(c.noticePeriod), NOTICE_PERIOD, "notice period");
        assertTrue(registry.isOracleAt(id, 1, oracleAddrs[1]), "oracle");
        assertFalse(registry.isOracleAt(id, 1, alice), "not an oracle");
        (uint32 version, IChallengeRegistry.Judges memory judges) = registry.phaseJudges(id, 0);
        assertEq(uint256(version), 1, "phase 0 is judged by version 1");
        assertEq(judges.arbiter, arbiter, "arbiter");
        assertEq(uint256(judges.quorum), QUORUM, "quorum");
        (uint32 phase,) = registry.openPhase(id);
        assertEq(uint256(phase), 0, "phase 0 is open");
    }

    function test_createChallenge_RevertWhen_ConfigIsInvalid() public {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.token = address(0);
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidToken.selector)
        );

        config = _config();
        config.arbiter = address(0);
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidArbiter.selector)
        );

        config = _config();
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        phase.eta = 0;
        _expectCreateRevert(
            config, phase, abi.encodeWithSelector(IChallengeRegistry.InvalidEta.selector, 0)
        );

        config = _config();
        config.dailyCap = 7;
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidDailyCap.selector, 7, 6)
        );

        config = _config();
        config.parentChallenge = 5;
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.UnknownChallenge.selector, 5)
        );
    }

    function testFuzz_createChallenge_RevertWhen_TargetIsNotBetterThanBaseline(
        bool higherIsBetter,
        int256 baseline,
        int256 target
    ) public {
        baseline = bound(baseline, type(int248).min, type(int248).max);
        target = bound(target, type(int248).min, type(int248).max);
        vm.assume(higherIsBetter ? target <= baseline : target >= baseline);
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY, higherIsBetter);
        (phase.baseline, phase.target) = (baseline, target);
        _expectCreateRevert(
            _config(),
            phase,
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidScoreRange.selector, baseline, target, higherIsBetter
            )
        );
    }

    function testFuzz_createChallenge_RevertWhen_QuorumIsOutOfRange(uint8 quorum) public {
        vm.assume(quorum == 0 || quorum > 3);
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.quorum = quorum;
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidOracleSet.selector, 3, quorum)
        );
    }

    function test_createChallenge_RevertWhen_OraclesNotAscending() public {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        (config.oracles[1], config.oracles[2]) = (config.oracles[2], config.oracles[1]);
        _expectCreateRevert(
            config,
            abi.encodeWithSelector(
                IChallengeRegistry.OraclesNotSorted.selector,
                2,
                config.oracles[1],
                config.oracles[2]
            )
        );
    }

    function test_createChallenge_RevertWhen_PhaseBountyExceedsTheEscrow() public {
        vm.prank(owner);
        token.approve(address(vault), BOUNTY);
        IChallengeRegistry.ChallengeConfig memory config = _config();
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY + 1);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.PhaseBountyExceedsEscrow.selector, BOUNTY + 1, BOUNTY
            )
        );
        registry.createChallenge(config, SPEC_CID, phase);
    }

    function test_createChallenge_RevertWhen_WindowsAreOutOfOrder() public {
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        phase.revealEnd = phase.commitEnd;
        IChallengeRegistry.ChallengeConfig memory config = _config();
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidWindows.selector,
                phase.commitStart,
                phase.commitEnd,
                phase.revealEnd,
                0
            )
        );
        registry.createChallenge(config, SPEC_CID, phase);
    }

    // ------------------------------------------------------------------ phases

    function test_addPhase_OpensAfterThePreviousRevealEnd() public {
        uint256 id = _createChallenge(_config(), _phaseConfig(600e18));
        uint64 revealEnd = registry.getPhase(id, 0).revealEnd;
        IChallengeRegistry.PhaseConfig memory early = _phaseConfig(0);
        early.commitStart += NOTICE_PERIOD; // noticed in time, but before phase 0's reveals end
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidWindows.selector,
                early.commitStart,
                early.commitEnd,
                early.revealEnd,
                revealEnd
            )
        );
        registry.addPhase(id, early, 0);

        IChallengeRegistry.PhaseConfig memory next = _phaseConfig(400e18);
        (next.commitStart, next.commitEnd, next.revealEnd) =
        (revealEnd, revealEnd + 1 days, revealEnd + 2 days);
        next.specCid = "bafkreispecv2";
        vm.prank(owner);
        uint32 phase = registry.addPhase(id, next, 0);
        assertEq(uint256(phase), 1, "phase 1");
        assertEq(registry.getPhase(id, 1).specHash, keccak256("bafkreispecv2"), "new spec");
        assertEq(registry.getPhase(id, 0).specHash, keccak256(bytes(SPEC_CID)), "old unchanged");

        vm.warp(registry.getPhase(id, 0).commitEnd);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.NoOpenPhase.selector, id, block.timestamp)
        );
        registry.openPhase(id);
        vm.warp(revealEnd);
        (uint32 open,) = registry.openPhase(id);
        assertEq(uint256(open), 1, "phase 1 open");
    }

    /// @dev Issue 15, point 1: a phase may change direction, baseline, target and eta; its
    /// rules are fixed when added, and the phase before it keeps its own.
    function test_addPhase_ChangesTheFigureOfMerit() public {
        uint256 id = _createChallenge(_config(), _phaseConfig(600e18, true));
        IChallengeRegistry.PhaseConfig memory next = _phaseAfterPhase0(id, 400e18, false);
        (next.baseline, next.target, next.eta) = (0.3e18, 0.1e18, 5e15);
        vm.prank(owner);
        uint32 phase = registry.addPhase(id, next, 0);

        IChallengeRegistry.Phase memory p1 = registry.getPhase(id, phase);
        assertFalse(p1.higherIsBetter, "phase 1: lower is better");
        assertEq(p1.baseline, 0.3e18, "phase 1 baseline");
        assertEq(p1.target, 0.1e18, "phase 1 target");
        assertEq(p1.eta, 5e15, "phase 1 eta");
        (uint256 eta1, bool higher1,,) = registry.scoringRules(id, 1);
        assertEq(eta1, 5e15, "the board steps phase 1 by its own eta");
        assertFalse(higher1, "phase 1 direction");
        IChallengeRegistry.Phase memory p0 = registry.getPhase(id, 0);
        assertTrue(p0.higherIsBetter, "phase 0 keeps its direction");
        assertEq(p0.baseline, BASELINE, "phase 0 keeps its baseline");
        assertEq(p0.eta, ETA, "phase 0 keeps its eta");
        (uint256 eta0, bool higher0,,) = registry.scoringRules(id, 0);
        assertEq(eta0, ETA, "phase 0 scoring eta");
        assertTrue(higher0, "phase 0 scoring direction");
    }

    /// @dev Issue 15, point 1: a new phase's rules are checked as phase 0's are.
    function test_addPhase_RevertWhen_ItsRulesAreInvalid() public {
        uint256 id = _createChallenge(_config(), _phaseConfig(600e18, true));
        IChallengeRegistry.PhaseConfig memory next = _phaseAfterPhase0(id, 0, false);
        (next.baseline, next.target) = (0.1e18, 0.3e18); // lower is better: target must be lower
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidScoreRange.selector, 0.1e18, 0.3e18, false
            )
        );
        registry.addPhase(id, next, 0);

        (next.baseline, next.target, next.eta) = (0.3e18, 0.1e18, 0.2e18 + 1);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.EtaExceedsScoreRange.selector, 0.2e18 + 1, 0.2e18
            )
        );
        registry.addPhase(id, next, 0);
    }

    /// @dev Issue 15, point 1: a phase is announced at least the notice period before its
    /// commits open; one second less is refused with the earliest allowed start.
    function test_addPhase_RevertWhen_AnnouncedLessThanTheNoticePeriodAhead() public {
        IChallengeRegistry.PhaseConfig memory short_ = _phaseConfig(600e18);
        short_.commitEnd = short_.commitStart + 1 days;
        short_.revealEnd = short_.commitEnd + 1 hours;
        uint256 id = _createChallenge(_config(), short_);
        uint256 earliest = block.timestamp + NOTICE_PERIOD;
        IChallengeRegistry.PhaseConfig memory next = _phaseConfig(0);
        next.commitStart = uint64(earliest - 1);
        (next.commitEnd, next.revealEnd) = (next.commitStart + 1 days, next.commitStart + 2 days);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.PhaseNoticeTooShort.selector, id, earliest - 1, earliest
            )
        );
        registry.addPhase(id, next, 0);

        next.commitStart = uint64(earliest);
        vm.prank(owner);
        assertEq(uint256(registry.addPhase(id, next, 0)), 1, "announced just in time");
    }

    function test_addPhase_RevertWhen_CallerIsNotTheOwner() public {
        uint256 id = _createChallenge(true);
        IChallengeRegistry.PhaseConfig memory next = _phaseConfig(0);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.NotChallengeOwner.selector, id, alice, owner)
        );
        registry.addPhase(id, next, 0);
    }

    // ------------------------------------------------------------------ holdout

    function test_revealHoldout_ChecksTheCommitment() public {
        uint256 id = _createChallenge(true);
        uint64 revealEnd = registry.getPhase(id, 0).revealEnd;
        vm.warp(revealEnd);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.HoldoutTooEarly.selector, id, 0, revealEnd, revealEnd
            )
        );
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);

        vm.warp(revealEnd + 1);
        bytes32 expected = _holdoutCommitment(LABELS_DIGEST, SPLIT_SALT);
        bytes32 wrong = _holdoutCommitment(LABELS_DIGEST, bytes32(0));
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.HoldoutMismatch.selector, expected, wrong)
        );
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, bytes32(0));

        vm.prank(owner);
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        assertTrue(registry.getPhase(id, 0).holdoutRevealed, "revealed");
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.HoldoutAlreadyRevealed.selector, id, 0)
        );
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
    }

    /// @dev Issue 13, point 1: the owner cannot withhold the holdout; the reveal checks itself,
    /// so anyone holding the secret (an oracle) makes it, and the event says who.
    function test_revealHoldout_AnOracleRevealsWhenTheOwnerWithholds() public {
        uint256 id = _createChallenge(true);
        vm.warp(registry.getPhase(id, 0).revealEnd + 1);
        vm.expectEmit(address(registry));
        emit IChallengeRegistry.HoldoutRevealed(
            id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT, oracleAddrs[0]
        );
        vm.prank(oracleAddrs[0]);
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        assertTrue(registry.getPhase(id, 0).holdoutRevealed, "revealed by an oracle");
    }

    /// @dev Issue 13, point 1: someone without the secret still cannot reveal a wrong holdout.
    function testFuzz_revealHoldout_RevertWhen_AStrangerGuessesTheSalt(bytes32 salt) public {
        vm.assume(salt != SPLIT_SALT);
        uint256 id = _createChallenge(true);
        vm.warp(registry.getPhase(id, 0).revealEnd + 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.HoldoutMismatch.selector,
                _holdoutCommitment(LABELS_DIGEST, SPLIT_SALT),
                _holdoutCommitment(LABELS_DIGEST, salt)
            )
        );
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, salt);
    }

    function test_setOracles_AnnouncesAVersionForLaterPhases() public {
        uint256 id = _createChallenge(true);
        address[] memory next = new address[](2);
        (next[0], next[1]) = (oracleAddrs[0], oracleAddrs[2]);
        vm.prank(owner);
        uint64 activeFrom = registry.setOracles(id, next, 2, bob);
        assertEq(activeFrom, block.timestamp + NOTICE_PERIOD, "a notice period ahead");
        assertEq(uint256(registry.getChallenge(id).configVersion), 2, "version 2");
        assertFalse(registry.isOracleAt(id, 2, oracleAddrs[1]), "removed oracle");
        assertTrue(registry.isOracleAt(id, 2, oracleAddrs[2]), "kept oracle");
        assertTrue(registry.isOracleAt(id, 1, oracleAddrs[1]), "version 1 unchanged");
        // A phase opening at activeFrom is judged by version 2; phase 0 keeps version 1.
        IChallengeRegistry.PhaseConfig memory later = _phaseConfig(0);
        uint64 start = registry.getPhase(id, 0).revealEnd + 1;
        if (start < activeFrom) start = activeFrom;
        (later.commitStart, later.commitEnd, later.revealEnd) =
        (start, start + 1 days, start + 2 days);
        vm.prank(owner);
        uint32 phase1 = registry.addPhase(id, later, 0);
        (uint32 v0, IChallengeRegistry.Judges memory j0) = registry.phaseJudges(id, 0);
        (uint32 v1, IChallengeRegistry.Judges memory j1) = registry.phaseJudges(id, phase1);
        assertEq(uint256(v0), 1, "phase 0 keeps version 1");
        assertEq(j0.arbiter, arbiter, "phase 0 keeps its arbiter");
        assertEq(uint256(v1), 2, "the later phase takes version 2");
        assertEq(j1.arbiter, bob, "the later phase's arbiter");
        assertEq(j1.configDigest, registry.computeConfigDigest(id, 2, next, 2), "digest");
    }

    /// @dev Issue 13, point 2: rotating the oracles to itself does not let the owner sign, or
    /// void the signatures of, the phase whose commits are open.
    function test_setOracles_AnOwnerRotationNeverReachesTheOpenPhase() public {
        uint256 id = _createChallenge(true);
        (, IChallengeRegistry.Judges memory before) = registry.phaseJudges(id, 0);
        address[] memory only = new address[](1);
        only[0] = owner;
        vm.prank(owner);
        registry.setOracles(id, only, 1, owner);
        vm.warp(block.timestamp + NOTICE_PERIOD + 1);
        (uint32 version, IChallengeRegistry.Judges memory judges) = registry.phaseJudges(id, 0);
        assertEq(uint256(version), 1, "the open phase keeps version 1");
        assertEq(judges.configDigest, before.configDigest, "same digest");
        assertEq(judges.arbiter, arbiter, "same arbiter");
    }

    /// @dev Issue 13, point 2: the notice period is bounded (a zero notice would let a change
    /// reach a phase about to open without warning).
    function testFuzz_createChallenge_RevertWhen_NoticePeriodIsOutOfRange(uint32 notice) public {
        vm.assume(notice < registry.MIN_NOTICE_PERIOD() || notice > registry.MAX_NOTICE_PERIOD());
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.noticePeriod = notice;
        _expectCreateRevert(
            config,
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidNoticePeriod.selector,
                notice,
                registry.MIN_NOTICE_PERIOD(),
                registry.MAX_NOTICE_PERIOD()
            )
        );
    }

    /// @dev Issue 13, point 6: a dispute window that removes disputes (0) or locks claims for
    /// months is refused.
    function testFuzz_createChallenge_RevertWhen_DisputeWindowIsOutOfRange(uint32 window) public {
        vm.assume(window < registry.MIN_DISPUTE_WINDOW() || window > registry.MAX_DISPUTE_WINDOW());
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.disputeWindow = window;
        _expectCreateRevert(
            config,
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidDisputeWindow.selector,
                window,
                registry.MIN_DISPUTE_WINDOW(),
                registry.MAX_DISPUTE_WINDOW()
            )
        );
    }

    /// @dev Issue 13, point 6: a dispute bond out of a participant's reach is refused.
    function testFuzz_createChallenge_RevertWhen_DisputeBondIsTooHigh(uint256 bond) public {
        bond = bound(bond, registry.MAX_DISPUTE_BOND() + 1, type(uint256).max);
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.disputeBond = bond;
        _expectCreateRevert(
            config,
            abi.encodeWithSelector(
                IChallengeRegistry.DisputeBondTooHigh.selector, bond, registry.MAX_DISPUTE_BOND()
            )
        );
    }

    /// @dev Issue 13, point 6: scores the board cannot hold (int248) are refused.
    function test_createChallenge_RevertWhen_AScoreIsOutsideWhatTheBoardHolds() public {
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        phase.target = int256(type(int248).max) + 1;
        _expectCreateRevert(
            _config(),
            phase,
            abi.encodeWithSelector(
                IChallengeRegistry.ScoreOutOfRange.selector,
                phase.target,
                int256(type(int248).min),
                int256(type(int248).max)
            )
        );
    }

    /// @dev Issue 13, point 6: a phase already over, opening years ahead or lasting years is
    /// refused (it would lock its share of the escrow).
    function test_createChallenge_RevertWhen_WindowsAreFarFromNow() public {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        uint64 now_ = uint64(block.timestamp);
        (phase.commitStart, phase.commitEnd, phase.revealEnd) = (now_ - 3, now_ - 2, now_);
        _expectCreateRevert(
            config,
            phase,
            abi.encodeWithSelector(
                IChallengeRegistry.WindowsOutOfRange.selector, now_ - 3, now_, now_
            )
        );
        uint64 far = now_ + registry.MAX_PHASE_LEAD() + 1;
        (phase.commitStart, phase.commitEnd, phase.revealEnd) = (far, far + 1, far + 2);
        _expectCreateRevert(
            config,
            phase,
            abi.encodeWithSelector(
                IChallengeRegistry.WindowsOutOfRange.selector, far, far + 2, now_
            )
        );
        uint64 end = now_ + registry.MAX_PHASE_LENGTH() + 1;
        (phase.commitStart, phase.commitEnd, phase.revealEnd) = (now_, now_ + 1, end);
        _expectCreateRevert(
            config,
            phase,
            abi.encodeWithSelector(IChallengeRegistry.WindowsOutOfRange.selector, now_, end, now_)
        );
    }

    function _expectCreateRevert(
        IChallengeRegistry.ChallengeConfig memory config,
        bytes memory revertData
    ) internal {
        _expectCreateRevert(config, _phaseConfig(config.bounty), revertData);
    }

    function _expectCreateRevert(
        IChallengeRegistry.ChallengeConfig memory config,
        IChallengeRegistry.PhaseConfig memory phase,
        bytes memory revertData
    ) internal {
        vm.prank(owner);
        token.approve(address(vault), config.bounty);
        vm.prank(owner);
        vm.expectRevert(revertData);
        registry.createChallenge(config, SPEC_CID, phase);
    }
}
