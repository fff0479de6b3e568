// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SubmissionBook} from "../../contracts/SubmissionBook.sol";
import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {ISubmissionBook} from "../../contracts/interfaces/ISubmissionBook.sol";
import {Base} from "./Base.t.sol";

/// @notice Commit–reveal: what a commit records, when and by whom a reveal is accepted,
/// the commit bond, and reviews.
contract SubmissionBookTest is Base {
    string internal constant CID = "bafkreiartifactartifactartifactartifactartifactartifact";
    uint256 internal challengeId;

    function setUp() public override {
        super.setUp();
        challengeId = _createChallenge(true);
    }

    function test_commit_RecordsThePlaceAndAFingerprintOfCommitmentAndCommitter() public {
        bytes32 commitment = _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        uint256 id = _commitRaw(challengeId, alice, commitment);
        ISubmissionBook.Submission memory s = book.getSubmission(id);
        assertEq(id, 1, "ids start at 1");
        assertEq(book.submissionCount(), 1, "count");
        assertEq(s.submitter, address(0), "no address is stored while pending");
        assertEq(uint256(s.challengeId), challengeId, "challenge");
        assertEq(uint256(s.phase), 0, "phase");
        assertEq(s.forkMark, 0, "no mark while pending");
        assertFalse(s.revealed, "not revealed yet");
        assertEq(s.fingerprint, _fingerprintOf(commitment, alice), "fingerprint until reveal");
        assertEq(uint256(s.fingerprint) & ((1 << 49) - 1), 0, "207 bits: the low 49 are clear");
        (address submitter, uint32 c, uint32 phase, bool revealed) = book.summaryOf(id);
        assertEq(submitter, address(0), "summary: no submitter while pending");
        assertEq(uint256(c), challengeId, "summary: challenge");
        assertEq(uint256(phase), 0, "summary: phase");
        assertFalse(revealed, "summary: pending");
    }

    function testFuzz_computeCommitment_MatchesDocumentedEncoding(
        address submitter,
        string calldata cid,
        bytes32 salt,
        uint32 weight
    ) public view {
        uint256[] memory parents = new uint256[](1);
        parents[0] = 7;
        uint32[] memory weights = new uint32[](1);
        weights[0] = weight;
        assertEq(
            book.computeCommitment(challengeId, submitter, cid, parents, weights, salt),
            _commitmentOf(challengeId, submitter, cid, parents, weights, salt),
            "the view computes the documented commitment"
        );
    }

    function test_reveal_MarksRevealedWithTheNextIdAsMark() public {
        uint256 id = _submit(challengeId, alice, CID);
        ISubmissionBook.Submission memory s = book.getSubmission(id);
        assertTrue(s.revealed, "revealed");
        assertEq(s.submitter, alice, "the reveal stores the submitter");
        assertEq(uint256(s.challengeId), challengeId, "challenge kept");
        assertEq(s.forkMark, id + 1, "mark = the id the next commit gets");
        assertEq(s.fingerprint, bytes32(0), "the fingerprint is gone");
        (address submitter,,, bool revealed) = book.summaryOf(id);
        assertEq(submitter, alice, "summary: submitter");
        assertTrue(revealed, "summary: revealed");
    }

    function test_RevertWhen_RevealInTheCommitBlock() public {
        uint256 id = _commit(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.RevealTooEarly.selector, id, block.number)
        );
        book.reveal(id, CID, _noParents(), _noWeights(), 0);
    }

    /// @dev The book keeps one block in its clock: the latest with a commit, and the count
    /// before that block's first commit. An older commit reveals in a block with new commits;
    /// every commit of the current block waits, the first of them included.
    function test_reveal_InABlockWithOtherCommitsOnlyOlderOnesReveal() public {
        uint256 old = _commit(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        vm.roll(block.number + 1);
        uint256 first = _commit(challengeId, bob, CID, _noParents(), _noWeights(), 0);
        uint256 second = _commit(challengeId, carol, CID, _noParents(), _noWeights(), 0);
        vm.prank(alice);
        book.reveal(old, CID, _noParents(), _noWeights(), 0);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.RevealTooEarly.selector, first, block.number)
        );
        book.reveal(first, CID, _noParents(), _noWeights(), 0);
        vm.prank(carol);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.RevealTooEarly.selector, second, block.number)
        );
        book.reveal(second, CID, _noParents(), _noWeights(), 0);
        _reveal(first, bob, CID, _noParents(), _noWeights(), 0);
        vm.prank(carol);
        book.reveal(second, CID, _noParents(), _noWeights(), 0);
        assertTrue(book.getSubmission(second).revealed, "both revealed a block later");
    }

    /// @dev Random commits over random blocks, against a model that remembers every commit's
    /// block: a reveal is refused exactly when it comes in its commit's block.
    function testFuzz_reveal_TooEarlyExactlyInTheCommitBlock(uint256 seed) public {
        uint256[] memory committedAt = new uint256[](41);
        uint256 count = 0;
        for (uint256 step = 0; step < 40; ++step) {
            uint256 r = word(seed, step);
            if (r % 3 == 0) vm.roll(block.number + 1 + (r >> 8) % 2);
            if ((r >> 16) % 2 == 0 || count == 0) {
                uint256 id = _commit(challengeId, alice, CID, _noParents(), _noWeights(), 0);
                committedAt[id] = block.number;
                count = id;
                continue;
            }
            uint256 target = 1 + (r >> 24) % count;
            if (book.getSubmission(target).revealed) continue;
            vm.prank(alice);
            if (committedAt[target] == block.number) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ISubmissionBook.RevealTooEarly.selector, target, block.number
                    )
                );
            }
            book.reveal(target, CID, _noParents(), _noWeights(), 0);
        }
    }

    function test_RevertWhen_SubmissionIdsRunOut() public {
        // As if 2**47 - 1 submissions existed: the clock word's count is its low 64 bits.
        vm.store(address(book), bytes32(0), bytes32(book.MAX_SUBMISSION_ID()));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.SubmissionIdOverflow.selector, 1 << 47)
        );
        book.commit(challengeId, bytes32(uint256(1)));
    }

    function test_RevertWhen_RevealAfterRevealEnd() public {
        uint256 id = _commit(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        uint64 revealEnd = registry.getPhase(challengeId, 0).revealEnd;
        vm.warp(revealEnd + 1);
        vm.roll(block.number + 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.RevealWindowClosed.selector, id, revealEnd, revealEnd + 1
            )
        );
        book.reveal(id, CID, _noParents(), _noWeights(), 0);
    }

    function test_RevertWhen_RevealedTwice() public {
        uint256 id = _submit(challengeId, alice, CID);
        bytes32 salt = keccak256(abi.encode(alice, CID));
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.AlreadyRevealed.selector, id));
        book.reveal(id, CID, _noParents(), _noWeights(), salt);
    }

    function test_RevertWhen_CommitAfterCommitEnd() public {
        vm.warp(registry.getPhase(challengeId, 0).commitEnd);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                IChallengeRegistry.NoOpenPhase.selector, challengeId, block.timestamp
            )
        );
        book.commit(challengeId, bytes32(uint256(1)));
    }

    function test_RevertWhen_RevealUnknownSubmission() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.UnknownSubmission.selector, 42));
        book.reveal(42, CID, _noParents(), _noWeights(), 0);
    }

    // ------------------------------------------------------------------ commit bond

    function test_reveal_RefundsTheCommitBond() public {
        uint256 bonded = _bondedChallenge(0.5 ether);
        uint256 id = _commit(bonded, alice, CID, _noParents(), _noWeights(), 0);
        assertEq(alice.balance, 0, "bond paid");
        assertEq(address(book).balance, 0.5 ether, "book holds the bond");
        assertEq(book.bondOf(id), 0.5 ether, "bondOf");
        _reveal(id, alice, CID, _noParents(), _noWeights(), 0);
        assertEq(alice.balance, 0.5 ether, "bond refunded on reveal");
        assertEq(book.bondOf(id), 0, "no bond left");
    }

    function testFuzz_commit_RevertWhen_BondIsWrong(uint256 sent) public {
        uint256 bonded = _bondedChallenge(0.5 ether);
        sent = bound(sent, 0, 10 ether);
        vm.assume(sent != 0.5 ether);
        vm.deal(alice, sent);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(ISubmissionBook.WrongCommitBond.selector, sent, 0.5 ether)
        );
        book.commit{value: sent}(bonded, bytes32(uint256(1)));
    }

    function test_forfeitBond_SendsAnUnrevealedBondToTheOwner() public {
        uint256 bonded = _bondedChallenge(0.5 ether);
        uint256 id = _commit(bonded, alice, CID, _noParents(), _noWeights(), 0);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.BondNotForfeitable.selector, id));
        book.forfeitBond(id);
        vm.warp(registry.getPhase(bonded, 0).revealEnd + 1);
        book.forfeitBond(id);
        assertEq(owner.balance, 0.5 ether, "owner receives the bond");
        assertEq(book.bondOf(id), 0, "bond gone");
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.BondNotForfeitable.selector, id));
        book.forfeitBond(id);
    }

    function test_RevertWhen_ForfeitingARevealedBond() public {
        uint256 bonded = _bondedChallenge(0.5 ether);
        uint256 id = _commit(bonded, alice, CID, _noParents(), _noWeights(), 0);
        _reveal(id, alice, CID, _noParents(), _noWeights(), 0);
        vm.warp(registry.getPhase(bonded, 0).revealEnd + 1);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.BondNotForfeitable.selector, id));
        book.forfeitBond(id);
    }

    // ------------------------------------------------------------------ reviews

    function test_review_RecordsOneReviewPerReviewer() public {
        uint256 id = _submit(challengeId, alice, CID);
        vm.prank(bob);
        book.review(id, 1, "bafkreireview");
        assertTrue(book.hasReviewed(id, bob), "recorded");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.AlreadyReviewed.selector, id, bob));
        book.review(id, 2, "bafkreireview2");
        vm.prank(carol);
        book.review(id, 3, "bafkreireview3");
    }

    function test_RevertWhen_SelfReview() public {
        uint256 id = _submit(challengeId, alice, CID);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.SelfReview.selector, id, alice));
        book.review(id, 1, "bafkreireview");
    }

    function testFuzz_review_RevertWhen_VerdictOutOfRange(uint8 verdict) public {
        vm.assume(verdict == 0 || verdict > 3);
        uint256 id = _submit(challengeId, alice, CID);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.InvalidVerdict.selector, verdict));
        book.review(id, verdict, "bafkreireview");
    }

    function test_RevertWhen_ReviewingAnUnrevealedSubmission() public {
        uint256 id = _commit(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(ISubmissionBook.NotRevealed.selector, id));
        book.review(id, 1, "bafkreireview");
    }

    function test_RevertWhen_ReviewAfterRevealEnd() public {
        uint256 id = _submit(challengeId, alice, CID);
        uint64 revealEnd = registry.getPhase(challengeId, 0).revealEnd;
        vm.warp(revealEnd + 1);
        vm.prank(bob);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.ReviewWindowClosed.selector, id, revealEnd, revealEnd + 1
            )
        );
        book.review(id, 1, "bafkreireview");
    }

    function _bondedChallenge(uint256 bond) internal returns (uint256) {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.commitBond = bond;
        return _createChallenge(config, _phaseConfig(BOUNTY));
    }
}

