// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IOracleQuorum} from "../../contracts/interfaces/IOracleQuorum.sol";
import {IRewardVault} from "../../contracts/interfaces/IRewardVault.sol";
import {Base} from "./Base.t.sol";
import {StandardMerkleTree} from "./utils/StandardMerkleTree.sol";

/// @notice Escrow, quorum-posted reward roots, Merkle claims, disputes and the refund.
contract RewardVaultTest is Base {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    /// @dev Written from the interface NatSpec, not read from the contract.
    bytes32 internal constant REWARD_ROOT_TYPEHASH = keccak256(
        "RewardRoot(uint256 challengeId,uint32 phase,uint32 correction,uint64 seq,bytes32 configDigest,bytes32 merkleRoot,uint256 total,bytes32 reportCidHash)"
    );

    uint256 internal challengeId;
    address[] internal accounts;
    uint256[] internal amounts;
    bytes32[] internal tree;

    function setUp() public override {
        super.setUp();
        challengeId = _createChallenge(true);
    }

    // ------------------------------------------------------------------ escrow

    function test_createChallenge_EscrowsTheBountyInTheVault() public view {
        assertEq(token.balanceOf(address(vault)), BOUNTY, "vault holds the bounty");
        assertEq(vault.escrowBalance(challengeId), BOUNTY, "escrow balance");
        assertEq(vault.unallocated(challengeId), BOUNTY, "nothing allocated");
    }

    function test_addPhase_EscrowsTheTopUp() public {
        uint64 revealEnd = registry.getPhase(challengeId, 0).revealEnd;
        IChallengeRegistry.PhaseConfig memory phase1 = _phaseConfig(300e18);
        (phase1.commitStart, phase1.commitEnd, phase1.revealEnd) =
        (revealEnd, revealEnd + 1 days, revealEnd + 2 days);
        vm.prank(owner);
        token.approve(address(vault), 300e18);
        vm.prank(owner);
        registry.addPhase(challengeId, phase1, 300e18);
        assertEq(vault.escrowBalance(challengeId), BOUNTY + 300e18, "topped up");
        assertEq(token.balanceOf(address(vault)), BOUNTY + 300e18, "tokens moved");
    }

    function testFuzz_escrow_RevertWhen_CallerIsNotTheRegistry(address caller) public {
        vm.assume(caller != address(registry));
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.OnlyRegistry.selector, caller));
        vault.escrow(challengeId, address(token), owner, 1);
    }

    // ------------------------------------------------------------------ posting roots

    function test_rewardRootDigest_MatchesAnIndependentEip712Digest() public {
        _revealHoldout(challengeId, 0);
        IRewardVault.RewardRoot memory root =
            _rewardRoot(challengeId, 0, 1, keccak256("root"), 10e18);
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("Coopetition"),
                keccak256("1"),
                block.chainid,
                address(vault)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                REWARD_ROOT_TYPEHASH,
                root.challengeId,
                root.phase,
                root.correction,
                root.seq,
                root.configDigest,
                root.merkleRoot,
                root.total,
                keccak256(bytes(REPORT_CID))
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        assertEq(vault.rewardRootDigest(root), digest, "digest view == EIP-712 digest");
        vault.postRewards(root, REPORT_CID, _quorumSign(digest));
        assertEq(uint256(vault.getRoot(challengeId, 0).seq), 1, "posted");
    }

    function test_postRewards_RecordsTheRootAndItsClaimTime() public {
        _revealHoldout(challengeId, 0);
        IRewardVault.RewardRoot memory root =
            _rewardRoot(challengeId, 0, 3, keccak256("root"), 400e18);
        bytes[] memory signatures = _quorumSign(vault.rewardRootDigest(root));
        vm.prank(makeAddr("relayer"));
        vault.postRewards(root, REPORT_CID, signatures);
        IRewardVault.RootRecord memory record = vault.getRoot(challengeId, 0);
        assertEq(record.merkleRoot, keccak256("root"), "root");
        assertEq(record.total, 400e18, "total");
        assertEq(uint256(record.seq), 3, "seq");
        assertEq(uint256(record.claimableAt), block.timestamp + DISPUTE_WINDOW, "claimable at");
        assertTrue(record.state == IRewardVault.RootState.Posted, "posted");
        assertEq(vault.unallocated(challengeId), BOUNTY - 400e18, "allocated");
        assertEq(vault.escrowBalance(challengeId), BOUNTY, "nothing paid yet");
    }

    function test_RevertWhen_HoldoutNotRevealed() public {
        uint64 deadline = registry.getPhase(challengeId, 0).revealEnd + vault.HOLDOUT_DEADLINE();
        vm.warp(deadline - 1);
        _expectPostRevert(
            _rewardRoot(challengeId, 0, 1, keccak256("root"), 1),
            abi.encodeWithSelector(
                IRewardVault.HoldoutNotRevealed.selector, challengeId, 0, deadline
            )
        );
    }

    /// @dev Issue 13, point 1: if nobody reveals the holdout, the phase is still rewarded:
    /// from HOLDOUT_DEADLINE after its reveal end the quorum's root posts without it, so the
    /// owner cannot keep the bounty by withholding the holdout until the refund.
    function test_postRewards_WithoutTheHoldoutOnceItsDeadlinePassed() public {
        uint64 deadline = registry.getPhase(challengeId, 0).revealEnd + vault.HOLDOUT_DEADLINE();
        vm.warp(deadline);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 700e18));
        assertTrue(_state() == IRewardVault.RootState.Posted, "posted without the holdout");
        assertEq(vault.unallocated(challengeId), BOUNTY - 700e18, "the refund cannot take it");
    }

    function testFuzz_postRewards_RevertWhen_SeqIsNotAboveLastSeq(uint64 first, uint64 second)
        public
    {
        first = uint64(bound(first, 1, type(uint64).max));
        second = uint64(bound(second, 0, first));
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, first, keccak256("root"), 1));
        _dispute(alice);
        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, true);
        _expectPostRevert(
            _rewardRoot(challengeId, 0, second, keccak256("root2"), 1),
            abi.encodeWithSelector(
                IRewardVault.StaleRewardSeq.selector, challengeId, 0, second, first
            )
        );
    }

    function test_RevertWhen_APhaseAlreadyHasALiveRoot() public {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        _expectPostRevert(
            _rewardRoot(challengeId, 0, 2, keccak256("root2"), 1),
            abi.encodeWithSelector(
                IRewardVault.RootAlreadyPosted.selector,
                challengeId,
                0,
                IRewardVault.RootState.Posted
            )
        );
        _dispute(alice);
        _expectPostRevert(
            _rewardRoot(challengeId, 0, 2, keccak256("root2"), 1),
            abi.encodeWithSelector(
                IRewardVault.RootAlreadyPosted.selector,
                challengeId,
                0,
                IRewardVault.RootState.Disputed
            )
        );
    }

    function testFuzz_postRewards_RevertWhen_TotalExceedsThePhaseBounty(uint256 total) public {
        total = bound(total, BOUNTY + 1, type(uint256).max);
        _revealHoldout(challengeId, 0);
        _expectPostRevert(
            _rewardRoot(challengeId, 0, 1, keccak256("root"), total),
            abi.encodeWithSelector(IRewardVault.RewardsExceedPhaseBounty.selector, total, BOUNTY)
        );
    }

    /// @dev After the refund, an earlier phase without a root can no longer get one (its
    /// share went back to the owner).
    function test_postRewards_RevertWhen_TheChallengeIsClosed() public {
        (uint256 id, uint64 revealEnd) = _twoPhaseChallenge();
        _revealHoldout(id, 1);
        _postRewards(_rewardRoot(id, 1, 1, keccak256("root"), 400e18));
        vm.warp(revealEnd + 30 days); // phase 0 had no root for REFUND_GRACE
        vm.prank(owner);
        vault.refundRemainder(id);
        assertEq(vault.unallocated(id), 0, "the refund took phase 0's share");
        vm.prank(owner);
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        _expectPostRevert(
            _rewardRoot(id, 0, 2, keccak256("root0"), 0),
            abi.encodeWithSelector(IRewardVault.ChallengeClosed.selector, id)
        );
    }

    function test_RevertWhen_ReportCidDiffersFromTheSignedHash() public {
        _revealHoldout(challengeId, 0);
        IRewardVault.RewardRoot memory root = _rewardRoot(challengeId, 0, 1, keccak256("r"), 1);
        bytes[] memory signatures = _quorumSign(vault.rewardRootDigest(root));
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ReportCidMismatch.selector,
                root.reportCidHash,
                keccak256(bytes("bafkreiother"))
            )
        );
        vault.postRewards(root, "bafkreiother", signatures);
    }

    function test_postRewards_RevertWhen_BelowQuorumOrStale() public {
        _revealHoldout(challengeId, 0);
        IRewardVault.RewardRoot memory root = _rewardRoot(challengeId, 0, 1, keccak256("r"), 1);
        bytes32 digest = vault.rewardRootDigest(root);
        bytes[] memory one = _sign(digest, _oracleKeys(1));
        vm.expectRevert(abi.encodeWithSelector(IOracleQuorum.QuorumNotReached.selector, 1, 2));
        vault.postRewards(root, REPORT_CID, one);

        root.configDigest = keccak256("another oracle set");
        bytes[] memory signatures = _quorumSign(vault.rewardRootDigest(root));
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleQuorum.StaleConfigDigest.selector,
                root.configDigest,
                _phaseDigest(challengeId, 0)
            )
        );
        vault.postRewards(root, REPORT_CID, signatures);
    }

    // ------------------------------------------------------------------ claims

    function testFuzz_claim_PaysEveryLeafExactlyOnce(uint256 seed) public {
        uint256 n = bound(seed, 1, 8);
        uint256 total = _randomLeaves(seed, n, BOUNTY / 8);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        uint64 claimableAt = vault.getRoot(challengeId, 0).claimableAt;

        bytes32[] memory proof0 = _proof(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ClaimsNotOpen.selector,
                challengeId,
                0,
                claimableAt,
                IRewardVault.RootState.Posted
            )
        );
        vault.claim(challengeId, 0, accounts[0], amounts[0], proof0);

        vm.warp(claimableAt);
        uint256 start = word(seed, 999) % n;
        for (uint256 k = 0; k < n; ++k) {
            uint256 i = (start + k) % n;
            (address account, uint256 amount) = (accounts[i], amounts[i]);
            bytes32[] memory proof = _proof(i);
            vm.expectRevert(
                abi.encodeWithSelector(IRewardVault.InvalidProof.selector, account, amount + 1)
            );
            vault.claim(challengeId, 0, account, amount + 1, proof);

            uint256 before = token.balanceOf(account);
            vm.prank(address(uint160(word(seed, 500 + k)))); // anyone may relay a claim
            vault.claim(challengeId, 0, account, amount, proof);
            assertEq(token.balanceOf(account) - before, amount, "paid the leaf amount");
            assertTrue(vault.isClaimed(challengeId, 0, account, amount, proof), "marked claimed");

            vm.expectRevert(
                abi.encodeWithSelector(
                    IRewardVault.AlreadyClaimed.selector, challengeId, 0, account
                )
            );
            vault.claim(challengeId, 0, account, amount, proof);
        }
        assertEq(vault.escrowBalance(challengeId), BOUNTY - total, "escrow balance");
        assertEq(token.balanceOf(address(vault)), BOUNTY - total, "vault balance");
    }

    function testFuzz_claim_RevertWhen_TheProofIsAnotherAccounts(uint256 seed) public {
        uint256 n = bound(seed, 2, 8);
        uint256 total = _randomLeaves(seed, n, BOUNTY / 8);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        vm.warp(block.timestamp + DISPUTE_WINDOW);
        bytes32[] memory proofOf1 = _proof(1);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.InvalidProof.selector, accounts[0], amounts[1])
        );
        vault.claim(challengeId, 0, accounts[0], amounts[1], proofOf1);
    }

    function test_claim_RevertWhen_NoRootWasPosted() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ClaimsNotOpen.selector, challengeId, 0, 0, IRewardVault.RootState.None
            )
        );
        vault.claim(challengeId, 0, alice, 1, new bytes32[](0));
    }

    /// @dev A root whose leaves add up to more than its signed total must not pay more than
    /// the total: the vault pools every challenge's escrow, so the excess would come out of
    /// other challenges.
    function test_claim_RevertWhen_LeavesAddUpToMoreThanTheRootTotal() public {
        uint256 other = _createChallenge(false); // another challenge's escrow in the same vault
        accounts.push(alice);
        amounts.push(BOUNTY + 1);
        tree = StandardMerkleTree.build(accounts, amounts);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], 1)); // signed total: 1 wei
        vm.warp(block.timestamp + DISPUTE_WINDOW);
        bytes32[] memory proof = _proof(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ClaimExceedsRootTotal.selector, challengeId, 0, 0, BOUNTY + 1, 1
            )
        );
        vault.claim(challengeId, 0, alice, BOUNTY + 1, proof);
        assertEq(vault.escrowBalance(other), BOUNTY, "the other challenge's escrow is intact");
        assertEq(token.balanceOf(address(vault)), 2 * BOUNTY, "nothing left the vault");
    }

    /// @dev The reported attack: anyone creates a 1-wei challenge with themselves as the only
    /// oracle and the arbiter, windows in the past and no dispute window, signs a root whose
    /// total is 1 wei but whose tree pays them everything the vault holds, and claims.
    function test_claim_RevertWhen_ATinyChallengeTriesToDrainTheVault() public {
        uint256 malloryKey = 0xBAD;
        address mallory = vm.addr(malloryKey);
        token.mint(mallory, 1);
        uint256 held = token.balanceOf(address(vault)); // the honest challenge's bounty
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.bounty = 1;
        config.oracles = new address[](1);
        config.oracles[0] = mallory;
        config.quorum = 1;
        config.arbiter = mallory;
        config.disputeWindow = registry.MIN_DISPUTE_WINDOW();
        IChallengeRegistry.PhaseConfig memory phase0 = _phaseConfig(1);
        (phase0.commitStart, phase0.commitEnd, phase0.revealEnd) =
        (uint64(block.timestamp) - 3, uint64(block.timestamp) + 1, uint64(block.timestamp) + 2);
        vm.startPrank(mallory);
        token.approve(address(vault), 1);
        uint256 id = registry.createChallenge(config, SPEC_CID, phase0);
        vm.warp(block.timestamp + 3); // the windows are over
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        vm.stopPrank();

        accounts.push(mallory);
        amounts.push(held + 1); // everything the vault holds, the attacker's wei included
        accounts.push(carol);
        amounts.push(0);
        tree = StandardMerkleTree.build(accounts, amounts);
        IRewardVault.RewardRoot memory root = _rewardRoot(id, 0, 1, tree[0], 1);
        uint256[] memory keys = new uint256[](1);
        keys[0] = malloryKey;
        vault.postRewards(root, REPORT_CID, _sign(vault.rewardRootDigest(root), keys));
        vm.warp(vault.getRoot(id, 0).claimableAt); // the shortest window allowed passes

        bytes32[] memory proof = _proof(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ClaimExceedsRootTotal.selector, id, 0, 0, held + 1, 1
            )
        );
        vault.claim(id, 0, mallory, held + 1, proof);
        assertEq(token.balanceOf(address(vault)), held + 1, "the vault still holds every escrow");
        assertEq(vault.escrowBalance(challengeId), BOUNTY, "the honest challenge is intact");
        assertEq(token.balanceOf(mallory), 0, "the attacker got nothing");
    }

    function test_claim_PaysLeavesUntilTheTotalIsSpent() public {
        accounts.push(alice);
        amounts.push(60e18);
        accounts.push(bob);
        amounts.push(50e18);
        tree = StandardMerkleTree.build(accounts, amounts);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], 100e18)); // leaves: 110e18
        vm.warp(block.timestamp + DISPUTE_WINDOW);
        vault.claim(challengeId, 0, alice, 60e18, _proof(0));
        assertEq(vault.getRoot(challengeId, 0).claimed, 60e18, "claimed so far");
        bytes32[] memory proof = _proof(1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ClaimExceedsRootTotal.selector, challengeId, 0, 60e18, 50e18, 100e18
            )
        );
        vault.claim(challengeId, 0, bob, 50e18, proof);
        assertFalse(
            vault.isClaimed(challengeId, 0, bob, 50e18, proof), "bob can still claim if repaired"
        );
    }

    /// Claims are marked per leaf at the leaf's path through the tree; 300 leaves have proofs
    /// of 8 and 9 hashes, so their marks fill words 0 to 3 (only word 0 exists after posting).
    function test_claim_EveryLeafOfA300LeafTreePaysOnce() public {
        uint256 n = 300;
        uint256 total = _randomLeaves(300, n, BOUNTY / n);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        vm.warp(block.timestamp + DISPUTE_WINDOW);
        for (uint256 i = 0; i < n; ++i) {
            bytes32[] memory proof = _proof(i);
            assertFalse(
                vault.isClaimed(challengeId, 0, accounts[i], amounts[i], proof), "not claimed yet"
            );
            vault.claim(challengeId, 0, accounts[i], amounts[i], proof);
            assertEq(token.balanceOf(accounts[i]), amounts[i], "paid the leaf amount");
        }
        for (uint256 i = 0; i < n; ++i) {
            bytes32[] memory proof = _proof(i);
            assertTrue(vault.isClaimed(challengeId, 0, accounts[i], amounts[i], proof), "claimed");
            vm.expectRevert(
                abi.encodeWithSelector(
                    IRewardVault.AlreadyClaimed.selector, challengeId, 0, accounts[i]
                )
            );
            vault.claim(challengeId, 0, accounts[i], amounts[i], proof);
        }
        assertEq(vault.getRoot(challengeId, 0).claimed, total, "every leaf paid, once");
        assertEq(token.balanceOf(address(vault)), BOUNTY - total, "vault balance");
    }

    /// The oracles' trees have one leaf per account; a tree that lists an account twice pays
    /// each of its leaves once, like any other leaf, within the root's total.
    function test_claim_ATreeListingAnAccountTwicePaysEachLeafOnce() public {
        accounts.push(alice);
        amounts.push(10e18);
        accounts.push(alice);
        amounts.push(20e18);
        accounts.push(bob);
        amounts.push(30e18);
        tree = StandardMerkleTree.build(accounts, amounts);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], 60e18));
        vm.warp(block.timestamp + DISPUTE_WINDOW);
        for (uint256 i = 0; i < 2; ++i) {
            bytes32[] memory proof = _proof(i);
            vault.claim(challengeId, 0, alice, amounts[i], proof);
            vm.expectRevert(
                abi.encodeWithSelector(IRewardVault.AlreadyClaimed.selector, challengeId, 0, alice)
            );
            vault.claim(challengeId, 0, alice, amounts[i], proof);
        }
        assertEq(token.balanceOf(alice), 30e18, "both of alice's leaves, once each");
    }

    function test_isClaimed_FalseWithoutARootAndRevertsOnAProofToAnotherRoot() public {
        uint256 total = _randomLeaves(11, 4, 100e18);
        bytes32[] memory proof = _proof(0);
        assertFalse(
            vault.isClaimed(challengeId, 0, accounts[0], amounts[0], proof), "no root: false"
        );
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.InvalidProof.selector, accounts[0], amounts[0] + 1)
        );
        vault.isClaimed(challengeId, 0, accounts[0], amounts[0] + 1, proof);
    }

    /// A root voided by a dispute and posted again (same hash, fresh seq) is claimable in full.
    function test_claim_ARootPostedAgainAfterItsVoidPaysEveryLeaf() public {
        uint256 total = _randomLeaves(13, 5, 100e18);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        _dispute(carol);
        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, true);
        _postRewards(_rewardRoot(challengeId, 0, 2, tree[0], total));
        assertEq(vault.getRoot(challengeId, 0).seq, 2, "the second posting");
        vm.warp(block.timestamp + DISPUTE_WINDOW);
        for (uint256 i = 0; i < 5; ++i) {
            vault.claim(challengeId, 0, accounts[i], amounts[i], _proof(i));
            assertEq(token.balanceOf(accounts[i]), amounts[i], "paid the leaf amount");
        }
        assertEq(vault.escrowBalance(challengeId), BOUNTY - total, "escrow balance");
    }

    function test_postRewards_RevertWhen_PrivateScoresAreNotRevealed() public {
        uint256 id = _submit(challengeId, alice, "bafkreialice");
        _postScores(challengeId, 0, 1, _items1(_item(id, 0.6e18)));
        _revealHoldout(challengeId, 0);
        _expectPostRevert(
            _rewardRoot(challengeId, 0, 1, keccak256("root"), 1),
            abi.encodeWithSelector(
                IRewardVault.PrivateScoresNotRevealed.selector, challengeId, 0, 1, 0
            )
        );
        int256[] memory scores = new int256[](1);
        scores[0] = 0.6e18;
        bytes32[] memory salts = new bytes32[](1);
        salts[0] = _scoreSalt(id);
        board.revealPrivateScores(challengeId, 1, _items1(_item(id, 0.6e18)), scores, salts);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        assertTrue(_state() == IRewardVault.RootState.Posted, "posted once they are out");
    }

    // ------------------------------------------------------------------ disputes

    function test_dispute_UpheldVoidsTheRootAndCreditsTheBondBack() public {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("bad root"), 500e18));
        _dispute(carol);
        assertTrue(_state() == IRewardVault.RootState.Disputed, "disputed");
        assertEq(address(vault).balance, DISPUTE_BOND, "vault holds the bond");

        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, true);
        assertTrue(_state() == IRewardVault.RootState.Voided, "voided");
        assertEq(vault.unallocated(challengeId), BOUNTY, "allocation released");
        assertEq(vault.bondCredit(carol), DISPUTE_BOND, "bond credited to the disputer");
        vm.prank(carol);
        vault.withdrawBonds();
        assertEq(carol.balance, DISPUTE_BOND, "bond withdrawn");
        assertEq(address(vault).balance, 0, "no ETH left");

        // The oracles repost a corrected root under a fresh seq.
        _postRewards(_rewardRoot(challengeId, 0, 2, keccak256("good root"), 400e18));
        assertTrue(_state() == IRewardVault.RootState.Posted, "reposted");
        assertEq(vault.unallocated(challengeId), BOUNTY - 400e18, "new allocation");
    }

    function test_dispute_RejectedForfeitsTheBondAndResumesTheWindow() public {
        uint256 total = _randomLeaves(7, 3, 100e18);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        uint64 claimableAt = vault.getRoot(challengeId, 0).claimableAt;
        _dispute(carol);
        bytes32[] memory proof = _proof(0);
        vm.warp(claimableAt);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ClaimsNotOpen.selector,
                challengeId,
                0,
                claimableAt,
                IRewardVault.RootState.Disputed
            )
        );
        vault.claim(challengeId, 0, accounts[0], amounts[0], proof);

        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, false);
        assertTrue(_state() == IRewardVault.RootState.Posted, "back to posted");
        assertEq(vault.bondCredit(owner), DISPUTE_BOND, "bond forfeited to the owner");
        assertEq(vault.bondCredit(carol), 0, "disputer gets nothing");
        // Disputed at once, so the whole window was left: it runs again from the decision.
        uint64 resumed = vault.getRoot(challengeId, 0).claimableAt;
        assertEq(uint256(resumed), block.timestamp + DISPUTE_WINDOW, "the window resumes");
        vm.warp(resumed);
        vault.claim(challengeId, 0, accounts[0], amounts[0], proof);
        assertEq(token.balanceOf(accounts[0]), amounts[0], "claims open after the window");
    }

    function testFuzz_dispute_RevertWhen_BondIsWrong(uint256 sent) public {
        sent = bound(sent, 0, 10 ether);
        vm.assume(sent != DISPUTE_BOND);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        vm.deal(carol, sent);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.WrongDisputeBond.selector, sent, DISPUTE_BOND)
        );
        vault.dispute{value: sent}(challengeId, 0, "bafkreireason");
    }

    function test_RevertWhen_DisputeAfterTheWindow() public {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        uint64 claimableAt = vault.getRoot(challengeId, 0).claimableAt;
        vm.warp(claimableAt);
        vm.deal(carol, DISPUTE_BOND);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.DisputeWindowClosed.selector, challengeId, 0, claimableAt
            )
        );
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreireason");
    }

    function test_RevertWhen_DisputingWhatIsNotAPostedRoot() public {
        vm.deal(carol, 2 * DISPUTE_BOND);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.NotDisputable.selector, challengeId, 0, IRewardVault.RootState.None
            )
        );
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreireason");
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        _dispute(bob);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.NotDisputable.selector, challengeId, 0, IRewardVault.RootState.Disputed
            )
        );
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreireason");
    }

    function testFuzz_resolveDispute_RevertWhen_CallerIsNotTheArbiter(address caller) public {
        vm.assume(caller != arbiter);
        _postAndDispute();
        vm.prank(caller);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.NotArbiter.selector, caller, arbiter));
        vault.resolveDispute(challengeId, 0, true);
    }

    function test_RevertWhen_ResolvingAnUndisputedRoot() public {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        vm.prank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.NotDisputed.selector, challengeId, 0, IRewardVault.RootState.Posted
            )
        );
        vault.resolveDispute(challengeId, 0, true);
    }

    function test_RevertWhen_WithdrawingWithoutCredit() public {
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.NothingToWithdraw.selector, carol));
        vault.withdrawBonds();
    }

    // ------------------------------------------------------------------ refund

    function test_refundRemainder_SendsTheUnallocatedRestOnceClaimsOpen() public {
        uint256 total = _randomLeaves(11, 4, 100e18);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        uint64 claimableAt = vault.getRoot(challengeId, 0).claimableAt;
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.PhaseNotSettled.selector,
                challengeId,
                0,
                IRewardVault.RootState.Posted,
                claimableAt
            )
        );
        vault.refundRemainder(challengeId);

        vm.warp(claimableAt);
        uint256 before = token.balanceOf(owner);
        vm.prank(owner);
        vault.refundRemainder(challengeId);
        assertEq(token.balanceOf(owner) - before, BOUNTY - total, "owner gets the rest");
        assertTrue(vault.isClosed(challengeId), "closed");
        assertEq(vault.escrowBalance(challengeId), total, "the leaves stay claimable");
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.AlreadyRefunded.selector, challengeId));
        vault.refundRemainder(challengeId);

        bytes32[] memory proof = _proof(2);
        vault.claim(challengeId, 0, accounts[2], amounts[2], proof);
        assertEq(token.balanceOf(accounts[2]), amounts[2], "claims still paid after the refund");

        IChallengeRegistry.PhaseConfig memory late = _phaseConfig(0);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(IChallengeRegistry.ChallengeClosed.selector, challengeId)
        );
        registry.addPhase(challengeId, late, 0);
    }

    function test_refundRemainder_RefundsEverythingAfterTheGraceWithoutARoot() public {
        uint64 refundableAt = registry.getPhase(challengeId, 0).revealEnd + 30 days;
        vm.warp(refundableAt - 1);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.PhaseNotSettled.selector,
                challengeId,
                0,
                IRewardVault.RootState.None,
                refundableAt
            )
        );
        vault.refundRemainder(challengeId);
        vm.warp(refundableAt);
        uint256 before = token.balanceOf(owner);
        vm.prank(owner);
        vault.refundRemainder(challengeId);
        assertEq(token.balanceOf(owner) - before, BOUNTY, "whole bounty back");
        assertEq(vault.escrowBalance(challengeId), 0, "empty");
    }

    /// @dev A disputed root blocks the refund until it is decided or lapses.
    function test_RevertWhen_RefundingWhileTheFinalRootIsDisputed() public {
        _postAndDispute();
        uint64 refundableAt = registry.getPhase(challengeId, 0).revealEnd + 30 days;
        vm.warp(refundableAt + 1);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.PhaseNotSettled.selector,
                challengeId,
                0,
                IRewardVault.RootState.Disputed,
                type(uint64).max
            )
        );
        vault.refundRemainder(challengeId);
        vault.lapseDispute(challengeId, 0);
        vm.warp(vault.getRoot(challengeId, 0).claimableAt);
        vm.prank(owner);
        vault.refundRemainder(challengeId);
        assertEq(vault.escrowBalance(challengeId), 1, "the root's total stays claimable");
    }

    /// @dev An earlier phase's root still inside its dispute window blocks the refund: after
    /// the close its voiding would strand the tokens.
    function test_RevertWhen_RefundingWhileAnEarlierRootCanStillBeDisputed() public {
        (uint256 id,) = _twoPhaseChallenge();
        _revealHoldout(id, 1);
        _postRewards(_rewardRoot(id, 1, 1, keccak256("root1"), 400e18));
        vm.prank(owner);
        registry.revealHoldout(id, 0, LABELS_CID, LABELS_DIGEST, SPLIT_SALT);
        vm.warp(block.timestamp + DISPUTE_WINDOW - 1);
        _postRewards(_rewardRoot(id, 0, 2, keccak256("root0"), 600e18));
        uint64 claimableAt0 = vault.getRoot(id, 0).claimableAt;
        vm.warp(block.timestamp + 1); // phase 1's claims are open, phase 0's window is not over
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.PhaseNotSettled.selector,
                id,
                0,
                IRewardVault.RootState.Posted,
                claimableAt0
            )
        );
        vault.refundRemainder(id);
        vm.warp(claimableAt0);
        vm.prank(owner);
        vault.refundRemainder(id);
        assertTrue(vault.isClosed(id), "closed once every root is settled");
    }

    // ------------------------------------------------------------------ arbiter deadline

    function test_lapseDispute_KeepsTheRootAndReturnsTheBond() public {
        uint256 total = _randomLeaves(5, 2, 100e18);
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, tree[0], total));
        _dispute(carol);
        uint64 deadline = vault.getRoot(challengeId, 0).arbiterDeadline;
        assertEq(uint256(deadline), block.timestamp + 7 days, "the arbiter has 7 days");
        vm.warp(deadline - 1);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.DisputeNotLapsed.selector, challengeId, 0, deadline)
        );
        vault.lapseDispute(challengeId, 0);

        vm.warp(deadline);
        vm.prank(arbiter);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.ArbiterDeadlinePassed.selector, challengeId, 0, deadline
            )
        );
        vault.resolveDispute(challengeId, 0, true);

        vm.prank(makeAddr("anyone"));
        vault.lapseDispute(challengeId, 0);
        assertTrue(_state() == IRewardVault.RootState.Posted, "the root stands");
        assertEq(vault.bondCredit(carol), DISPUTE_BOND, "the bond goes back to the disputer");
        vm.warp(vault.getRoot(challengeId, 0).claimableAt);
        vault.claim(challengeId, 0, accounts[1], amounts[1], _proof(1));
        assertEq(token.balanceOf(accounts[1]), amounts[1], "claims open");
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.NotDisputed.selector, challengeId, 0, IRewardVault.RootState.Posted
            )
        );
        vault.lapseDispute(challengeId, 0);
    }

    /// @dev Each account disputes a root once: a rejected dispute cannot be repeated to hold
    /// the claims back.
    function test_dispute_RevertWhen_TheSameAccountDisputesTheRootAgain() public {
        _postAndDispute();
        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, false);
        vm.deal(carol, DISPUTE_BOND);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.AlreadyDisputed.selector, challengeId, 0, carol)
        );
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreireason");
    }

    /// @dev Issue 13, point 4: a dispute without a reason is refused.
    function test_dispute_RevertWhen_TheReasonIsEmpty() public {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        vm.deal(carol, DISPUTE_BOND);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.EmptyDisputeReason.selector, challengeId, 0)
        );
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "");
    }

    /// @dev Issue 13, point 4: a beneficiary squats the root's dispute and lets it lapse past
    /// the original window; the window was stopped, so an honest disputer still has what was
    /// left of it, and the squatter cannot take the slot again.
    function test_dispute_ASquattedDisputeDoesNotLockOthersOut() public {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        uint64 claimableAt = vault.getRoot(challengeId, 0).claimableAt;
        vm.warp(claimableAt - 1 hours);
        _dispute(carol); // the squatter, an hour before the window closes
        uint64 deadline = vault.getRoot(challengeId, 0).arbiterDeadline;
        vm.warp(deadline);
        vault.lapseDispute(challengeId, 0);
        assertLe(claimableAt, block.timestamp, "the original window is over");
        assertEq(
            uint256(vault.getRoot(challengeId, 0).claimableAt),
            block.timestamp + 1 hours,
            "the hour that was left runs again"
        );
        vm.deal(carol, DISPUTE_BOND);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(IRewardVault.AlreadyDisputed.selector, challengeId, 0, carol)
        );
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreireason");
        _dispute(bob); // the honest disputer
        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, true);
        assertTrue(_state() == IRewardVault.RootState.Voided, "the honest dispute voids it");
    }

    // ------------------------------------------------------------------ issue 13: judges

    /// @dev Issue 13, point 2: the owner names itself arbiter after commits opened; the open
    /// phase keeps its arbiter, so the owner cannot void its root.
    function test_resolveDispute_RevertWhen_TheOwnerMadeItselfArbiterOfAnOpenPhase() public {
        vm.prank(owner);
        registry.setOracles(challengeId, _oracleList(), QUORUM, owner);
        _postAndDispute();
        vm.prank(owner);
        vm.expectRevert(abi.encodeWithSelector(IRewardVault.NotArbiter.selector, owner, arbiter));
        vault.resolveDispute(challengeId, 0, true);
    }

    /// @dev Issue 13, point 2: the owner rotates the oracle set to itself; its own root for
    /// the open phase is refused, and the phase's oracles' signatures still count.
    function test_postRewards_RevertWhen_SignedByASetTheOwnerRotatedIn() public {
        bytes32 phaseDigest = _phaseDigest(challengeId, 0);
        uint256 ownerKey = 0x0BAD;
        address[] memory only = new address[](1);
        only[0] = vm.addr(ownerKey);
        vm.prank(owner);
        registry.setOracles(challengeId, only, 1, owner);
        _revealHoldout(challengeId, 0);
        IRewardVault.RewardRoot memory root =
            _rewardRoot(challengeId, 0, 1, keccak256("owner root"), BOUNTY);
        root.configDigest = registry.getChallenge(challengeId).configDigest; // version 2
        (uint8 v, bytes32 r, bytes32 sig) = vm.sign(ownerKey, vault.rewardRootDigest(root));
        bytes[] memory signatures = new bytes[](1);
        signatures[0] = abi.encodePacked(r, sig, v);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleQuorum.StaleConfigDigest.selector, root.configDigest, phaseDigest
            )
        );
        vault.postRewards(root, REPORT_CID, signatures);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        assertTrue(_state() == IRewardVault.RootState.Posted, "the phase's oracles still post");
    }

    // ------------------------------------------------------------------ issue 13: refunds

    /// @dev Issue 13, point 3: a voided root not yet reposted blocks the refund (for
    /// REFUND_GRACE), so the owner cannot race the oracles' correction.
    function test_refundRemainder_RevertWhen_AVoidedRootIsNotRepostedYet() public {
        _voidFirstRoot(500e18);
        uint64 settledAt = uint64(block.timestamp) + 30 days;
        vm.warp(registry.getPhase(challengeId, 0).revealEnd + 30 days);
        vm.prank(owner);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.PhaseNotSettled.selector,
                challengeId,
                0,
                IRewardVault.RootState.Voided,
                settledAt
            )
        );
        vault.refundRemainder(challengeId);
        _postRewards(_rewardRoot(challengeId, 0, 2, keccak256("good root"), 400e18));
        vm.warp(vault.getRoot(challengeId, 0).claimableAt);
        vm.prank(owner);
        vault.refundRemainder(challengeId);
        assertEq(vault.escrowBalance(challengeId), 400e18, "the corrected root stays paid");
    }

    /// @dev Issue 13, point 3: a third party's refund cannot close the challenge and so block
    /// the owner's next phase.
    function testFuzz_refundRemainder_RevertWhen_NotTheOwner(address caller) public {
        vm.assume(caller != owner);
        vm.warp(registry.getPhase(challengeId, 0).revealEnd + 30 days);
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(
                IRewardVault.NotChallengeOwner.selector, challengeId, caller, owner
            )
        );
        vault.refundRemainder(challengeId);
        assertFalse(vault.isClosed(challengeId), "still open for a next phase");
    }

    // ------------------------------------------------------------------ issue 13: order

    /// @dev Issue 13, point 5: a later phase's root relayed first does not make an earlier
    /// phase's signed root unpostable.
    function test_postRewards_AnEarlierPhasesRootPostsAfterALaterOnes() public {
        (uint256 id,) = _twoPhaseChallenge();
        _revealHoldout(id, 1);
        _revealHoldout(id, 0);
        IRewardVault.RewardRoot memory early = _rewardRoot(id, 0, 1, keccak256("root0"), 600e18);
        bytes[] memory earlySignatures = _quorumSign(vault.rewardRootDigest(early));
        _postRewards(_rewardRoot(id, 1, 2, keccak256("root1"), 400e18));
        vault.postRewards(early, REPORT_CID, earlySignatures);
        assertEq(vault.getRoot(id, 0).merkleRoot, keccak256("root0"), "phase 0's root landed");
        assertEq(vault.getRoot(id, 1).merkleRoot, keccak256("root1"), "phase 1's root landed");
    }

    // ------------------------------------------------------------------ helpers

    /// @dev n leaves for distinct fresh accounts, amounts up to `max`; builds `tree`.
    function _randomLeaves(uint256 seed, uint256 n, uint256 max) internal returns (uint256 total) {
        for (uint256 i = 0; i < n; ++i) {
            accounts.push(address(uint160(uint256(keccak256(abi.encode("leaf", seed, i))))));
            amounts.push(bound(word(seed, i), 0, max));
            total += amounts[i];
        }
        tree = StandardMerkleTree.build(accounts, amounts);
    }

    function _proof(uint256 i) internal view returns (bytes32[] memory) {
        return StandardMerkleTree.proof(tree, StandardMerkleTree.leaf(accounts[i], amounts[i]));
    }

    /// @dev A new challenge whose phase 0 holds 600 tokens and phase 1, opening at phase 0's
    /// reveal end, 400; returns its id and phase 0's reveal end.
    function _twoPhaseChallenge() internal returns (uint256 id, uint64 revealEnd) {
        id = _createChallenge(_config(), _phaseConfig(600e18));
        revealEnd = registry.getPhase(id, 0).revealEnd;
        IChallengeRegistry.PhaseConfig memory phase1 = _phaseConfig(400e18);
        (phase1.commitStart, phase1.commitEnd, phase1.revealEnd) =
        (revealEnd, revealEnd + 1 days, revealEnd + 2 days);
        vm.prank(owner);
        registry.addPhase(id, phase1, 0);
    }

    /// @dev Phase 0's holdout revealed, a 1-wei root (seq 1) posted and disputed by carol.
    function _postAndDispute() internal {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("root"), 1));
        _dispute(carol);
    }

    /// @dev Phase 0's holdout revealed, a root (seq 1) posted, disputed by carol and voided.
    function _voidFirstRoot(uint256 total) internal {
        _revealHoldout(challengeId, 0);
        _postRewards(_rewardRoot(challengeId, 0, 1, keccak256("bad root"), total));
        _dispute(carol);
        vm.prank(arbiter);
        vault.resolveDispute(challengeId, 0, true);
    }

    function _dispute(address disputer) internal {
        vm.deal(disputer, disputer.balance + DISPUTE_BOND);
        vm.prank(disputer);
        vault.dispute{value: DISPUTE_BOND}(challengeId, 0, "bafkreireason");
    }

    function _state() internal view returns (IRewardVault.RootState) {
        return vault.getRoot(challengeId, 0).state;
    }

    function _expectPostRevert(IRewardVault.RewardRoot memory root, bytes memory revertData)
        internal
    {
        bytes[] memory signatures = _quorumSign(vault.rewardRootDigest(root));
        vm.expectRevert(revertData);
        vault.postRewards(root, REPORT_CID, signatures);
    }
}
