// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChallengeRegistry} from "../../contracts/interfaces/IChallengeRegistry.sol";
import {IOracleQuorum} from "../../contracts/interfaces/IOracleQuorum.sol";
import {IScoreBoard} from "../../contracts/interfaces/IScoreBoard.sol";
import {Base} from "./Base.t.sol";

/// @notice Quorum-signed score batches: the EIP-712 digest, the M-of-N check, the sequence
/// number, item validation and the private-score reveal.
contract ScoreBoardTest is Base {
    bytes32 internal constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    /// @dev Written from the interface NatSpec, not read from the contract.
    bytes32 internal constant SCORE_BATCH_TYPEHASH = keccak256(
        "ScoreBatch(uint256 challengeId,uint32 phase,uint32 correction,uint64 seq,bytes32 configDigest,bytes32 itemsHash)"
    );

    uint256 internal challengeId;
    uint256 internal submissionId;

    function setUp() public override {
        super.setUp();
        challengeId = _createChallenge(true);
        submissionId = _submit(challengeId, alice, "bafkreialice");
    }

    function test_scoreBatchDigest_MatchesAnIndependentEip712Digest() public {
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 1, items);
        bytes32 domainSeparator = keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("Coopetition"),
                keccak256("1"),
                block.chainid,
                address(board)
            )
        );
        bytes32 structHash = keccak256(
            abi.encode(
                SCORE_BATCH_TYPEHASH,
                header.challengeId,
                header.phase,
                header.correction,
                header.seq,
                header.configDigest,
                header.itemsHash
            )
        );
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", domainSeparator, structHash));
        assertEq(board.scoreBatchDigest(header), digest, "digest view == EIP-712 digest");

        (, string memory name, string memory version, uint256 chainId, address verifying,,) =
            board.eip712Domain();
        assertEq(keccak256(bytes(name)), keccak256("Coopetition"), "domain name");
        assertEq(keccak256(bytes(version)), keccak256("1"), "domain version");
        assertEq(chainId, block.chainid, "domain chain id");
        assertEq(verifying, address(board), "domain verifying contract");

        // Signatures over the independently computed digest are accepted.
        board.postScores(header, items, _quorumSign(digest));
        assertEq(uint256(board.lastSeq(challengeId)), 1, "posted");
    }

    function test_postScores_RecordsTheBatchAndReleasesTheFirstScore() public {
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 5, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.prank(makeAddr("relayer")); // anyone may relay a signed batch
        board.postScores(header, items, signatures);
        assertEq(uint256(board.lastSeq(challengeId)), 5, "lastSeq");
        assertEq(board.batchHash(challengeId, 5), keccak256(abi.encode(items)), "batch hash");
        assertEq(uint256(board.batchPhase(challengeId, 5)), 0, "batch phase");
        assertTrue(board.isScored(submissionId), "scored");
        IScoreBoard.Best memory best = board.releasedBest(challengeId, 0, alice);
        assertTrue(best.released, "released");
        assertEq(int256(best.score), 0.6e18, "best");
    }

    function testFuzz_postScores_AcceptsAnyQuorumOfDistinctOracles(uint256 subsetSeed) public {
        uint256[4][4] memory subsets = [
            [uint256(0), 1, 9, 9],
            [uint256(0), 2, 9, 9],
            [uint256(1), 2, 9, 9],
            [uint256(0), 1, 2, 9]
        ];
        uint256[4] memory subset = subsets[subsetSeed % 4];
        uint256 size = subset[2] == 9 ? 2 : 3;
        uint256[] memory keys = new uint256[](size);
        for (uint256 i = 0; i < size; ++i) {
            keys[i] = oracleKeys[subset[i]];
        }
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 1, items);
        board.postScores(header, items, _sign(board.scoreBatchDigest(header), keys));
        assertTrue(board.isScored(submissionId), "scored");
    }

    function test_RevertWhen_BelowQuorum() public {
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        bytes[] memory signatures = _sign(board.scoreBatchDigest(header), _oracleKeys(1));
        vm.expectRevert(abi.encodeWithSelector(IOracleQuorum.QuorumNotReached.selector, 1, 2));
        board.postScores(header, items, signatures);
    }

    function test_RevertWhen_SignersDescending() public {
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        uint256[] memory keys = new uint256[](2);
        (keys[0], keys[1]) = (oracleKeys[1], oracleKeys[0]);
        bytes[] memory signatures = _sign(board.scoreBatchDigest(header), keys);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleQuorum.SignersNotSorted.selector, 1, oracleAddrs[1], oracleAddrs[0]
            )
        );
        board.postScores(header, items, signatures);
    }

    function test_RevertWhen_OneOracleSignsTwice() public {
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        uint256[] memory keys = new uint256[](2);
        (keys[0], keys[1]) = (oracleKeys[2], oracleKeys[2]);
        bytes[] memory signatures = _sign(board.scoreBatchDigest(header), keys);
        vm.expectRevert(
            abi.encodeWithSelector(
                IOracleQuorum.SignersNotSorted.selector, 1, oracleAddrs[2], oracleAddrs[2]
            )
        );
        board.postScores(header, items, signatures);
    }

    function testFuzz_postScores_RevertWhen_ASignerIsNotAnOracle(uint256 key) public {
        key = bound(key, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        address stranger = vm.addr(key);
        vm.assume(!registry.isOracleAt(challengeId, 1, stranger));
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        uint256[] memory keys = new uint256[](2);
        (keys[0], keys[1]) = (key, oracleKeys[2]);
        bytes[] memory signatures = _sign(board.scoreBatchDigest(header), keys);
        vm.expectRevert(abi.encodeWithSelector(IOracleQuorum.NotAnOracle.selector, stranger));
        board.postScores(header, items, signatures);
    }

    /// @dev Signatures of one header do not carry over to another (here: another seq).
    function test_RevertWhen_SignaturesAreForAnotherHeader() public {
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        header.seq = 2;
        bytes32 digest = board.scoreBatchDigest(header);
        address recovered = _recover(digest, signatures[0]);
        vm.expectRevert(abi.encodeWithSelector(IOracleQuorum.NotAnOracle.selector, recovered));
        board.postScores(header, items, signatures);
    }

    /// @dev Issue 13, point 2: rotating the oracle set while the phase's commits are open
    /// neither voids the signatures of the phase's oracles nor lets the new set sign for it.
    function test_postScores_RevertWhen_ARotatedSetSignsForAnOpenPhase() public {
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        bytes32 phaseDigest = header.configDigest;
        bytes[] memory phaseSignatures = _quorumSign(board.scoreBatchDigest(header));
        address[] memory newSet = new address[](1);
        newSet[0] = oracleAddrs[2];
        vm.prank(owner);
        registry.setOracles(challengeId, newSet, 1, arbiter);
        vm.warp(block.timestamp + NOTICE_PERIOD);
        bytes32 newDigest = registry.getChallenge(challengeId).configDigest;
        assertEq(
            newDigest,
            keccak256(abi.encode(challengeId, uint32(2), newSet, uint8(1))),
            "config digest = keccak256(abi.encode(id, version, oracles, quorum))"
        );
        IScoreBoard.ScoreBatch memory rotated = _batch(challengeId, 0, header.seq, items);
        rotated.configDigest = newDigest;
        uint256[] memory current = new uint256[](1);
        current[0] = oracleKeys[2];
        bytes[] memory newSignatures = _sign(board.scoreBatchDigest(rotated), current);
        vm.expectRevert(
            abi.encodeWithSelector(IOracleQuorum.StaleConfigDigest.selector, newDigest, phaseDigest)
        );
        board.postScores(rotated, items, newSignatures);

        board.postScores(header, items, phaseSignatures);
        assertTrue(board.isScored(submissionId), "scored by the phase's oracles");
    }

    function test_configDigest_MatchesTheDocumentedEncoding() public view {
        assertEq(
            _phaseDigest(challengeId, 0),
            keccak256(abi.encode(challengeId, uint32(1), _oracleList(), QUORUM)),
            "config digest"
        );
    }

    // ------------------------------------------------------------------ sequence

    function testFuzz_postScores_RevertWhen_SeqIsUsedOrZero(uint64 first, bool zero) public {
        first = uint64(bound(first, 1, type(uint64).max));
        uint64 second = zero ? 0 : first;
        _postScores(challengeId, 0, first, _items1(_item(submissionId, 0.6e18)));
        uint256 next = _submit(challengeId, bob, "bafkreibob");
        IScoreBoard.ScoreItem[] memory items = _items1(_item(next, 0.7e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, second, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(
            abi.encodeWithSelector(IScoreBoard.SeqAlreadyUsed.selector, challengeId, second)
        );
        board.postScores(header, items, signatures);
        assertEq(uint256(board.lastSeq(challengeId)), first, "lastSeq unchanged");
    }

    /// @dev Issue 13, point 5: a later signed batch relayed first does not make an earlier
    /// one unpostable.
    function testFuzz_postScores_BatchesRelayedOutOfOrderAllLand(uint64 first, uint64 later)
        public
    {
        first = uint64(bound(first, 1, type(uint64).max - 1));
        later = uint64(bound(later, first + 1, type(uint64).max));
        uint256 next = _submit(challengeId, bob, "bafkreibob");
        IScoreBoard.ScoreItem[] memory earlyItems = _items1(_item(submissionId, 0.6e18));
        IScoreBoard.ScoreBatch memory early = _batch(challengeId, 0, first, earlyItems);
        bytes[] memory earlySignatures = _quorumSign(board.scoreBatchDigest(early));
        _postScores(challengeId, 0, later, _items1(_item(next, 0.7e18)));
        board.postScores(early, earlyItems, earlySignatures);
        assertTrue(board.isScored(submissionId), "the earlier batch landed");
        assertEq(uint256(board.lastSeq(challengeId)), later, "lastSeq is the highest");
    }

    function test_postScores_SeqIsPerChallenge() public {
        uint256 other = _createChallenge(false);
        uint256 otherSubmission = _submit(other, bob, "bafkreibob");
        _postScores(challengeId, 0, 7, _items1(_item(submissionId, 0.6e18)));
        _postScores(other, 0, 1, _items1(_item(otherSubmission, 0.6e18)));
        assertEq(uint256(board.lastSeq(challengeId)), 7, "first challenge");
        assertEq(uint256(board.lastSeq(other)), 1, "second challenge");
    }

    // ------------------------------------------------------------------ items

    function test_RevertWhen_ItemsHashDiffersFromTheSignedOne() public {
        (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items) = _one();
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        items[0].publicScore += int256(ETA);
        vm.expectRevert(
            abi.encodeWithSelector(
                IScoreBoard.ItemsHashMismatch.selector,
                header.itemsHash,
                keccak256(abi.encode(items))
            )
        );
        board.postScores(header, items, signatures);
    }

    function test_RevertWhen_BatchIsEmpty() public {
        IScoreBoard.ScoreItem[] memory items = new IScoreBoard.ScoreItem[](0);
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 1, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(IScoreBoard.EmptyBatch.selector);
        board.postScores(header, items, signatures);
    }

    function test_RevertWhen_SubmissionBelongsToAnotherChallenge() public {
        uint256 other = _createChallenge(false);
        uint256 foreign = _submit(other, bob, "bafkreibob");
        _expectItemRevert(
            _item(foreign, 0.6e18),
            abi.encodeWithSelector(IScoreBoard.WrongSubmission.selector, foreign, challengeId, 0)
        );
    }

    function test_RevertWhen_SubmissionBelongsToAnotherPhase() public {
        uint64 revealEnd = registry.getPhase(challengeId, 0).revealEnd;
        IChallengeRegistry.PhaseConfig memory phase1 = _phaseConfig(0);
        phase1.commitStart = revealEnd;
        phase1.commitEnd = revealEnd + 1 days;
        phase1.revealEnd = revealEnd + 2 days;
        vm.prank(owner);
        registry.addPhase(challengeId, phase1, 0);
        vm.warp(revealEnd);
        uint256 late = _submit(challengeId, bob, "bafkreibob");
        assertEq(uint256(book.getSubmission(late).phase), 1, "phase 1 submission");
        _expectItemRevert(
            _item(late, 0.6e18),
            abi.encodeWithSelector(IScoreBoard.WrongSubmission.selector, late, challengeId, 0)
        );
    }

    function test_RevertWhen_SubmissionNotRevealed() public {
        uint256 hidden = _commit(challengeId, bob, "bafkreibob", _noParents(), _noWeights(), 0);
        _expectItemRevert(
            _item(hidden, 0.6e18),
            abi.encodeWithSelector(IScoreBoard.SubmissionNotRevealed.selector, hidden)
        );
    }

    function test_RevertWhen_SubmissionAlreadyScored() public {
        _postScores(challengeId, 0, 1, _items1(_item(submissionId, 0.6e18)));
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.7e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 2, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.AlreadyScored.selector, submissionId));
        board.postScores(header, items, signatures);
    }

    function test_RevertWhen_ABatchScoresOneSubmissionTwice() public {
        IScoreBoard.ScoreItem[] memory items = new IScoreBoard.ScoreItem[](2);
        items[0] = _item(submissionId, 0.6e18);
        items[1] = _item(submissionId, 0.7e18);
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 1, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.AlreadyScored.selector, submissionId));
        board.postScores(header, items, signatures);
    }

    function testFuzz_postScores_RevertWhen_StatusIsUnknown(uint8 status) public {
        status = uint8(bound(status, 18, 255));
        IScoreBoard.ScoreItem memory item = _item(submissionId, 0);
        item.status = status;
        _expectItemRevert(
            item, abi.encodeWithSelector(IScoreBoard.InvalidStatus.selector, submissionId, status)
        );
    }

    function testFuzz_postScores_RevertWhen_AnInvalidSubmissionHasAScore(uint8 status, int256 score)
        public
    {
        status = uint8(bound(status, 1, 11));
        vm.assume(score != 0);
        IScoreBoard.ScoreItem memory item = _item(submissionId, score);
        item.status = status;
        _expectItemRevert(
            item,
            abi.encodeWithSelector(IScoreBoard.ScoreOnInvalid.selector, submissionId, status, score)
        );
    }

    function testFuzz_postScores_AnInvalidSubmissionReleasesNothing(uint8 status) public {
        status = uint8(bound(status, 1, 11));
        IScoreBoard.ScoreItem memory item = _item(submissionId, 0);
        item.status = status;
        _postScores(challengeId, 0, 1, _items1(item));
        assertTrue(board.isScored(submissionId), "scored with a reason");
        assertFalse(board.releasedBest(challengeId, 0, alice).released, "nothing on the board");
    }

    // ------------------------------------------------------------------ private scores

    function test_revealPrivateScores_OpensTheSignedCommitments() public {
        uint256 second = _submit(challengeId, bob, "bafkreibob");
        IScoreBoard.ScoreItem[] memory items = new IScoreBoard.ScoreItem[](2);
        items[0] = _item(submissionId, 0.6e18);
        items[1] = _item(second, 0.7e18);
        _postScores(challengeId, 0, 1, items);
        (int256[] memory scores, bytes32[] memory salts) = _openings(items);

        uint64 revealEnd = registry.getPhase(challengeId, 0).revealEnd;
        vm.warp(revealEnd);
        vm.expectRevert(
            abi.encodeWithSelector(
                IScoreBoard.RevealBeforePhaseEnd.selector, challengeId, 0, revealEnd
            )
        );
        board.revealPrivateScores(challengeId, 1, items, scores, salts);

        vm.warp(revealEnd + 1);
        vm.prank(makeAddr("relayer"));
        board.revealPrivateScores(challengeId, 1, items, scores, salts);
        assertTrue(board.privateRevealed(challengeId, 1), "revealed");
        vm.expectRevert(
            abi.encodeWithSelector(
                IScoreBoard.PrivateScoresAlreadyRevealed.selector, challengeId, 1
            )
        );
        board.revealPrivateScores(challengeId, 1, items, scores, salts);
    }

    function testFuzz_revealPrivateScores_RevertWhen_ScoreOrSaltDiffers(
        int256 wrongScore,
        bytes32 wrongSalt,
        bool changeSalt
    ) public {
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        _postScores(challengeId, 0, 1, items);
        (int256[] memory scores, bytes32[] memory salts) = _openings(items);
        if (changeSalt) {
            vm.assume(wrongSalt != salts[0]);
            salts[0] = wrongSalt;
        } else {
            vm.assume(wrongScore != scores[0]);
            scores[0] = wrongScore;
        }
        _revealAfterPhaseEnd();
        bytes32 opened = _privateCommitment(submissionId, scores[0], salts[0]);
        vm.expectRevert(
            abi.encodeWithSelector(
                IScoreBoard.PrivateCommitmentMismatch.selector,
                submissionId,
                items[0].privateCommitment,
                opened
            )
        );
        board.revealPrivateScores(challengeId, 1, items, scores, salts);
    }

    function test_revealPrivateScores_RevertWhen_BatchUnknown() public {
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        (int256[] memory scores, bytes32[] memory salts) = _openings(items);
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.UnknownBatch.selector, challengeId, 9));
        board.revealPrivateScores(challengeId, 9, items, scores, salts);
    }

    function test_revealPrivateScores_RevertWhen_ItemsDifferFromTheBatch() public {
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        _postScores(challengeId, 0, 1, items);
        (int256[] memory scores, bytes32[] memory salts) = _openings(items);
        bytes32 stored = keccak256(abi.encode(items));
        items[0].reportDigest = bytes32(0);
        vm.expectRevert(
            abi.encodeWithSelector(
                IScoreBoard.ItemsHashMismatch.selector, stored, keccak256(abi.encode(items))
            )
        );
        board.revealPrivateScores(challengeId, 1, items, scores, salts);
    }

    function test_revealPrivateScores_RevertWhen_LengthsDiffer() public {
        IScoreBoard.ScoreItem[] memory items = _items1(_item(submissionId, 0.6e18));
        _postScores(challengeId, 0, 1, items);
        _revealAfterPhaseEnd();
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.LengthMismatch.selector, 1, 0, 1));
        board.revealPrivateScores(challengeId, 1, items, new int256[](0), new bytes32[](1));
    }

    function _one()
        internal
        view
        returns (IScoreBoard.ScoreBatch memory header, IScoreBoard.ScoreItem[] memory items)
    {
        items = _items1(_item(submissionId, 0.6e18));
        header = _batch(challengeId, 0, 1, items);
    }

    function _expectItemRevert(IScoreBoard.ScoreItem memory item, bytes memory revertData)
        internal
    {
        IScoreBoard.ScoreItem[] memory items = _items1(item);
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 0, 1, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(revertData);
        board.postScores(header, items, signatures);
    }

    function _openings(IScoreBoard.ScoreItem[] memory items)
        internal
        pure
        returns (int256[] memory scores, bytes32[] memory salts)
    {
        scores = new int256[](items.length);
        salts = new bytes32[](items.length);
        for (uint256 i = 0; i < items.length; ++i) {
            scores[i] = items[i].publicScore; // `_item` commits private == public
            salts[i] = _scoreSalt(items[i].submissionId);
        }
    }

    function _revealAfterPhaseEnd() internal {
        vm.warp(registry.getPhase(challengeId, 0).revealEnd + 1);
    }

    function _recover(bytes32 digest, bytes memory signature) internal pure returns (address) {
        bytes32 r;
        bytes32 s;
        uint8 v;
        assembly ("memory-safe") {
            r := mload(add(signature, 0x20))
            s := mload(add(signature, 0x40))
            v := byte(0, mload(add(signature, 0x60)))
        }
        return ecrecover(digest, v, r, s);
    }
}

