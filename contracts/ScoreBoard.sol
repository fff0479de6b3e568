// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {OracleQuorum} from "./OracleQuorum.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IScoreBoard} from "./interfaces/IScoreBoard.sol";
import {ISubmissionBook} from "./interfaces/ISubmissionBook.sol";

/// @title ScoreBoard
/// @notice Accepts quorum-signed score batches, keeps the Ladder's released bests, and
/// checks revealed private scores against the commitments the quorum signed.
contract ScoreBoard is IScoreBoard, OracleQuorum {
    bytes32 public constant SCORE_BATCH_TYPEHASH = keccak256(
        "ScoreBatch(uint256 challengeId,uint32 phase,uint32 correction,uint64 seq,bytes32 configDigest,bytes32 itemsHash)"
    );
    uint8 public constant MAX_STATUS = 17;

    struct Batch {
        bytes32 itemsHash;
        uint32 phase;
        bool privateRevealed;
        uint32 correction;
    }

    /// @dev Per phase and correction: score batches posted, and how many of them had private
    /// scores revealed (batches under an older correction no longer count for the rewards).
    struct Tally {
        uint32 posted;
        uint32 opened;
    }

    ISubmissionBook public immutable book;

    mapping(uint256 challengeId => uint64) private _lastSeq;
    mapping(uint256 challengeId => mapping(uint64 seq => Batch)) private _batches;
    /// @dev One bit per submission: scored at all (under any correction).
    mapping(uint256 word => uint256) private _scoredBits;
    /// @dev One bit per submission and correction >= 1: scored under that correction (ids are
    /// global, so the word needs no challenge or phase).
    mapping(uint32 correction => mapping(uint256 word => uint256)) private _rescoredBits;
    /// @dev The Ladders, by `_ladderKey(phase, correction)` (correction 0's key is the phase).
    mapping(
        uint256 challengeId => mapping(uint64 ladderKey => mapping(address participant => Best))
    ) private _best;
    mapping(uint256 challengeId => mapping(uint64 ladderKey => Tally)) private _tallies;

    constructor(IChallengeRegistry registry_, ISubmissionBook book_) OracleQuorum(registry_) {
        book = book_;
    }

    /// @inheritdoc IScoreBoard
    function postScores(
        ScoreBatch calldata header,
        ScoreItem[] calldata items,
        bytes[] calldata signatures
    ) external {
        bytes32 computed = _checkBatch(header, items, signatures);
        (int256 step, bool higherIsBetter, mapping(address => Best) storage ladder) =
            _store(header, computed);
        uint256 n = items.length;
        for (uint256 i = 0; i < n; ++i) {
            _record(header, items[i], step, higherIsBetter, ladder);
        }
        _announce(header, computed, n);
    }

    /// @inheritdoc IScoreBoard
    function revealPrivateScores(
        uint256 challengeId,
        uint64 seq,
        ScoreItem[] calldata items,
        int256[] calldata privateScores,
        bytes32[] calldata salts
    ) external {
        Batch storage batch = _batches[challengeId][seq];
        if (batch.itemsHash == bytes32(0)) revert UnknownBatch(challengeId, seq);
        if (batch.privateRevealed) revert PrivateScoresAlreadyRevealed(challengeId, seq);
        bytes32 computed = _itemsHash(items);
        if (computed != batch.itemsHash) revert ItemsHashMismatch(batch.itemsHash, computed);
        if (privateScores.length != items.length || salts.length != items.length) {
            revert LengthMismatch(items.length, privateScores.length, salts.length);
        }
        (,, uint64 revealEnd,) = registry.scoringRules(challengeId, batch.phase);
        if (block.timestamp <= revealEnd) {
            revert RevealBeforePhaseEnd(challengeId, batch.phase, revealEnd);
        }
        batch.privateRevealed = true;
        ++_tallies[challengeId][_ladderKey(batch.phase, batch.correction)].opened;
        for (uint256 i = 0; i < items.length; ++i) {
            uint256 id = items[i].submissionId;
            bytes32 expected = items[i].privateCommitment;
            bytes32 opened = keccak256(abi.encode(id, privateScores[i], salts[i]));
            if (opened != expected) revert PrivateCommitmentMismatch(id, expected, opened);
            emit PrivateScoreRevealed(id, challengeId, privateScores[i], salts[i]);
        }
    }

    /// @inheritdoc IScoreBoard
    function lastSeq(uint256 challengeId) external view returns (uint64) {
        return _lastSeq[challengeId];
    }

    /// @inheritdoc IScoreBoard
    function batchHash(uint256 challengeId, uint64 seq) external view returns (bytes32) {
        return _batches[challengeId][seq].itemsHash;
    }

    /// @inheritdoc IScoreBoard
    function batchPhase(uint256 challengeId, uint64 seq) external view returns (uint32) {
        return _batches[challengeId][seq].phase;
    }

    /// @inheritdoc IScoreBoard
    function isScored(uint256 submissionId) public view returns (bool) {
        return _scoredBits[submissionId >> 8] & (1 << (submissionId & 0xff)) != 0;
    }

    /// @inheritdoc IScoreBoard
    function isScoredUnder(uint256 submissionId, uint32 correction) external view returns (bool) {
        if (correction == 0) return isScored(submissionId);
        return _rescoredBits[correction][submissionId >> 8] & (1 << (submissionId & 0xff)) != 0;
    }

    /// @inheritdoc IScoreBoard
    function privateRevealed(uint256 challengeId, uint64 seq) external view returns (bool) {
        return _batches[challengeId][seq].privateRevealed;
    }

    /// @inheritdoc IScoreBoard
    function phaseBatches(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint32 posted, uint32 opened)
    {
        (,,, uint32 correction) = registry.scoringRules(challengeId, phase);
        Tally storage t = _tallies[challengeId][_ladderKey(phase, correction)];
        return (t.posted, t.opened);
    }

    /// @inheritdoc IScoreBoard
    function releasedBest(uint256 challengeId, uint32 phase, address participant)
        external
        view
        returns (Best memory)
    {
        (,,, uint32 correction) = registry.scoringRules(challengeId, phase);
        return _best[challengeId][_ladderKey(phase, correction)][participant];
    }

    /// @inheritdoc IScoreBoard
    function scoreBatchDigest(ScoreBatch calldata header) external view returns (bytes32) {
        return _hashTypedDataV4(_structHash(header));
    }

    /// @dev `keccak256(abi.encode(items))`, hashed straight from calldata: the encoding is the
    /// 0x20 offset, the length, then the items' five static words each, which is exactly how
    /// they sit in calldata after the length word (non-canonical calldata hashes differently
    /// and fails against the signed hash).
    function _itemsHash(ScoreItem[] calldata items) private pure returns (bytes32 digest) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            let size := mul(items.length, 0xa0)
            mstore(ptr, 0x20)
            mstore(add(ptr, 0x20), items.length)
            calldatacopy(add(ptr, 0x40), items.offset, size)
            digest := keccak256(ptr, add(size, 0x40))
        }
    }

    function _structHash(ScoreBatch calldata h) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                SCORE_BATCH_TYPEHASH,
                h.challengeId,
                h.phase,
                h.correction,
                h.seq,
                h.configDigest,
                h.itemsHash
            )
        );
    }

    function _record(
        ScoreBatch calldata header,
        ScoreItem calldata item,
        int256 step,
        bool higherIsBetter,
        mapping(address => Best) storage ladder
    ) private {
        uint256 id = item.submissionId;
        uint8 status = item.status;
        int256 score = item.publicScore;
        address submitter = _revealedSubmitter(header, id);
        _markScored(id, header.correction);
        if (status > MAX_STATUS) revert InvalidStatus(id, status);
        emit ScoreRecorded(
            id,
            header.challengeId,
            header.seq,
            status,
            score,
            item.privateCommitment,
            item.reportDigest
        );
        if (status != 0) {
            if (score != 0) revert ScoreOnInvalid(id, status, score);
            return;
        }
        if (score % step != 0) revert OffGridScore(id, score, uint256(step));
        _climbLadder(header, ladder, submitter, id, score, step, higherIsBetter);
    }

    /// @dev Emits ScoresPosted (apart: postScores has no stack slots left for seven values).
    function _announce(ScoreBatch calldata header, bytes32 computed, uint256 n) private {
        emit ScoresPosted(
            header.challengeId, header.phase, header.seq, computed, n, msg.sender, header.correction
        );
    }

    /// @dev Checks a batch before anything is stored: not empty, an unused seq, its items
    /// hashing to the signed hash, a quorum of the phase's judges. Returns the items' hash.
    function _checkBatch(
        ScoreBatch calldata header,
        ScoreItem[] calldata items,
        bytes[] calldata signatures
    ) private view returns (bytes32 computed) {
        uint256 challengeId = header.challengeId;
        if (items.length == 0) revert EmptyBatch();
        // Any unused sequence number counts, so batches relayed out of order all land; a used
        // one never comes back (its batch stays stored), so a signed batch posts once.
        if (header.seq == 0 || _batches[challengeId][header.seq].itemsHash != bytes32(0)) {
            revert SeqAlreadyUsed(challengeId, header.seq);
        }
        computed = _itemsHash(items);
        if (computed != header.itemsHash) revert ItemsHashMismatch(header.itemsHash, computed);
        _requireQuorum(
            challengeId, header.phase, header.configDigest, _structHash(header), signatures
        );
    }

    /// @dev Checks the batch's correction against the phase's, stores the batch and counts it;
    /// returns the phase's ladder step, direction and its Ladder under the correction (located
    /// once per batch: one mapping level per item).
    function _store(ScoreBatch calldata header, bytes32 computed)
        private
        returns (int256 step, bool higherIsBetter, mapping(address => Best) storage ladder)
    {
        uint256 challengeId = header.challengeId;
        uint256 eta;
        uint32 correction;
        (eta, higherIsBetter,, correction) = registry.scoringRules(challengeId, header.phase);
        if (header.correction != correction) {
            revert WrongCorrection(challengeId, header.phase, header.correction, correction);
        }
        step = SafeCast.toInt256(eta);
        if (header.seq > _lastSeq[challengeId]) _lastSeq[challengeId] = header.seq;
        _batches[challengeId][header.seq] = Batch({
            itemsHash: computed, phase: header.phase, privateRevealed: false, correction: correction
        });
        uint64 key = _ladderKey(header.phase, correction);
        ++_tallies[challengeId][key].posted;
        ladder = _best[challengeId][key];
    }

    /// @dev Sets the submission's scored bit under `correction`; reverts if it was set (scored
    /// once per correction). Under a correction >= 1 it also sets the scored-at-all bit.
    function _markScored(uint256 id, uint32 correction) private {
        uint256 word = id >> 8;
        uint256 mask = 1 << (id & 0xff);
        uint256 bits = _scoredBits[word];
        if (correction == 0) {
            if (bits & mask != 0) revert AlreadyScored(id);
        } else {
            mapping(uint256 => uint256) storage under = _rescoredBits[correction];
            uint256 rescored = under[word];
            if (rescored & mask != 0) revert AlreadyScored(id);
            under[word] = rescored | mask;
        }
        _scoredBits[word] = bits | mask;
    }

    /// @dev The `_best` and `_tallies` key of a phase under a correction.
    function _ladderKey(uint32 phase, uint32 correction) private pure returns (uint64) {
        return (uint64(correction) << 32) | phase;
    }

    /// @dev The submitter of `id`, which must be a revealed submission of the batch's phase.
    function _revealedSubmitter(ScoreBatch calldata header, uint256 id)
        private
        view
        returns (address submitter)
    {
        uint32 challengeId;
        uint32 phase;
        bool revealed;
        (submitter, challengeId, phase, revealed) = book.summaryOf(id);
        if (challengeId != header.challengeId || phase != header.phase) {
            revert WrongSubmission(id, header.challengeId, header.phase);
        }
        if (!revealed) revert SubmissionNotRevealed(id);
    }

    /// @dev A participant's released best in a phase moves only by at least the phase's eta
    /// (Blum & Hardt's Ladder); each phase has its own Ladder, as it has its own metric.
    function _climbLadder(
        ScoreBatch calldata header,
        mapping(address => Best) storage ladder,
        address participant,
        uint256 submissionId,
        int256 score,
        int256 step,
        bool higherIsBetter
    ) private {
        Best storage stored = ladder[participant];
        Best memory best = stored; // one slot, read once
        if (best.released) {
            int256 current = best.score;
            bool improved = higherIsBetter ? score - current >= step : current - score >= step;
            if (!improved) return;
        }
        stored.score = SafeCast.toInt248(score);
        stored.released = true;
        emit BestReleased(header.challengeId, participant, submissionId, score);
    }
}
