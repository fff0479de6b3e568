// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRewardVault} from "../../../contracts/interfaces/IRewardVault.sol";
import {IScoreBoard} from "../../../contracts/interfaces/IScoreBoard.sol";
import {Base} from "../Base.t.sol";
import {ProtocolHandler} from "./ProtocolHandler.sol";

/// @notice Protocol invariants over random sequences of challenge creation, phases, commits
/// (and copied commits), reveals by anyone, quorum-signed score posts, private-score and
/// holdout reveals, reward roots, claims, disputes, bond withdrawals and refunds.
contract ProtocolInvariants is Base {
    ProtocolHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler =
            new ProtocolHandler(token, registry, vault, book, board, oracleKeys, owner, arbiter);
        handler.createChallenge(0);
        handler.createChallenge(1);
        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](19);
        selectors[0] = ProtocolHandler.advanceTime.selector;
        selectors[1] = ProtocolHandler.createChallenge.selector;
        selectors[2] = ProtocolHandler.addPhase.selector;
        selectors[3] = ProtocolHandler.commit.selector;
        selectors[4] = ProtocolHandler.copyCommit.selector;
        selectors[5] = ProtocolHandler.reveal.selector;
        selectors[6] = ProtocolHandler.postScores.selector;
        selectors[7] = ProtocolHandler.revealPrivateScores.selector;
        selectors[8] = ProtocolHandler.revealHoldout.selector;
        selectors[9] = ProtocolHandler.postRewards.selector;
        selectors[10] = ProtocolHandler.claim.selector;
        selectors[11] = ProtocolHandler.dispute.selector;
        selectors[12] = ProtocolHandler.resolveDispute.selector;
        selectors[13] = ProtocolHandler.withdrawBonds.selector;
        selectors[14] = ProtocolHandler.refundRemainder.selector;
        selectors[15] = ProtocolHandler.forfeitBond.selector;
        selectors[16] = ProtocolHandler.lapseDispute.selector;
        selectors[17] = ProtocolHandler.attackWithTinyChallenge.selector;
        selectors[18] = ProtocolHandler.commitAndRevealInOneBlock.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @dev Tokens held by the vault == Σ bounties escrowed − Σ claimed − Σ refunded, in
    /// total and per challenge.
    function invariant_vaultHoldsEscrowedMinusClaimedMinusRefunded() public view {
        assertEq(
            token.balanceOf(address(vault)),
            handler.ghostEscrowed() - handler.ghostClaimed() - handler.ghostRefunded(),
            "vault token balance"
        );
        for (uint256 i = 0; i < handler.challengeCount(); ++i) {
            uint256 c = handler.challengeIds(i);
            assertEq(
                vault.escrowBalance(c),
                handler.escrowedOf(c) - handler.claimedOf(c) - handler.refundedOf(c),
                "escrow balance of a challenge"
            );
        }
        assertEq(handler.paymentMismatches(), 0, "a payment differed from what was due");
    }

    /// @dev Per challenge: claimed <= the live roots' totals <= escrowed − refunded, and no
    /// root pays more than its own total (an inflated tree cannot drain other escrows).
    function invariant_claimsStayWithinRootTotalsAndEscrow() public view {
        assertEq(handler.overClaims(), 0, "a claim went past its root's total");
        assertEq(handler.drains(), 0, "a tiny challenge drained other escrows");
        for (uint256 i = 0; i < handler.challengeCount(); ++i) {
            uint256 c = handler.challengeIds(i);
            uint32 phases = registry.getChallenge(c).phaseCount;
            uint256 claimed = 0;
            uint256 live = 0;
            for (uint32 p = 0; p < phases; ++p) {
                IRewardVault.RootRecord memory r = vault.getRoot(c, p);
                assertLe(r.claimed, r.total, "a root paid more than its total");
                claimed += r.claimed;
                bool isLive = r.state == IRewardVault.RootState.Posted
                    || r.state == IRewardVault.RootState.Disputed;
                if (isLive) live += r.total;
            }
            assertEq(claimed, handler.claimedOf(c), "claimed per challenge");
            assertLe(claimed, live, "claimed <= live roots' totals");
            assertLe(live + handler.refundedOf(c), handler.escrowedOf(c), "totals <= escrowed");
        }
    }

    function invariant_nobodyClaimsTwice() public view {
        assertLe(handler.maxClaimCount(), 1, "claims by one account in one phase");
        assertEq(handler.forgedClaims(), 0, "claims with a wrong amount accepted");
    }

    function invariant_lastSeqOnlyIncreases() public view {
        assertEq(handler.seqDecreases(), 0, "a score or reward seq went down");
        assertEq(handler.staleSeqAccepted(), 0, "a used seq was accepted");
        for (uint256 i = 0; i < handler.challengeCount(); ++i) {
            uint256 c = handler.challengeIds(i);
            assertEq(
                uint256(board.lastSeq(c)),
                uint256(handler.postedSeq(c)),
                "lastSeq is the seq of the last accepted batch"
            );
        }
    }

    /// @dev A released public best only improves, by at least eta, and matches the model.
    function invariant_releasedBestOnlyImprovesByAtLeastEta() public view {
        assertEq(handler.ladderViolations(), 0, "ladder violations");
        for (uint256 i = 0; i < handler.challengeCount(); ++i) {
            uint256 c = handler.challengeIds(i);
            uint32 phases = registry.getChallenge(c).phaseCount;
            for (uint32 p = 0; p < phases; ++p) {
                for (uint256 a = 0; a < handler.actorCount(); ++a) {
                    address who = handler.actorAt(a);
                    IScoreBoard.Best memory best = board.releasedBest(c, p, who);
                    assertEq(best.released, handler.modelReleased(c, p, who), "released flag");
                    assertEq(int256(best.score), handler.modelBest(c, p, who), "released best");
                }
            }
        }
    }

    function invariant_onlyTheCommitterReveals() public view {
        assertEq(handler.nonCommitterReveals(), 0, "reveals by someone else than the committer");
        assertEq(handler.forgedReveals(), 0, "reveals with values other than committed");
        assertEq(handler.copiedReveals(), 0, "reveals of a copied commitment");
        assertEq(handler.sameBlockReveals(), 0, "reveals in their commit's block");
    }

    /// @dev ETH: the vault holds exactly the unwithdrawn dispute bonds, the book exactly the
    /// bonds of unrevealed, unforfeited submissions.
    function invariant_bondsAreBacked() public view {
        assertEq(
            address(vault).balance, handler.ghostBondsIn() - handler.ghostBondsOut(), "vault ETH"
        );
        uint256 held = 0;
        for (uint256 id = 1; id <= book.submissionCount(); ++id) {
            held += book.bondOf(id);
        }
        assertEq(address(book).balance, held, "book ETH");
    }

    /// @dev Wrong attempts the handler makes on purpose are all rejected.
    function invariant_wrongAttemptsAreRejected() public view {
        assertEq(handler.quorumBypasses(), 0, "a batch below quorum was accepted");
        assertEq(handler.forgedPrivateReveals(), 0, "a wrong private score was accepted");
        assertEq(handler.forgedHoldouts(), 0, "a wrong holdout was accepted");
        assertEq(handler.overAllocations(), 0, "a root above what is left was accepted");
        assertEq(handler.wrongBondDisputes(), 0, "a dispute with a wrong bond was accepted");
        assertEq(handler.nonArbiterResolutions(), 0, "a non-arbiter resolved a dispute");
        assertEq(handler.repeatedRefunds(), 0, "a challenge was refunded twice");
        assertEq(handler.earlyRoots(), 0, "a root before the private scores were revealed");
        assertEq(handler.earlyLapses(), 0, "a dispute lapsed before the arbiter deadline");
        assertEq(handler.repeatedDisputes(), 0, "a root was disputed twice by one account");
        assertEq(handler.strangerRefunds(), 0, "someone other than the owner refunded");
    }

    /// @dev Liveness: honest parties acting in their window are never refused.
    function invariant_honestActionsSucceed() public view {
        assertEq(handler.honestRevealFailures(), 0, "honest reveals refused");
        assertEq(handler.honestPostFailures(), 0, "honest score batches refused");
        assertEq(handler.honestPrivateRevealFailures(), 0, "honest private reveals refused");
        assertEq(handler.honestHoldoutFailures(), 0, "honest holdout reveals refused");
        assertEq(handler.honestRewardPostFailures(), 0, "honest reward roots refused");
        assertEq(handler.honestClaimFailures(), 0, "honest claims refused");
    }
}

