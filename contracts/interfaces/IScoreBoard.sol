// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Quorum-signed scores: public scores on the Ladder, committed private scores
/// @notice Oracles sign an EIP-712 `ScoreBatch(uint256 challengeId,uint32 phase,
/// uint32 correction,uint64 seq,bytes32 configDigest,bytes32 itemsHash)` with
/// `itemsHash = keccak256(abi.encode(items))`. Storage keeps one hash per batch; every item is
/// in the `ScoreRecorded` event. A submission is scored once under each correction of its
/// phase (the registry's `publishCorrection`); each correction has its own Ladder.
import {IOracleQuorum} from "./IOracleQuorum.sol";

/// @dev Signature errors (stale config digest, quorum, signer order) are in IOracleQuorum.
interface IScoreBoard is IOracleQuorum {
    struct ScoreBatch {
        uint256 challengeId;
        uint32 phase;
        uint32 correction; // the phase's current correction (0 until one is published)
        uint64 seq;
        bytes32 configDigest;
        bytes32 itemsHash;
    }

    /// @notice One scored submission. `status` 0 is valid; any other code says why not (and
    /// then both scores are 0). `privateCommitment = keccak256(abi.encode(submissionId,
    /// privateScore, salt))`.
    struct ScoreItem {
        uint256 submissionId;
        uint8 status;
        int256 publicScore;
        bytes32 privateCommitment;
        bytes32 reportDigest;
    }

    /// @notice A participant's released best on the Ladder (the public board).
    struct Best {
        int248 score;
        bool released;
    }

    event ScoresPosted(
        uint256 indexed challengeId,
        uint32 indexed phase,
        uint64 indexed seq,
        bytes32 itemsHash,
        uint256 itemCount,
        address relayer,
        uint32 correction
    );
    /// @dev Indexed by submission only; filter a challenge's batches by `ScoresPosted`, whose
    /// transaction holds the batch's `ScoreRecorded` events (two topics less per item).
    event ScoreRecorded(
        uint256 indexed submissionId,
        uint256 challengeId,
        uint64 seq,
        uint8 status,
        int256 publicScore,
        bytes32 privateCommitment,
        bytes32 reportDigest
    );
    /// @notice A participant's public best in a phase moved (first valid score in the phase, or
    /// an improvement ≥ the phase's eta). The phase is the submission's (as for ScoreRecorded;
    /// one word less per release keeps a 100-item batch within 15,000 gas per item).
    event BestReleased(
        uint256 indexed challengeId,
        address indexed participant,
        uint256 indexed submissionId,
        int256 score
    );
    event PrivateScoreRevealed(
        uint256 indexed submissionId, uint256 indexed challengeId, int256 privateScore, bytes32 salt
    );

    /// @notice Sequence number 0, or one a posted batch already has.
    error SeqAlreadyUsed(uint256 challengeId, uint64 seq);
    error ItemsHashMismatch(bytes32 signed, bytes32 computed);
    error EmptyBatch();
    error WrongSubmission(uint256 submissionId, uint256 challengeId, uint32 phase);
    error SubmissionNotRevealed(uint256 submissionId);
    /// @notice The submission already has a score under the batch's correction.
    error AlreadyScored(uint256 submissionId);
    /// @notice A batch signed under another correction than the phase's current one.
    error WrongCorrection(uint256 challengeId, uint32 phase, uint32 signed, uint32 current);
    error InvalidStatus(uint256 submissionId, uint8 status);
    error ScoreOnInvalid(uint256 submissionId, uint8 status, int256 publicScore);
    error OffGridScore(uint256 submissionId, int256 publicScore, uint256 eta);
    error UnknownBatch(uint256 challengeId, uint64 seq);
    error RevealBeforePhaseEnd(uint256 challengeId, uint32 phase, uint64 revealEnd);
    error PrivateScoresAlreadyRevealed(uint256 challengeId, uint64 seq);
    error LengthMismatch(uint256 items, uint256 scores, uint256 salts);
    error PrivateCommitmentMismatch(uint256 submissionId, bytes32 expected, bytes32 computed);

    /// @notice Records a batch signed by ≥ quorum distinct oracles of the phase's judges,
    /// signers sorted ascending. Anyone may relay it, in any order: each unused sequence
    /// number above 0 is accepted once.
    function postScores(
        ScoreBatch calldata header,
        ScoreItem[] calldata items,
        bytes[] calldata signatures
    ) external;

    /// @notice After the phase's reveal end, reveals the private scores of batch `seq` with
    /// their salts; each is checked against the commitment the quorum signed. Anyone may
    /// relay it (the quorum already signed the commitments).
    function revealPrivateScores(
        uint256 challengeId,
        uint64 seq,
        ScoreItem[] calldata items,
        int256[] calldata privateScores,
        bytes32[] calldata salts
    ) external;

    /// @notice The highest sequence number posted so far (0: none).
    function lastSeq(uint256 challengeId) external view returns (uint64);
    function batchHash(uint256 challengeId, uint64 seq) external view returns (bytes32);
    function batchPhase(uint256 challengeId, uint64 seq) external view returns (uint32);
    /// @notice Whether the submission was scored (under any correction).
    function isScored(uint256 submissionId) external view returns (bool);
    /// @notice Whether the submission was scored under correction `correction` (>= 1) of its
    /// phase; for correction 0, whether it was scored at all (`isScored`).
    function isScoredUnder(uint256 submissionId, uint32 correction) external view returns (bool);
    function privateRevealed(uint256 challengeId, uint64 seq) external view returns (bool);
    /// @notice How many score batches a phase has under its current correction, and how many
    /// of them had their private scores revealed. The RewardVault posts a phase's root only
    /// when the two are equal.
    function phaseBatches(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint32 posted, uint32 opened);
    /// @notice A participant's released best on a phase's Ladder (under the phase's current
    /// correction: each correction climbs its own Ladder from scratch).
    function releasedBest(uint256 challengeId, uint32 phase, address participant)
        external
        view
        returns (Best memory);
    /// @notice The EIP-712 digest oracles sign for `header`.
    function scoreBatchDigest(ScoreBatch calldata header) external view returns (bytes32);
}
