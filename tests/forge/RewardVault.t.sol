// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base} from "./Base.t.sol";
import {IRewardVault} from "../../contracts/interfaces/IRewardVault.sol";

contract RewardVaultTest is Base {
    function testFuzz_claim_PaysOnceAgainstStandardMerkleLeaf(
        address a,
        address b,
        uint256 amountA,
        uint256 wrong
    ) public {
        vm.assume(a != b && a != address(0) && b != address(0) && a.code.length == 0);
        amountA = bound(amountA, 1, BOUNTY - 1);
        uint256 amountB = BOUNTY - amountA;
        _postTwoLeafRoot(a, amountA, b, amountB);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = _leaf(b, amountB);
        vm.expectPartialRevert(IRewardVault.ClaimsNotOpen.selector);
        vault.claim(challengeId, 0, a, amountA, proof);

        vm.warp(block.timestamp + 1 hours);
        wrong = bound(wrong, 0, BOUNTY);
        vm.assume(wrong != amountA);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.InvalidProof.selector, a, wrong));
        vault.claim(challengeId, 0, a, wrong, proof);

        vault.claim(challengeId, 0, a, amountA, proof);
        assertEq(token.balanceOf(a), amountA, "claimed amount paid");
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.AlreadyClaimed.selector, challengeId, 0, a)
        );
        vault.claim(challengeId, 0, a, amountA, proof);
        assertEq(vault.escrowBalance(challengeId), amountB, "escrow keeps the unclaimed leaf");
    }

    function test_dispute_UpheldVoidsRootAndReturnsBond() public {
        address disputer = address(0xD15);
        vm.deal(disputer, 1 ether);
        _postTwoLeafRoot(address(0x1), 1, address(0x2), 2);
        vm.prank(disputer);
        vault.dispute{value: 1 ether}(challengeId, 0, "bafkreireason");
        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, true);
        assertTrue(vault.getRoot(challengeId, 0).state == IRewardVault.RootState.Voided, "voided");
        assertEq(vault.unallocated(challengeId), BOUNTY, "allocation released");
        vm.prank(disputer);
        vault.withdrawBonds();
        assertEq(disputer.balance, 1 ether, "bond returned");
    }
}