/// @notice The handler itself: one scripted pass reaches every action's success path, so
/// the invariants above are not vacuously true over reverted or skipped actions.
contract ProtocolHandlerTest is Base {
    ProtocolHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler =
            new ProtocolHandler(token, registry, vault, book, board, oracleKeys, owner, arbiter);
    }

    function test_handler_ReachesEverySuccessPath() public {
        _until("createChallenge", handler.createChallenge);
        _until("createChallenge", handler.createChallenge);
        for (uint256 i = 0; i < 6; ++i) {
            _until("commit", handler.commit);
        }
        _until("copyCommit", handler.copyCommit);
        for (uint256 i = 0; i < 3; ++i) {
            _until("reveal", handler.reveal);
        }
        _until("commit", handler.commit); // may fork the revealed ones
        _until("revealBesideACommit", handler.commitAndRevealInOneBlock);
        assertEq(handler.sameBlockReveals(), 0, "no reveal in its commit's block");
        _until("postScores", handler.postScores);
        _until("addPhase", handler.addPhase);
        _advance(1 days);
        _advance(1 days);
        _advance(1 days);
        _until("revealPrivateScores", handler.revealPrivateScores);
        _until("revealHoldout", handler.revealHoldout);
        _until("forfeitBond", handler.forfeitBond);
        _until("postRewards", handler.postRewards);
        _until("dispute", handler.dispute);
        _until("resolveDispute", handler.resolveDispute);
        _until("withdrawBonds", handler.withdrawBonds);
        _until("revealHoldout", handler.revealHoldout);
        _until("postRewards", handler.postRewards);
        _until("dispute", handler.dispute);
        handler.advanceTime(8 days << 8); // seed % 8 == 0: past the arbiter deadline
        _until("lapseDispute", handler.lapseDispute);
        // seed % 8 == 1: a short step (7 hours), past the dispute window the lapse resumed
        handler.advanceTime((7 hours << 8) | 1);
        _until("claim", handler.claim);
        handler.advanceTime(31 days << 8); // seed % 8 == 0: a long step, past the grace
        _until("refundRemainder", handler.refundRemainder);
        assertEq(handler.honestRevealFailures() + handler.honestPostFailures(), 0, "honest");
        assertEq(
            token.balanceOf(address(vault)),
            handler.ghostEscrowed() - handler.ghostClaimed() - handler.ghostRefunded(),
            "ghost accounting"
        );
    }

    /// @dev Calls `action` with successive seeds until its success counter moves.
    function _until(bytes32 name, function(uint256) external action) internal {
        uint256 before = handler.successes(name);
        for (uint256 seed = 0; seed < 200; ++seed) {
            action(uint256(keccak256(abi.encode(name, before, seed))));
            if (handler.successes(name) > before) return;
        }
        revert(string.concat("handler never succeeded at ", string(abi.encodePacked(name))));
    }

    /// @dev One `advanceTime` step of `duration` (at most a day: seed % 8 != 0).
    function _advance(uint256 duration) internal {
        handler.advanceTime((duration << 8) | 1);
    }
}
