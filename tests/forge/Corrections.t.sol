// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "../../contracts/interfaces/IRewardVault.sol";
import {IScoreBoard} from "../../contracts/interfaces/IScoreBoard.sol";
import {Base} from "./Base.t.sol";

/// @notice Corrections of a phase's scorer or labels (issue 15): published by the owner,
/// refused once the phase's claims are open, scored under by every later batch and root.
contract CorrectionsTest is Base {
    string internal constant SCORER_CID = "bafkreicorrectedscorer";
    string internal constant REASON_CID = "bafkreireason";

    uint256 internal challengeId;
    uint256 internal aliceId;
    uint256 internal bobId;

    function setUp() public override {
        super.setUp();
        challengeId = _createChallenge(true);
        aliceId = _submit(challengeId, alice, "bafkreialice");
        bobId = _submit(challengeId, bob, "bafkreibob");
        _postScores(challengeId, 0, 1, _firstItems());
    }

    /// @dev Batch 1: alice ahead of bob.
    function _firstItems() internal view returns (IScoreBoard.ScoreItem[] memory items) {
        items = new IScoreBoard.ScoreItem[](2);
        items[0] = _item(aliceId, 0.8e18);
        items[1] = _item(bobId, 0.6e18);
    }

    /// @dev The phase ended, batch 1 opened and a root of 300 tokens posted (in its window).
    function _postFirstRoot() internal {
        _revealHoldout(challengeId, 0);
        _openBoth(1, _firstItems());
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 300e18));
    }

    function _correct(string memory scorerCid, bytes32 holdoutCommitment)
        internal
        returns (uint32)
    {
        vm.prank(owner);
        return registry.publishCorrection(challengeId, 0, scorerCid, holdoutCommitment, REASON_CID);
    }

    function _reveal1(uint64 seq, uint256 id, int256 score) internal {
        int256[] memory scores = new int256[](1);
        scores[0] = score;
        bytes32[] memory salts = new bytes32[](1);
        salts[0] = _scoreSalt(id);
        board.revealPrivateScores(challengeId, seq, _items1(_item(id, score)), scores, salts);
    }

    function test_publishCorrection_CountsAndAnnouncesIt() public {
        vm.expectEmit(address(registry));
        emit IChallengeRegistry.CorrectionPublished(
            challengeId, 0, 1, SCORER_CID, bytes32(0), REASON_CID
        );
        assertEq(uint256(_correct(SCORER_CID, bytes32(0))), 1, "first correction");
        assertEq(uint256(registry.getPhase(challengeId, 0).correction), 1, "stored");
        (,,, uint32 correction) = registry.scoringRules(challengeId, 0);
        assertEq(uint256(correction), 1, "scoring rules name it");
        assertEq(uint256(_correct(SCORER_CID, bytes32(0))), 2, "second correction");
    }

    function testFuzz_publishCorrection_RevertWhen_NotTheOwner(address caller) public {
        vm.assume(caller != owner);
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.NotChallengeOwner.selector, challengeId, caller, owner
            )
        );
        registry.publishCorrection(challengeId, 0, SCORER_CID, bytes32(0), REASON_CID);
    }

    function test_publishCorrection_RevertWhen_ItCorrectsNothingOrGivesNoReason() public {
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.EmptyCorrection.selector, challengeId, 0)
        );
        registry.publishCorrection(challengeId, 0, "", bytes32(0), REASON_CID);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.EmptyCorrectionReason.selector, challengeId, 0
            )
        );
        registry.publishCorrection(challengeId, 0, SCORER_CID, bytes32(0), "");
    }

    /// A submission scored under correction 0 is scored again under correction 1, on a fresh
    /// Ladder; a batch still signed under correction 0 is refused.
    function test_postScores_AcceptsASecondScoreUnderTheNewCorrection() public {
        _correct(SCORER_CID, bytes32(0));
        assertFalse(board.releasedBest(challengeId, 0, alice).released, "fresh Ladder");

        IScoreBoard.ScoreItem[] memory stale = _items1(_item(aliceId, 0.5e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 2, stale);
        header.correction = 0;
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(
            abi.encodeWithSelector(IScoreBoard.WrongCorrection.selector, challengeId, 0, 0, 1)
        );
        board.postScores(header, stale, signatures);

        _postScores(challengeId, 0, 2, _items1(_item(aliceId, 0.5e18)));
        assertTrue(board.isScoredUnder(aliceId, 1), "rescored");
        assertFalse(board.isScoredUnder(bobId, 1), "bob not yet");
        assertEq(int256(board.releasedBest(challengeId, 0, alice).score), 0.5e18, "corrected");

        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.AlreadyScored.selector, aliceId));
        this.postAgain(2 + 1, aliceId);
    }

    function postAgain(uint64 seq, uint256 id) external {
        _postScores(challengeId, 0, seq, _items1(_item(id, 0.5e18)));
    }

    /// Only the batches of the current correction must have their private scores opened
    /// before a root; a root signed under the old correction is refused.
    function test_postRewards_CountsOnlyTheCurrentCorrectionsBatches() public {
        _correct(SCORER_CID, bytes32(0));
        _postScores(challengeId, 0, 2, _items1(_item(aliceId, 0.4e18)));
        _revealHoldout(challengeId, 0);
        (uint32 posted, uint32 opened) = board.phaseBatches(challengeId, 0);
        assertEq(uint256(posted), 1, "one batch under correction 1");
        assertEq(uint256(opened), 0, "none opened");
        _reveal1(2, aliceId, 0.4e18);

        IRewardVault.RewardRoot memory old = _rewardRoot(challengeId, 0, 1, keccak256("r"), 1);
        old.correction = 0;
        bytes[] memory signatures = _quorumSign(vault.rewardRootDigest(old));
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.WrongCorrection.selector, challengeId, 0, 0, 1)
        );
        vault.postRewards(old, REPORT_CID, signatures);

        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("r"), 1));
        assertTrue(
            vault.getRoot(challengeId, 0).state == IRewardVault.RootState.Posted,
            "posted without opening the corrected-away batch"
        );
    }

    /// A posted root still in its dispute window is voided by a correction (its allocation
    /// released); once claims are open a correction is refused.
    function test_publishCorrection_VoidsAPostedRootThenIsRefusedOnceClaimsOpen() public {
        _postFirstRoot();
        assertEq(vault.unallocated(challengeId), BOUNTY - 300e18, "allocated");

        vm.expectEmit(address(vault));
        emit IRewardVault.RewardsVoidedByCorrection(challengeId, 0, keccak256("root"), 1);
        _correct(SCORER_CID, bytes32(0));
        assertTrue(vault.getRoot(challengeId, 0).state == IRewardVault.RootState.Voided, "voided");
        assertEq(vault.unallocated(challengeId), BOUNTY, "allocation released");

        IScoreBoard.ScoreItem[] memory again = new IScoreBoard.ScoreItem[](2);
        again[0] = _item(aliceId, 0.6e18);
        again[1] = _item(bobId, 0.8e18);
        _postScores(challengeId, 0, 2, again);
        _openBoth(2, again);
        _postRewards(_rewardRoot(challengeId, 0, 2, keccak256("corrected"), 300e18));
        uint64 claimableAt = vault.getRoot(challengeId, 0).claimableAt;
        vm.warp(claimableAt);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.CorrectionAfterClaimsOpened.selector, challengeId, 0, claimableAt
            )
        );
        registry.publishCorrection(challengeId, 0, SCORER_CID, bytes32(0), REASON_CID);
    }

    function _openBoth(uint64 seq, IScoreBoard.ScoreItem[] memory items) internal {
        int256[] memory scores = new int256[](2);
        bytes32[] memory salts = new bytes32[](2);
        for (uint256 i = 0; i < 2; ++i) {
            scores[i] = items[i].publicScore;
            salts[i] = _scoreSalt(items[i].submissionId);
        }
        board.revealPrivateScores(challengeId, seq, items, scores, salts);
    }

    function test_publishCorrection_RevertWhen_TheRootIsDisputed() public {
        _postFirstRoot();
        vm.deal(carol, DISPUTE_BOND);
        vm.prank(carol);
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreidispute");
        uint64 deadline = vault.getRoot(challengeId, 0).arbiterDeadline;
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.CorrectionDuringDispute.selector, challengeId, 0, deadline
            )
        );
        registry.publishCorrection(challengeId, 0, SCORER_CID, bytes32(0), REASON_CID);
    }

    /// Corrected labels replace the holdout commitment: the holdout is revealed again, and
    /// only against the new commitment.
    function test_publishCorrection_OfTheLabelsAsksForANewHoldoutReveal() public {
        _revealHoldout(challengeId, 0);
        bytes32 digest = keccak256("corrected labels");
        bytes32 commitment = _holdoutCommitment(digest, SPLIT_SALT);
        _correct("", commitment);
        IChallengeRegistry.Phase memory p = registry.getPhase(challengeId, 0);
        assertEq(p.holdoutCommitment, commitment, "new commitment");
        assertFalse(p.holdoutRevealed, "to be revealed again");
        bytes32 old = _holdoutCommitment(LABELS_DIGEST, SPLIT_SALT);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.HoldoutMismatch.selector, commitment, old)
        );
        registry.revealHoldout(challengeId, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        registry.revealHoldout(challengeId, 0, "bafkreicorrected", digest, SPLIT_SALT);
        assertTrue(registry.getPhase(challengeId, 0).holdoutRevealed, "revealed again");
    }

    function testFuzz_voidForCorrection_RevertWhen_CallerIsNotTheRegistry(address caller) public {
        vm.assume(caller != address(registry));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.OnlyRegistry.selector, caller));
        vault.voidForCorrection(challengeId, 0, 1);
    }
}