/// @notice The commitment binds chain, book, challenge, submitter, CID, parents, weights and
/// salt: a reveal that changes any of them fails with the documented error.
contract CommitmentBindingTest is Base {
    string internal constant CID = "bafkreiartifactartifactartifactartifactartifactartifact";
    uint256 internal challengeId;
    uint256[3] internal parentIds;

    function setUp() public override {
        super.setUp();
        challengeId = _createChallenge(true);
        for (uint256 i = 0; i < 3; ++i) {
            parentIds[i] =
                _submit(challengeId, carol, string.concat("bafkreiparent", vm.toString(i)));
        }
    }

    /// @dev The reveal recomputes the commitment with its own sender, and the fingerprint
    /// with it: anyone but the committer gets a mismatch, with the committer's values.
    function testFuzz_reveal_RevertWhen_SenderIsNotTheCommitter(address sender, bytes32 salt)
        public
    {
        vm.assume(sender != alice);
        bytes32 commitment =
            _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), salt);
        uint256 id = _commitRaw(challengeId, alice, commitment);
        vm.roll(block.number + 1);
        bytes32 theirs = _commitmentOf(challengeId, sender, CID, _noParents(), _noWeights(), salt);
        vm.prank(sender);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.CommitmentMismatch.selector,
                id,
                _fingerprintOf(commitment, alice),
                _fingerprintOf(theirs, sender)
            )
        );
        book.reveal(id, CID, _noParents(), _noWeights(), salt);
        _revealSucceeds(id, CID, _noParents(), _noWeights(), salt);
    }

    function testFuzz_reveal_RevertWhen_SaltDiffers(bytes32 salt, bytes32 otherSalt) public {
        vm.assume(salt != otherSalt);
        uint256 id = _commit(challengeId, alice, CID, _noParents(), _noWeights(), salt);
        _expectMismatch(id, CID, _noParents(), _noWeights(), otherSalt);
        _revealSucceeds(id, CID, _noParents(), _noWeights(), salt);
    }

    function testFuzz_reveal_RevertWhen_CidDiffers(string calldata cid, string calldata otherCid)
        public
    {
        vm.assume(keccak256(bytes(cid)) != keccak256(bytes(otherCid)));
        uint256 id = _commit(challengeId, alice, cid, _noParents(), _noWeights(), bytes32("s"));
        _expectMismatch(id, otherCid, _noParents(), _noWeights(), bytes32("s"));
        _revealSucceeds(id, cid, _noParents(), _noWeights(), bytes32("s"));
    }

    /// @dev Committed with parents (p0, p1) split (w, 1e6 - w); revealed with another fork set.
    function testFuzz_reveal_RevertWhen_ParentsOrWeightsDiffer(uint256 seed) public {
        uint32 w = uint32(bound(word(seed, 0), 1, 999_999));
        uint256[] memory parents = _ids(parentIds[0], parentIds[1]);
        uint32[] memory weights = _weights(w, 1_000_000 - w);
        uint256 id = _commit(challengeId, alice, CID, parents, weights, bytes32("s"));

        uint256 variant = seed % 4;
        uint256[] memory otherParents = parents;
        uint32[] memory otherWeights = weights;
        if (variant == 0) {
            uint32 v = uint32(bound(word(seed, 1), 1, 999_998));
            if (v >= w) ++v; // any other split
            otherWeights = _weights(v, 1_000_000 - v);
        } else if (variant == 1) {
            otherParents = _ids(parentIds[0], parentIds[2]);
        } else if (variant == 2) {
            otherParents = new uint256[](1);
            otherParents[0] = parentIds[0];
            otherWeights = new uint32[](1);
            otherWeights[0] = 1_000_000;
        } else {
            otherParents = _noParents();
            otherWeights = _noWeights();
        }
        _expectMismatch(id, CID, otherParents, otherWeights, bytes32("s"));
        _revealSucceeds(id, CID, parents, weights, bytes32("s"));
    }

    /// @dev Front-running a commitment gains nothing: the copy can never be revealed, not by
    /// the copier (the commitment binds alice) and not by alice either (the fingerprint binds
    /// the copier as committer).
    function testFuzz_reveal_RevertWhen_ACopiedCommitmentIsRevealed(address copier, bytes32 salt)
        public
    {
        vm.assume(copier != alice && copier != address(0) && copier.code.length == 0);
        bytes32 commitment =
            _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), salt);
        uint256 copy = _commitRaw(challengeId, copier, commitment);
        uint256 original = _commitRaw(challengeId, alice, commitment);
        assertTrue(copy < original, "the copier even has priority");
        vm.roll(block.number + 1);
        bytes32 stored = _fingerprintOf(commitment, copier);
        assertEq(book.getSubmission(copy).fingerprint, stored, "the copy's fingerprint");
        bytes32 computed = _commitmentOf(challengeId, copier, CID, _noParents(), _noWeights(), salt);
        vm.prank(copier);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.CommitmentMismatch.selector,
                copy,
                stored,
                _fingerprintOf(computed, copier)
            )
        );
        book.reveal(copy, CID, _noParents(), _noWeights(), salt);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.CommitmentMismatch.selector,
                copy,
                stored,
                _fingerprintOf(commitment, alice)
            )
        );
        book.reveal(copy, CID, _noParents(), _noWeights(), salt);
        _revealSucceeds(original, CID, _noParents(), _noWeights(), salt);
    }

    function test_reveal_RevertWhen_CommittedForAnotherChallenge() public {
        uint256 other = _createChallenge(false);
        bytes32 commitment = _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        uint256 id = _commitRaw(other, alice, commitment);
        vm.roll(block.number + 1);
        bytes32 computed = _commitmentOf(other, alice, CID, _noParents(), _noWeights(), 0);
        _expectMismatchOf(id, commitment, computed);
        book.reveal(id, CID, _noParents(), _noWeights(), 0);
    }

    function test_reveal_RevertWhen_CommittedOnAnotherChain() public {
        bytes32 commitment = _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        uint256 id = _commitRaw(challengeId, alice, commitment);
        vm.chainId(block.chainid + 1);
        vm.roll(block.number + 1);
        bytes32 computed = _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        _expectMismatchOf(id, commitment, computed);
        book.reveal(id, CID, _noParents(), _noWeights(), 0);
    }

    function test_reveal_RevertWhen_CommittedForAnotherBook() public {
        SubmissionBook otherBook = new SubmissionBook(registry);
        bytes32 commitment = _commitmentOf(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        vm.prank(alice);
        uint256 id = otherBook.commit(challengeId, commitment);
        vm.roll(block.number + 1);
        bytes32 computed =
            otherBook.computeCommitment(challengeId, alice, CID, _noParents(), _noWeights(), 0);
        assertTrue(computed != commitment, "the book address is bound");
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.CommitmentMismatch.selector,
                id,
                _fingerprintOf(commitment, alice),
                _fingerprintOf(computed, alice)
            )
        );
        otherBook.reveal(id, CID, _noParents(), _noWeights(), 0);
    }

    function _expectMismatch(
        uint256 id,
        string memory cid,
        uint256[] memory parents,
        uint32[] memory weights,
        bytes32 salt
    ) internal {
        bytes32 expected = book.getSubmission(id).fingerprint;
        bytes32 computed = _commitmentOf(challengeId, alice, cid, parents, weights, salt);
        vm.roll(block.number + 1);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.CommitmentMismatch.selector,
                id,
                expected,
                _fingerprintOf(computed, alice)
            )
        );
        book.reveal(id, cid, parents, weights, salt);
    }

    /// @dev Alice's reveal of `id` must fail: what she committed and what she reveals differ.
    function _expectMismatchOf(uint256 id, bytes32 committed, bytes32 computed) internal {
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.CommitmentMismatch.selector,
                id,
                _fingerprintOf(committed, alice),
                _fingerprintOf(computed, alice)
            )
        );
    }

    /// @dev The honest reveal still works: the failure above was the binding, nothing else.
    function _revealSucceeds(
        uint256 id,
        string memory cid,
        uint256[] memory parents,
        uint32[] memory weights,
        bytes32 salt
    ) internal {
        _reveal(id, alice, cid, parents, weights, salt);
        assertTrue(book.getSubmission(id).revealed, "the committer's own reveal succeeds");
    }

    function _ids(uint256 a, uint256 b) internal pure returns (uint256[] memory ids) {
        ids = new uint256[](2);
        (ids[0], ids[1]) = (a, b);
    }

    function _weights(uint32 a, uint32 b) internal pure returns (uint32[] memory weights) {
        weights = new uint32[](2);
        (weights[0], weights[1]) = (a, b);
    }
}

