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
        IChallengeRegistry.ChallengeConfig memory config = _config(true);
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
        assertFalse(c.higherIsBetter, "direction");
        assertEq(c.eta, ETA, "eta");
        assertEq(uint256(c.quorum), QUORUM, "quorum");
        assertEq(uint256(c.phaseCount), 1, "phase 0");
        assertEq(c.specHash, keccak256(bytes(SPEC_CID)), "spec hash");
        assertEq(c.bounty, BOUNTY, "bounty");
        assertEq(c.allocated, BOUNTY, "phase 0 holds the bounty");
        assertTrue(registry.isOracle(id, oracleAddrs[1]), "oracle");
        assertFalse(registry.isOracle(id, alice), "not an oracle");
        (uint32 phase,) = registry.openPhase(id);
        assertEq(uint256(phase), 0, "phase 0 is open");
    }

    function test_createChallenge_RevertWhen_ConfigIsInvalid() public {
        IChallengeRegistry.ChallengeConfig memory config = _config(true);
        config.token = address(0);
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidToken.selector)
        );

        config = _config(true);
        config.arbiter = address(0);
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidArbiter.selector)
        );

        config = _config(true);
        config.eta = 0;
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidEta.selector, 0)
        );

        config = _config(true);
        config.dailyCap = 7;
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidDailyCap.selector, 7, 6)
        );

        config = _config(true);
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
        vm.assume(higherIsBetter ? target <= baseline : target >= baseline);
        IChallengeRegistry.ChallengeConfig memory config = _config(higherIsBetter);
        (config.baseline, config.target) = (baseline, target);
        _expectCreateRevert(
            config,
            abi.encodeWithSelector(
                IChallengeRegistry.InvalidScoreRange.selector, baseline, target, higherIsBetter
            )
        );
    }

    function testFuzz_createChallenge_RevertWhen_QuorumIsOutOfRange(uint8 quorum) public {
        vm.assume(quorum == 0 || quorum > 3);
        IChallengeRegistry.ChallengeConfig memory config = _config(true);
        config.quorum = quorum;
        _expectCreateRevert(
            config, abi.encodeWithSelector(IChallengeRegistry.InvalidOracleSet.selector, 3, quorum)
        );
    }

    function test_createChallenge_RevertWhen_OraclesNotAscending() public {
        IChallengeRegistry.ChallengeConfig memory config = _config(true);
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
        IChallengeRegistry.ChallengeConfig memory config = _config(true);
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
        IChallengeRegistry.ChallengeConfig memory config = _config(true);
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
        uint256 id = _createChallenge(_config(true), _phaseConfig(600e18));
        uint64 revealEnd = registry.getPhase(id, 0).revealEnd;
        IChallengeRegistry.PhaseConfig memory early = _phaseConfig(0);
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

        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.NotChallengeOwner.selector, id, alice, owner)
        );
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);

        vm.prank(owner);
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        assertTrue(registry.getPhase(id, 0).holdoutRevealed, "revealed");
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.HoldoutAlreadyRevealed.selector, id, 0)
        );
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
    }

    function test_setOracles_BumpsTheConfigVersion() public {
        uint256 id = _createChallenge(true);
        address[] memory next = new address[](2);
        (next[0], next[1]) = (oracleAddrs[0], oracleAddrs[2]);
        vm.prank(owner);
        registry.setOracles(id, next, 2);
        assertEq(uint256(registry.getChallenge(id).configVersion), 2, "version 2");
        assertFalse(registry.isOracle(id, oracleAddrs[1]), "removed oracle");
        assertTrue(registry.isOracle(id, oracleAddrs[2]), "kept oracle");
        assertEq(registry.configDigest(id), registry.computeConfigDigest(id, 2, next, 2), "digest");
    }

    function _expectCreateRevert(
        IChallengeRegistry.ChallengeConfig memory config,
        bytes memory revertData
    ) internal {
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(config.bounty);
        vm.prank(owner);
        token.approve(address(vault), config.bounty);
        vm.prank(owner);
        vm.expectRevert(revertData);
        registry.createChallenge(config, SPEC_CID, phase);
    }
}