/// @notice The Ladder (Blum & Hardt): public scores on the eta grid, and a participant's
/// released best moves only when a new score beats it by at least eta.
contract LadderTest is Base {
    uint256 internal challengeId;
    uint256 internal eta;
    bool internal higherIsBetter;
    uint256[] internal ids;
    mapping(uint256 submissionId => address) internal ownerOf;
    /// @dev The reference model: each participant's released best.
    mapping(address participant => int256) internal modelScore;
    mapping(address participant => bool) internal modelReleased;

    function testFuzz_postScores_ReleasedBestMovesOnlyByAtLeastEta(
        bool higherIsBetter_,
        uint256 etaSeed,
        uint256 seed
    ) public {
        higherIsBetter = higherIsBetter_;
        eta = bound(etaSeed, 1, 1e18);
        challengeId = _challengeWithEta(higherIsBetter, eta);
        for (uint256 i = 0; i < 10; ++i) {
            address who = word(seed, 1000 + i) % 2 == 0 ? alice : bob;
            uint256 id = _submit(challengeId, who, string.concat("bafkrei", vm.toString(i)));
            ids.push(id);
            ownerOf[id] = who;
        }
        uint64 seq = 0;
        for (uint256 i = 0; i < ids.length;) {
            uint256 size = bound(word(seed, 2000 + i), 1, ids.length - i);
            _postAndCheck(++seq, _randomItems(seed, i, size));
            i += size;
        }
    }

    /// @dev Items for ids[from..from+size): grid scores within ±30 steps, 1 in 8 invalid.
    function _randomItems(uint256 seed, uint256 from, uint256 size)
        internal
        view
        returns (IScoreBoard.ScoreItem[] memory items)
    {
        items = new IScoreBoard.ScoreItem[](size);
        for (uint256 j = 0; j < size; ++j) {
            uint256 r = word(seed, from + j);
            int256 steps = int256(bound(r, 0, 60)) - 30;
            items[j] = _item(ids[from + j], steps * int256(eta));
            if ((r >> 128) % 8 == 0) {
                items[j] = _item(ids[from + j], 0);
                items[j].status = uint8(bound(r >> 64, 1, 11));
            }
        }
    }

    function _postAndCheck(uint64 seq, IScoreBoard.ScoreItem[] memory items) internal {
        IScoreBoard.Best memory aliceBefore = board.releasedBest(challengeId, 0, alice);
        IScoreBoard.Best memory bobBefore = board.releasedBest(challengeId, 0, bob);
        _postScores(challengeId, 0, seq, items);
        for (uint256 j = 0; j < items.length; ++j) {
            if (items[j].status == 0) {
                _climbModel(ownerOf[items[j].submissionId], items[j].publicScore);
            }
        }
        _check(alice, aliceBefore);
        _check(bob, bobBefore);
    }

    function _climbModel(address who, int256 score) internal {
        int256 gain = higherIsBetter ? score - modelScore[who] : modelScore[who] - score;
        if (!modelReleased[who] || gain >= int256(eta)) {
            modelScore[who] = score;
            modelReleased[who] = true;
        }
    }

    function _check(address who, IScoreBoard.Best memory before) internal view {
        IScoreBoard.Best memory best = board.releasedBest(challengeId, 0, who);
        assertEq(best.released, modelReleased[who], "released flag follows the model");
        assertEq(int256(best.score), modelScore[who], "released best follows the model");
        if (before.released && best.score != before.score) {
            int256 moved = higherIsBetter
                ? int256(best.score) - before.score
                : int256(before.score) - best.score;
            assertTrue(moved >= int256(eta), "moved by at least eta, the right way");
        }
    }

    /// @dev Issue 15, point 1: each phase has its own Ladder under its own rules. Phase 1 is
    /// lower-is-better with a coarser eta: alice's phase-0 best neither blocks nor sets her
    /// phase-1 best, and phase 1's grid is its own eta.
    function test_postScores_EachPhaseClimbsItsOwnLadder() public {
        challengeId = _createChallenge(true);
        uint256 first = _submit(challengeId, alice, "bafkreialice");
        _postScores(challengeId, 0, 1, _items1(_item(first, 0.8e18)));
        IChallengeRegistry.PhaseConfig memory next = _phaseAfterPhase0(challengeId, 0, false);
        (next.baseline, next.target, next.eta) = (0.5e18, 0.1e18, 1e17);
        vm.prank(owner);
        registry.addPhase(challengeId, next, 0);
        vm.warp(next.commitStart);

        uint256 again = _submit(challengeId, alice, "bafkreialice2");
        IScoreBoard.ScoreItem[] memory offGrid = _items1(_item(again, 0.35e18));
        IScoreBoard.ScoreBatch memory header = _batch(challengeId, 1, 2, offGrid);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(
            abi.encodeWithSelector(IScoreBoard.OffGridScore.selector, again, 0.35e18, 1e17)
        );
        board.postScores(header, offGrid, signatures);

        _postScores(challengeId, 1, 2, _items1(_item(again, 0.3e18)));
        IScoreBoard.Best memory best1 = board.releasedBest(challengeId, 1, alice);
        assertTrue(best1.released, "released in phase 1");
        assertEq(int256(best1.score), 0.3e18, "phase 1 best (lower than phase 0's is no bar)");
        assertEq(int256(board.releasedBest(challengeId, 0, alice).score), 0.8e18, "phase 0 kept");

        uint256 better = _submit(challengeId, alice, "bafkreialice3");
        _postScores(challengeId, 1, 3, _items1(_item(better, 0.2e18)));
        assertEq(
            int256(board.releasedBest(challengeId, 1, alice).score),
            0.2e18,
            "lower is better in phase 1: an improvement of one eta is released"
        );
    }

    function testFuzz_postScores_RevertWhen_ScoreIsOffGrid(
        uint256 etaSeed,
        int256 steps,
        uint256 offset,
        bool below
    ) public {
        uint256 step = bound(etaSeed, 2, 1e18);
        uint256 id0 = _challengeWithEta(true, step);
        uint256 id = _submit(id0, alice, "bafkreialice");
        steps = bound(steps, -1e9, 1e9);
        offset = bound(offset, 1, step - 1);
        int256 score = steps * int256(step) + (below ? -int256(offset) : int256(offset));
        IScoreBoard.ScoreItem[] memory items = _items1(_item(id, score));
        IScoreBoard.ScoreBatch memory header = _batch(id0, 0, 1, items);
        bytes[] memory signatures = _quorumSign(board.scoreBatchDigest(header));
        vm.expectRevert(abi.encodeWithSelector(IScoreBoard.OffGridScore.selector, id, score, step));
        board.postScores(header, items, signatures);
    }

    function testFuzz_postScores_AcceptsAnyScoreOnTheGrid(uint256 etaSeed, int256 steps) public {
        uint256 step = bound(etaSeed, 1, 1e18);
        uint256 id0 = _challengeWithEta(false, step);
        uint256 id = _submit(id0, alice, "bafkreialice");
        int256 score = bound(steps, -1e9, 1e9) * int256(step);
        _postScores(id0, 0, 1, _items1(_item(id, score)));
        assertEq(int256(board.releasedBest(id0, 0, alice).score), score, "released");
    }

    /// @dev A score range of 2e18, so any eta up to 1e18 is a valid ladder step.
    function _challengeWithEta(bool higher, uint256 step) internal returns (uint256) {
        IChallengeRegistry.PhaseConfig memory phase = _phaseConfig(BOUNTY, higher);
        (phase.baseline, phase.target) =
            higher ? (int256(-1e18), int256(1e18)) : (int256(1e18), int256(-1e18));
        phase.eta = step;
        return _createChallenge(_config(), phase);
    }
}