/// @notice Fork edges: up to 8 parents, strictly ascending, each revealed before the child
/// was committed, weights in ppm summing to 1,000,000.
contract ForkValidationTest is Base {
    uint256 internal challengeId;
    uint256[] internal parentPool;

    function setUp() public override {
        super.setUp();
        challengeId = _createChallenge(true);
        for (uint256 i = 0; i < 8; ++i) {
            parentPool.push(_submit(challengeId, carol, string.concat("bafkreip", vm.toString(i))));
        }
    }

    function testFuzz_reveal_AcceptsAnySplitSummingToAMillion(uint256 seed) public {
        uint256 n = bound(word(seed, 0), 1, 8);
        uint256[] memory parents = _firstParents(n);
        uint32[] memory weights = _splitMillion(seed, n);
        uint256 id = _commit(challengeId, alice, "bafkreichild", parents, weights, 0);
        _reveal(id, alice, "bafkreichild", parents, weights, 0);
        assertTrue(book.getSubmission(id).revealed, "revealed");
    }

    function testFuzz_reveal_RevertWhen_WeightsDoNotSumToAMillion(uint256 seed) public {
        uint256 n = bound(word(seed, 0), 1, 8);
        uint256[] memory parents = _firstParents(n);
        uint32[] memory weights = new uint32[](n);
        uint256 sum = 0;
        for (uint256 i = 0; i < n; ++i) {
            weights[i] = uint32(bound(word(seed, i + 1), 1, 1_000_000));
            sum += weights[i];
        }
        if (sum == 1_000_000) {
            weights[0] += 1;
            sum += 1;
        }
        _expectRevealRevert(
            parents,
            weights,
            abi.encodeWithSelector(ISubmissionBook.WeightsDoNotSumToMillion.selector, sum)
        );
    }

    function testFuzz_reveal_RevertWhen_MoreThanEightParents(uint256 n) public {
        n = bound(n, 9, 32);
        uint256[] memory parents = new uint256[](n);
        uint32[] memory weights = new uint32[](n);
        for (uint256 i = 0; i < n; ++i) {
            parents[i] = i + 1;
            weights[i] = 1;
        }
        _expectRevealRevert(
            parents, weights, abi.encodeWithSelector(ISubmissionBook.TooManyParents.selector, n, 8)
        );
    }

    function testFuzz_reveal_RevertWhen_WeightsLengthDiffers(uint256 n, uint256 m) public {
        n = bound(n, 0, 8);
        m = bound(m, 0, 8);
        vm.assume(n != m);
        uint32[] memory weights = new uint32[](m);
        _expectRevealRevert(
            _firstParents(n),
            weights,
            abi.encodeWithSelector(ISubmissionBook.WeightsLengthMismatch.selector, n, m)
        );
    }

    function testFuzz_reveal_RevertWhen_AWeightIsZero(uint256 seed) public {
        uint256 n = bound(word(seed, 0), 1, 8);
        uint256 zero = bound(word(seed, 1), 0, n - 1);
        uint32[] memory weights = _splitMillion(seed, n);
        weights[zero] = 0;
        _expectRevealRevert(
            _firstParents(n),
            weights,
            abi.encodeWithSelector(ISubmissionBook.ZeroWeight.selector, zero)
        );
    }

    function testFuzz_reveal_RevertWhen_ParentsNotStrictlyAscending(uint256 seed) public {
        uint256 n = bound(word(seed, 0), 2, 8);
        uint256[] memory parents = _firstParents(n);
        uint256 k = bound(word(seed, 1), 1, n - 1);
        if (seed % 2 == 0) {
            parents[k] = parents[k - 1]; // a duplicate
        } else {
            (parents[k - 1], parents[k]) = (parents[k], parents[k - 1]); // a swap
        }
        _expectRevealRevert(
            parents,
            _splitMillion(seed, n),
            abi.encodeWithSelector(
                ISubmissionBook.ParentsNotAscending.selector, k, parents[k - 1], parents[k]
            )
        );
    }

    function test_reveal_RevertWhen_ParentIdIsZero() public {
        uint256[] memory parents = new uint256[](1);
        _expectRevealRevert(
            parents,
            _splitMillion(0, 1),
            abi.encodeWithSelector(ISubmissionBook.ParentsNotAscending.selector, 0, 0, 0)
        );
    }

    function test_reveal_RevertWhen_ParentUnknown() public {
        uint256[] memory parents = new uint256[](1);
        parents[0] = 1_000;
        _expectRevealRevert(
            parents,
            _splitMillion(0, 1),
            abi.encodeWithSelector(ISubmissionBook.UnknownSubmission.selector, 1_000)
        );
    }

    function test_reveal_RevertWhen_ParentNeverRevealed() public {
        uint256 hidden = _commit(challengeId, bob, "bafkreihidden", _noParents(), _noWeights(), 0);
        uint256[] memory parents = new uint256[](1);
        parents[0] = hidden;
        uint256 child = book.submissionCount() + 1;
        _expectRevealRevert(
            parents,
            _splitMillion(0, 1),
            abi.encodeWithSelector(
                ISubmissionBook.ParentNotRevealedBeforeCommit.selector, hidden, child
            )
        );
    }

    /// @dev A parent must be revealed before the child is committed, not just before its reveal.
    function test_reveal_RevertWhen_ParentRevealedAfterTheChildsCommit() public {
        uint256 parent = _commit(challengeId, bob, "bafkreilate", _noParents(), _noWeights(), 0);
        uint256[] memory parents = new uint256[](1);
        parents[0] = parent;
        uint32[] memory weights = _splitMillion(0, 1);
        uint256 child = _commit(challengeId, alice, "bafkreichild", parents, weights, 0);
        _reveal(parent, bob, "bafkreilate", _noParents(), _noWeights(), 0);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.ParentNotRevealedBeforeCommit.selector, parent, child
            )
        );
        book.reveal(child, "bafkreichild", parents, weights, 0);
    }

    function test_reveal_RevertWhen_ASubmissionForksItself() public {
        uint256 self = book.submissionCount() + 1;
        uint256[] memory parents = new uint256[](1);
        parents[0] = self;
        _expectRevealRevert(
            parents,
            _splitMillion(0, 1),
            abi.encodeWithSelector(
                ISubmissionBook.ParentNotRevealedBeforeCommit.selector, self, self
            )
        );
    }

    /// @dev The boundary: revealed in the block of the child's commit, just before it.
    function test_reveal_AcceptsAParentRevealedJustBeforeTheChildsCommit() public {
        uint256 parent = _commit(challengeId, bob, "bafkreiedge", _noParents(), _noWeights(), 0);
        _reveal(parent, bob, "bafkreiedge", _noParents(), _noWeights(), 0);
        uint256[] memory parents = new uint256[](1);
        parents[0] = parent;
        uint32[] memory weights = _splitMillion(0, 1);
        uint256 child = _commit(challengeId, alice, "bafkreichild", parents, weights, 0);
        assertEq(book.getSubmission(parent).forkMark, child, "mark == child id");
        _reveal(child, alice, "bafkreichild", parents, weights, 0);
        assertTrue(book.getSubmission(child).revealed, "revealed");
    }

    function test_reveal_AcceptsAParentFromAnotherChallenge() public {
        uint256 other = _createChallenge(false);
        uint256[] memory parents = new uint256[](1);
        parents[0] = parentPool[0];
        uint32[] memory weights = _splitMillion(0, 1);
        uint256 child = _commit(other, alice, "bafkreichild", parents, weights, 0);
        _reveal(child, alice, "bafkreichild", parents, weights, 0);
        assertTrue(book.getSubmission(child).revealed, "cross-challenge fork revealed");
    }

    function _expectRevealRevert(
        uint256[] memory parents,
        uint32[] memory weights,
        bytes memory revertData
    ) internal {
        uint256 id = _commit(challengeId, alice, "bafkreichild", parents, weights, 0);
        vm.roll(block.number + 1);
        vm.prank(alice);
        vm.expectRevert(revertData);
        book.reveal(id, "bafkreichild", parents, weights, 0);
    }

    function _firstParents(uint256 n) internal view returns (uint256[] memory parents) {
        parents = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            parents[i] = parentPool[i];
        }
    }

    /// @dev n non-zero weights summing to exactly 1,000,000.
    function _splitMillion(uint256 seed, uint256 n) internal pure returns (uint32[] memory w) {
        w = new uint32[](n);
        uint256 left = 1_000_000;
        for (uint256 i = 0; i + 1 < n; ++i) {
            w[i] = uint32(bound(word(seed, 100 + i), 1, left - (n - 1 - i)));
            left -= w[i];
        }
        w[n - 1] = uint32(left);
    }
}

