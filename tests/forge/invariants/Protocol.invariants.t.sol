// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base} from "../Base.t.sol";
import {Handler} from "./Handler.sol";

/// @notice Invariants over random sequences of commits, reveals (by anyone), score posts,
/// the phase end with a rewards root, claims and the owner's refund.
contract ProtocolInvariants is Base {
    Handler internal handler;
    uint64 internal seqFloor;

    function setUp() public override {
        super.setUp();
        Handler.Deployment memory d = Handler.Deployment({
            token: token,
            registry: registry,
            vault: vault,
            book: book,
            board: board,
            challengeId: challengeId,
            owner: owner,
            eta: ETA,
            bounty: BOUNTY,
            labelsDigest: labelsDigest,
            splitSalt: splitSalt
        });
        handler = new Handler(d, [oracleKeys[0], oracleKeys[1]]);
        targetContract(address(handler));
    }

    function invariant_vaultHoldsEscrowedMinusClaimedMinusRefunded() public view {
        assertEq(
            token.balanceOf(address(vault)),
            BOUNTY - handler.ghostClaimed() - handler.ghostRefunded(),
            "vault balance"
        );
        assertEq(vault.escrowBalance(challengeId), token.balanceOf(address(vault)), "escrow view");
    }

    function invariant_nobodyClaimsTwice() public view {
        assertTrue(handler.claimsBy(handler.actor(0)) <= 1, "actor 0 claimed twice");
        assertTrue(handler.claimsBy(handler.actor(1)) <= 1, "actor 1 claimed twice");
    }

    function invariant_seqOnlyIncreases() public view {
        assertEq(board.lastSeq(challengeId), handler.highestSeqSeen(), "lastSeq is the highest");
    }

    function invariant_releasedBestOnlyImprovesByEta() public view {
        assertEq(handler.ladderViolations(), 0, "ladder violations");
    }

    function invariant_onlyCommitterReveals() public view {
        assertEq(handler.nonCommitterReveals(), 0, "reveals by non-committers");
    }
}
