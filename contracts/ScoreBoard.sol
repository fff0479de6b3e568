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
        "ScoreBatch(uint256 challengeId,uint32 phase,uint64 seq,bytes32 configDigest,bytes32 itemsHash)"
    );
    uint8 public constant MAX_STATUS = 17;

    struct Batch {
        bytes32 itemsHash;
        uint32 phase;
        bool privateRevealed;
    }

    /// @dev Per phase: score batches posted, and how many of them had private scores revealed.
    struct Tally {
        uint32 posted;
        uint32 opened;
    }

    ISubmissionBook public immutable book;

    mapping(uint256 challengeId => uint64) private _lastSeq;
    mapping(uint256 challengeId => mapping(uint64 seq => Batch)) private _batches;
    mapping(uint256 word => uint256) private _scoredBits;
    mapping(
        uint256 challengeId => mapping(uint32 phase => mapping(address participant => Best))
    ) private _best;
    mapping(uint256 challengeId => mapping(uint32 phase => Tally)) private _tallies;

    constructor(IChallengeRegistry registry_, ISubmissionBook book_) OracleQuorum(registry_) {
        book = book_;
    }

    /// @inheritdoc IScoreBoard
    function postScores(
        ScoreBatch calldata header,
        ScoreItem[] calldata items,
        bytes[] calldata signatures
    ) external {
        uint256 challengeId = header.challengeId;
        uint256 n = items.length;
        if (n == 0) revert EmptyBatch();
        // Any unused sequence number counts, so batches relayed out of order all land; a used
        // one never comes back (its batch stays stored), so a signed batch posts once.
        Batch storage slot = _batches[challengeId][header.seq];
        if (header.seq == 0 || slot.itemsHash != bytes32(0)) {
            revert SeqAlreadyUsed(challengeId, header.seq);
        }
        bytes32 computed = _itemsHash(items);
        if (computed != header.itemsHash) revert ItemsHashMismatch(header.itemsHash, computed);
        _requireQuorum(
            challengeId, header.phase, header.configDigest, _structHash(header), signatures
        );
        (uint256 eta, bool higherIsBetter,) = registry.scoringRules(challengeId, header.phase);
        int256 step = SafeCast.toInt256(eta);

        if (header.seq > _lastSeq[challengeId]) _lastSeq[challengeId] = header.seq;
        _batches[challengeId][header.seq] =
            Batch({itemsHash: computed, phase: header.phase, privateRevealed: false});
        ++_tallies[challengeId][header.phase].posted;
        // The phase's Ladder, located once per batch (one mapping level per item).
        mapping(address => Best) storage ladder = _best[challengeId][header.phase];
        for (uint256 i = 0; i < n; ++i) {
            _record(header, items[i], step, higherIsBetter, ladder);
        }
        emit ScoresPosted(challengeId, header.phase, header.seq, computed, n, msg.sender);
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
        (,, uint64 revealEnd) = registry.scoringRules(challengeId, batch.phase);
        if (block.timestamp <= revealEnd) {
            revert RevealBeforePhaseEnd(challengeId, batch.phase, revealEnd);
        }
        batch.privateRevealed = true;
        ++_tallies[challengeId][batch.phase].opened;
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
    function privateRevealed(uint256 challengeId, uint64 seq) external view returns (bool) {
        return _batches[challengeId][seq].privateRevealed;
    }

    /// @inheritdoc IScoreBoard
    function phaseBatches(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint32 posted, uint32 opened)
    {
        Tally storage t = _tallies[challengeId][phase];
        return (t.posted, t.opened);
    }

    /// @inheritdoc IScoreBoard
    function releasedBest(uint256 challengeId, uint32 phase, address participant)
        external
        view
        returns (Best memory)
    {
        return _best[challengeId][phase][participant];
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
                SCORE_BATCH_TYPEHASH, h.challengeId, h.phase, h.seq, h.configDigest, h.itemsHash
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
        _markScored(id);
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

    /// @dev Sets the submission's scored bit; reverts if it was set (scored once, ever).
    function _markScored(uint256 id) private {
        uint256 bits = _scoredBits[id >> 8];
        uint256 mask = 1 << (id & 0xff);
        if (bits & mask != 0) revert AlreadyScored(id);
        _scoredBits[id >> 8] = bits | mask;
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