/// @notice The per-address rolling-day cap against a reference model of commit times.
contract DailyCapTest is Base {
    address internal constant SUBMITTER = address(0xC0FFEE);

    function testFuzz_commit_DailyCapMatchesARollingWindowModel(uint8 capSeed, uint256 seed)
        public
    {
        uint8 cap = uint8(bound(capSeed, 1, 6));
        uint256 id = _cappedChallenge(cap);
        uint256[] memory accepted = new uint256[](24);
        uint256 count = 0;
        for (uint256 step = 0; step < 24; ++step) {
            _advance(seed, step, accepted, count, cap);
            // Model: allowed while fewer than `cap` accepted commits are younger than a day.
            uint256 inWindow = 0;
            uint256 capth = 0; // the cap-th most recent accepted commit
            for (uint256 j = count; j > 0; --j) {
                if (accepted[j - 1] + 1 days > block.timestamp) ++inWindow;
                if (count - j + 1 == cap) capth = accepted[j - 1];
            }
            vm.prank(SUBMITTER);
            if (inWindow >= cap) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ISubmissionBook.DailyCapReached.selector, SUBMITTER, cap, capth + 1 days
                    )
                );
                book.commit(id, bytes32(step + 1));
            } else {
                book.commit(id, bytes32(step + 1));
                accepted[count++] = block.timestamp;
            }
        }
    }

    function test_commit_CapIsPerAddressAndPerChallenge() public {
        uint256 first = _cappedChallenge(1);
        uint256 second = _cappedChallenge(1);
        vm.prank(alice);
        book.commit(first, bytes32(uint256(1)));
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(
                ISubmissionBook.DailyCapReached.selector, alice, 1, block.timestamp + 1 days
            )
        );
        book.commit(first, bytes32(uint256(2)));
        vm.prank(bob);
        book.commit(first, bytes32(uint256(3)));
        vm.prank(alice);
        book.commit(second, bytes32(uint256(4)));
    }

    function test_commit_NoCapWhenZero() public {
        uint256 uncapped = _cappedChallenge(0);
        for (uint256 i = 0; i < 20; ++i) {
            vm.prank(alice);
            book.commit(uncapped, bytes32(i));
        }
        assertEq(book.submissionCount(), 20, "20 commits in one second");
    }

    /// @dev Moves time: often right around the moment the model says the cap frees up.
    function _advance(
        uint256 seed,
        uint256 step,
        uint256[] memory accepted,
        uint256 count,
        uint8 cap
    ) internal {
        uint256 r = word(seed, step);
        uint256 mode = r % 5;
        if (mode < 2 || count < cap) {
            vm.warp(block.timestamp + bound(r >> 8, 0, 8 hours));
        } else if (mode == 2) {
            vm.warp(block.timestamp + bound(r >> 8, 0, 3 days));
        } else {
            uint256 edge = accepted[count - cap] + 1 days; // when the cap-th newest expires
            uint256 at = mode == 3 ? edge - 1 : edge;
            if (at > block.timestamp) vm.warp(at);
        }
    }

    function _cappedChallenge(uint8 cap) internal returns (uint256) {
        IChallengeRegistry.ChallengeConfig memory config = _config();
        config.dailyCap = cap;
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY);
        phase.commitEnd = uint64(block.timestamp) + 120 days;
        phase.revealEnd = phase.commitEnd + 1 days;
        return _createChallenge(config, phase);
    }
}
