// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {GrantPool} from "../../contracts/GrantPool.sol";
import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IGrantPool} from "../../contracts/interfaces/IGrantPool.sol";
import {IScoreBoard} from "../../contracts/interfaces/IScoreBoard.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Base} from "./Base.t.sol";

/// @dev A token that keeps a cut of every transfer (the pool must refuse it when funding).
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee", "FEE") {
        _mint(msg.sender, 1_000_000e18);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            super._update(from, address(0xdead), value / 100);
            value -= value / 100;
        }
        super._update(from, to, value);
    }
}

/// @dev A token that calls back into the pool on every transfer out of it.
contract ReenteringToken is ERC20 {
    GrantPool internal pool;
    bytes internal payload;

    constructor() ERC20("Hostile", "HOST") {
        _mint(msg.sender, 1_000_000e18);
    }

    function arm(GrantPool pool_, bytes calldata payload_) external {
        pool = pool_;
        payload = payload_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(pool) && payload.length != 0) {
            (bool ok, bytes memory reason) = address(pool).call(payload);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
    }
}

/// @notice Mini-grants: funding, claims against released public bests, the sponsor's reclaim.
contract GrantPoolTest is Base {
    int256 internal constant THRESHOLD = 0.7e18;
    uint256 internal constant EACH = 10e18;
    uint64 internal constant GRACE = 3 days;

    GrantPool internal grants;
    uint256 internal challengeId;
    address internal sponsor;
    uint64 internal nextSeq = 1;

    function setUp() public override {
        super.setUp();
        grants = new GrantPool(registry, board);
        challengeId = _createChallenge(true);
        sponsor = makeAddr("sponsor");
        token.mint(sponsor, 1_000e18);
        vm.prank(sponsor);
        token.approve(address(grants), type(uint256).max);
    }

    function _fund(uint32 slots) internal returns (uint256) {
        vm.prank(sponsor);
        return grants.fund(challengeId, 0, address(token), THRESHOLD, EACH, slots, GRACE);
    }

    /// @dev A revealed submission of `who`, scored `score` (status 0) in its own batch.
    function _scored(address who, int256 score) internal returns (uint256 id) {
        id = _submit(challengeId, who, string.concat("bafy", vm.toString(uint256(nextSeq))));
        _postScores(challengeId, 0, nextSeq++, _items1(_item(id, score)));
    }

    function _closes() internal view returns (uint256) {
        return registry.getPhase(challengeId, 0).revealEnd + GRACE;
    }

    // ------------------------------------------------------------------ funding

    function test_fund_EscrowsSlotsTimesAmount() public {
        vm.expectEmit(address(grants));
        emit IGrantPool.GrantFunded(
            1, challengeId, 0, sponsor, address(token), THRESHOLD, EACH, 3, GRACE
        );
        uint256 poolId = _fund(3);
        assertEq(poolId, 1, "first pool id");
        assertEq(grants.poolCount(), 1, "pool count");
        assertEq(token.balanceOf(address(grants)), 3 * EACH, "escrowed");
        assertEq(token.balanceOf(sponsor), 1_000e18 - 3 * EACH, "pulled from the sponsor");
        IGrantPool.Pool memory pool = grants.getPool(poolId);
        assertEq(pool.sponsor, sponsor, "sponsor");
        assertEq(pool.threshold, THRESHOLD, "threshold");
        assertEq(uint256(pool.slots), 3, "slots");
        assertEq(grants.closesAt(poolId), _closes(), "closes after reveal end + grace");
    }

    function test_RevertWhen_FundingNothing() public {
        vm.startPrank(sponsor);
        vm.expectRevert(IGrantPool.ZeroAmount.selector);
        grants.fund(challengeId, 0, address(token), THRESHOLD, 0, 3, GRACE);
        vm.expectRevert(IGrantPool.ZeroSlots.selector);
        grants.fund(challengeId, 0, address(token), THRESHOLD, EACH, 0, GRACE);
        vm.expectRevert(IGrantPool.InvalidToken.selector);
        grants.fund(challengeId, 0, makeAddr("not a token"), THRESHOLD, EACH, 3, GRACE);
        vm.stopPrank();
    }

    function test_RevertWhen_ClaimGraceTooLong() public {
        uint64 max = grants.MAX_CLAIM_GRACE();
        vm.prank(sponsor);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.ClaimGraceTooLong.selector, max + 1, max));
        grants.fund(challengeId, 0, address(token), THRESHOLD, EACH, 3, max + 1);
    }

    function test_RevertWhen_FundingAnUnknownPhase() public {
        vm.prank(sponsor);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.UnknownPhase.selector, challengeId, 5, 1)
        );
        grants.fund(challengeId, 5, address(token), THRESHOLD, EACH, 3, GRACE);
    }

    function test_RevertWhen_FundingAfterThePhase() public {
        uint64 revealEnd = registry.getPhase(challengeId, 0).revealEnd;
        vm.warp(revealEnd + 1);
        vm.prank(sponsor);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGrantPool.PhaseOver.selector, challengeId, 0, revealEnd, revealEnd + 1
            )
        );
        grants.fund(challengeId, 0, address(token), THRESHOLD, EACH, 3, GRACE);
    }

    function test_RevertWhen_TheTokenTakesAFee() public {
        FeeOnTransferToken fee = new FeeOnTransferToken();
        fee.approve(address(grants), 30e18);
        vm.expectRevert(
            abi.encodeWithSelector(IGrantPool.FundingShortfall.selector, 30e18, 29.7e18)
        );
        grants.fund(challengeId, 0, address(fee), THRESHOLD, EACH, 3, GRACE);
    }

    // ------------------------------------------------------------------ claims

    function test_claim_PaysAsSoonAsTheScoreIsOnChain() public {
        uint256 poolId = _fund(2);
        _scored(alice, 0.75e18);
        assertTrue(block.timestamp < registry.getPhase(challengeId, 0).commitEnd, "mid-phase");
        vm.expectEmit(address(grants));
        emit IGrantPool.GrantPaid(poolId, alice, 0.75e18, EACH, alice);
        vm.prank(alice);
        grants.claim(poolId, alice);
        assertEq(token.balanceOf(alice), EACH, "alice paid");
        assertTrue(grants.isPaid(poolId, alice), "marked paid");
        assertEq(uint256(grants.getPool(poolId).paid), 1, "one slot used");
    }

    function test_claim_ByARelayerPaysTheParticipant() public {
        uint256 poolId = _fund(2);
        _scored(alice, 0.8e18);
        vm.prank(carol);
        grants.claim(poolId, alice);
        assertEq(token.balanceOf(alice), EACH, "alice paid");
        assertEq(token.balanceOf(carol), 0, "the relayer gets nothing");
    }

    function test_RevertWhen_ClaimingTwice() public {
        uint256 poolId = _fund(3);
        _scored(alice, 0.75e18);
        grants.claim(poolId, alice);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.AlreadyPaid.selector, poolId, alice));
        grants.claim(poolId, alice);
    }

    function test_RevertWhen_TheSameParticipantClaimsWithASecondSubmission() public {
        uint256 poolId = _fund(3);
        _scored(alice, 0.75e18);
        grants.claim(poolId, alice);
        _scored(alice, 0.85e18);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.AlreadyPaid.selector, poolId, alice));
        grants.claim(poolId, alice);
        assertEq(token.balanceOf(alice), EACH, "paid once");
    }

    function test_RevertWhen_TheScoreOnlyMatchesTheThreshold() public {
        uint256 poolId = _fund(3);
        _scored(alice, THRESHOLD);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGrantPool.BelowThreshold.selector, poolId, alice, THRESHOLD, THRESHOLD
            )
        );
        grants.claim(poolId, alice);
    }

    function test_RevertWhen_TheScoreIsBelowTheThreshold() public {
        uint256 poolId = _fund(3);
        _scored(alice, 0.6e18);
        vm.expectRevert(
            abi.encodeWithSelector(
                IGrantPool.BelowThreshold.selector, poolId, alice, 0.6e18, THRESHOLD
            )
        );
        grants.claim(poolId, alice);
    }

    function test_claim_RespectsALowerIsBetterPhase() public {
        challengeId = _createChallenge(false);
        vm.prank(sponsor);
        uint256 poolId = grants.fund(challengeId, 0, address(token), 0.6e18, EACH, 3, GRACE);
        _scored(alice, 0.55e18);
        _scored(bob, 0.65e18);
        grants.claim(poolId, alice);
        assertEq(token.balanceOf(alice), EACH, "lower than the threshold pays");
        vm.expectRevert(
            abi.encodeWithSelector(IGrantPool.BelowThreshold.selector, poolId, bob, 0.65e18, 0.6e18)
        );
        grants.claim(poolId, bob);
    }

    function test_RevertWhen_TheSubmissionIsRevealedButNotScored() public {
        uint256 poolId = _fund(3);
        _submit(challengeId, alice, "bafyunscored");
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NoPublicScore.selector, poolId, alice));
        grants.claim(poolId, alice);
    }

    function test_RevertWhen_TheSubmissionIsOnlyCommitted() public {
        uint256 poolId = _fund(3);
        _commit(challengeId, alice, "bafyhidden", _noParents(), _noWeights(), bytes32("s"));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NoPublicScore.selector, poolId, alice));
        grants.claim(poolId, alice);
    }

    function test_RevertWhen_TheOnlyScoreIsInvalid() public {
        uint256 poolId = _fund(3);
        uint256 id = _submit(challengeId, alice, "bafyinvalid");
        IScoreBoard.ScoreItem memory item = _item(id, 0);
        item.status = 3;
        _postScores(challengeId, 0, nextSeq++, _items1(item));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NoPublicScore.selector, poolId, alice));
        grants.claim(poolId, alice);
    }

    function test_RevertWhen_TheScoreIsInAnotherChallenge() public {
        uint256 poolId = _fund(3);
        uint256 other = _createChallenge(true);
        uint256 id = _submit(other, alice, "bafyelsewhere");
        _postScores(other, 0, 1, _items1(_item(id, 0.9e18)));
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.NoPublicScore.selector, poolId, alice));
        grants.claim(poolId, alice);
    }

    function test_RevertWhen_EveryFundedSlotIsTaken() public {
        uint256 poolId = _fund(2);
        _scored(alice, 0.75e18);
        _scored(bob, 0.75e18);
        _scored(carol, 0.9e18);
        grants.claim(poolId, alice);
        grants.claim(poolId, bob);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.PoolExhausted.selector, poolId, 2));
        grants.claim(poolId, carol);
        assertEq(token.balanceOf(address(grants)), 0, "pool emptied by its two slots");
    }

    function test_RevertWhen_ClaimingAfterThePhaseAndGrace() public {
        uint256 poolId = _fund(3);
        _scored(alice, 0.75e18);
        _scored(bob, 0.75e18);
        _scored(carol, 0.75e18);
        grants.claim(poolId, alice); // mid-phase
        uint256 closes = _closes();
        vm.warp(closes); // the last second of the grace still counts
        grants.claim(poolId, bob);
        vm.warp(closes + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IGrantPool.ClaimsClosed.selector, poolId, closes, closes + 1)
        );
        grants.claim(poolId, carol);
    }

    function test_RevertWhen_ThePoolDoesNotExist() public {
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownPool.selector, 0));
        grants.claim(0, alice);
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.UnknownPool.selector, 1));
        grants.claim(1, alice);
    }

    // ------------------------------------------------------------------ reclaim

    function test_reclaim_ReturnsWhatIsLeftAfterClaimsClose() public {
        uint256 poolId = _fund(3);
        _scored(alice, 0.75e18);
        grants.claim(poolId, alice);
        uint256 closes = _closes();
        vm.expectRevert(
            abi.encodeWithSelector(
                IGrantPool.ClaimsStillOpen.selector, poolId, closes, block.timestamp
            )
        );
        grants.reclaim(poolId);
        vm.warp(closes + 1);
        vm.expectEmit(address(grants));
        emit IGrantPool.GrantReclaimed(poolId, sponsor, 2 * EACH);
        vm.prank(carol); // anyone may trigger it; the sponsor is paid
        assertEq(grants.reclaim(poolId), 2 * EACH, "two unused slots");
        assertEq(token.balanceOf(sponsor), 1_000e18 - EACH, "sponsor got the rest back");
        vm.expectRevert(abi.encodeWithSelector(IGrantPool.AlreadyReclaimed.selector, poolId));
        grants.reclaim(poolId);
    }

    function testFuzz_paidPlusReclaimedEqualsFunded(uint8 slots, uint8 qualifying) public {
        slots = uint8(bound(slots, 1, 6));
        qualifying = uint8(bound(qualifying, 0, 8));
        uint256 poolId = _fund(slots);
        uint256 paid;
        for (uint256 i = 0; i < qualifying; ++i) {
            address who = makeAddr(string.concat("p", vm.toString(i)));
            _scored(who, 0.8e18);
            if (i < slots) {
                grants.claim(poolId, who);
                paid += EACH;
            }
        }
        vm.warp(_closes() + 1);
        uint256 back = grants.reclaim(poolId);
        assertEq(paid + back, uint256(slots) * EACH, "conserved");
        assertEq(token.balanceOf(address(grants)), 0, "nothing stuck");
    }

    // ------------------------------------------------------------------ hostile token

    function test_RevertWhen_AHostileTokenReentersClaim() public {
        ReenteringToken hostile = new ReenteringToken();
        hostile.approve(address(grants), 30e18);
        uint256 poolId = grants.fund(challengeId, 0, address(hostile), THRESHOLD, EACH, 3, GRACE);
        _scored(alice, 0.75e18);
        _scored(bob, 0.75e18);
        hostile.arm(grants, abi.encodeCall(GrantPool.claim, (poolId, bob)));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        grants.claim(poolId, alice);
        assertEq(hostile.balanceOf(address(grants)), 30e18, "nothing left the pool");
    }

    function test_RevertWhen_AHostileTokenReentersReclaim() public {
        ReenteringToken hostile = new ReenteringToken();
        hostile.approve(address(grants), 30e18);
        uint256 poolId = grants.fund(challengeId, 0, address(hostile), THRESHOLD, EACH, 3, GRACE);
        vm.warp(_closes() + 1);
        hostile.arm(grants, abi.encodeCall(GrantPool.reclaim, (poolId)));
        vm.expectRevert(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector);
        grants.reclaim(poolId);
        assertEq(hostile.balanceOf(address(grants)), 30e18, "nothing left the pool");
    }
}
