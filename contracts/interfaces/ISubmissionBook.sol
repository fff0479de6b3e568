// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Commit–reveal submissions, their fork edges and their reviews
/// @notice `commit` fixes priority (the submission id follows commit order) without showing
/// the artifact; `reveal` shows its CID and its parents. The commitment binds the chain,
/// this contract, the challenge and the submitter, so a copied reveal is worthless:
/// `keccak256(abi.encode(block.chainid, book, challengeId, submitter,
///   keccak256(bytes(artifactCid)), keccak256(abi.encode(parents, weightsPpm)), salt))`.
interface ISubmissionBook {
    /// @notice getSubmission output. A submission keeps one storage word: while it is pending
    /// the word holds where it was committed and a fingerprint of the commitment and its
    /// committer, not the committer's address; the reveal writes the submitter and the fork
    /// mark over the fingerprint. The committer and the full commitment of a pending
    /// submission are in its `Committed` event; its commit time is the timestamp of that
    /// event's block. Priority is the submission id.
    struct Submission {
        /// @dev the submitter once revealed; zero while pending
        address submitter;
        uint32 challengeId;
        uint32 phase;
        /// @dev once revealed, the id the next commit would get at reveal time (a child must
        /// have at least this id to fork the submission); zero while pending
        uint256 forkMark;
        bool revealed;
        /// @dev while pending, keccak256(abi.encode(commitment, committer)) with its low 49
        /// bits cleared; zero once revealed
        bytes32 fingerprint;
    }

    event Committed(
        uint256 indexed submissionId,
        uint256 indexed challengeId,
        address indexed submitter,
        uint32 phase,
        bytes32 commitment,
        uint256 bond
    );
    event Revealed(
        uint256 indexed submissionId,
        uint256 indexed challengeId,
        address indexed submitter,
        string artifactCid,
        uint256[] parents,
        uint32[] weightsPpm
    );
    event Reviewed(
        uint256 indexed submissionId,
        uint256 indexed challengeId,
        address indexed reviewer,
        uint8 verdict,
        string reviewCid
    );
    event BondForfeited(uint256 indexed submissionId, address indexed to, uint256 amount);
    /// @notice The oracles never scored a revealed submission within the challenge's scoring
    /// deadline: it no longer counts against its submitter's daily cap (`slotFreed` is false
    /// when its commit had already left the rolling day). Its commit bond came back at reveal.
    event QuotaReleased(
        uint256 indexed submissionId,
        uint256 indexed challengeId,
        address indexed submitter,
        uint64 committedAt,
        bool slotFreed
    );

    error WrongCommitBond(uint256 sent, uint256 required);
    error DailyCapReached(address submitter, uint8 cap, uint256 nextCommitAt);
    error SubmissionIdOverflow(uint256 next);
    error UnknownSubmission(uint256 submissionId);
    error AlreadyRevealed(uint256 submissionId);
    error RevealTooEarly(uint256 submissionId, uint256 commitBlock);
    error RevealWindowClosed(uint256 submissionId, uint64 revealEnd, uint256 now_);
    error CommitmentMismatch(uint256 submissionId, bytes32 expected, bytes32 computed);
    error TooManyParents(uint256 count, uint256 max);
    error WeightsLengthMismatch(uint256 parents, uint256 weights);
    error WeightsDoNotSumToMillion(uint256 sum);
    error ZeroWeight(uint256 index);
    error ParentsNotAscending(uint256 index, uint256 previous, uint256 next);
    error ParentNotRevealedBeforeCommit(uint256 parentId, uint256 childId);
    error NotRevealed(uint256 submissionId);
    error SelfReview(uint256 submissionId, address reviewer);
    error AlreadyReviewed(uint256 submissionId, address reviewer);
    error InvalidVerdict(uint8 verdict);
    error ReviewWindowClosed(uint256 submissionId, uint64 revealEnd, uint256 now_);
    error BondNotForfeitable(uint256 submissionId);
    error EthTransferFailed(address to, uint256 amount);
    /// @notice The challenge has no scoring deadline or no daily cap: nothing to release.
    error QuotaNotProtected(uint256 submissionId, uint256 challengeId);
    error QuotaAlreadyReleased(uint256 submissionId);
    error ScoringDeadlineNotPassed(uint256 submissionId, uint256 dueBy, uint256 now_);
    error SubmissionScored(uint256 submissionId);

    /// @notice Records a commitment in the challenge's open phase; `msg.value` = commit bond.
    /// @return submissionId Increasing with commit order across all challenges.
    function commit(uint256 challengeId, bytes32 commitment)
        external
        payable
        returns (uint256 submissionId);

    /// @notice Reveals a committed submission: only its committer (the commitment and the
    /// stored fingerprint bind it; anyone else fails with `CommitmentMismatch`), from the block
    /// after the commit until the phase's reveal end. Refunds the commit bond.
    /// @param parents Up to 8 revealed submissions (any challenge), strictly ascending ids,
    /// each revealed before this submission was committed.
    /// @param weightsPpm Parts per million per parent, summing to 1,000,000 when parents exist.
    function reveal(
        uint256 submissionId,
        string calldata artifactCid,
        uint256[] calldata parents,
        uint32[] calldata weightsPpm,
        bytes32 salt
    ) external;

    /// @notice One review per reviewer per revealed submission, not by its submitter, until
    /// the phase's reveal end. Verdict: 1 approve, 2 concern, 3 reject.
    function review(uint256 submissionId, uint8 verdict, string calldata reviewCid) external;

    /// @notice After the reveal end, sends an unrevealed submission's bond to the challenge owner.
    function forfeitBond(uint256 submissionId) external;

    /// @notice Anyone, after the challenge's scoring deadline has passed since the reveal of a
    /// submission the oracles never scored: takes its commit out of its submitter's daily cap.
    /// Once per submission; only in challenges with a cap and a scoring deadline.
    function releaseQuota(uint256 submissionId) external;

    /// @notice The commit and reveal times the book keeps for quota protection (0 when not
    /// kept: the commit time only in capped challenges, both only with a scoring deadline)
    /// and whether the quota was released.
    function quotaTimesOf(uint256 submissionId)
        external
        view
        returns (uint64 committedAt, uint64 revealedAt, bool released);

    function submissionCount() external view returns (uint256);
    function getSubmission(uint256 submissionId) external view returns (Submission memory);
    /// @notice Who submitted (zero while pending), where, and whether it is revealed: what
    /// scoring a submission needs, read from one storage slot.
    function summaryOf(uint256 submissionId)
        external
        view
        returns (address submitter, uint32 challengeId, uint32 phase, bool revealed);
    function hasReviewed(uint256 submissionId, address reviewer) external view returns (bool);
    function bondOf(uint256 submissionId) external view returns (uint256);
    /// @notice The commitment a submitter must send for these reveal values.
    function computeCommitment(
        uint256 challengeId,
        address submitter,
        string calldata artifactCid,
        uint256[] calldata parents,
        uint32[] calldata weightsPpm,
        bytes32 salt
    ) external view returns (bytes32);
}
