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

    /// @notice A team was proposed for a challenge; the proposer consented by proposing.
    event TeamProposed(
        uint256 indexed teamId,
        uint256 indexed challengeId,
        address indexed proposer,
        address[] members,
        uint32[] sharesPpm
    );
    /// @notice A member consented to a proposed team.
    event TeamConsent(uint256 indexed teamId, address indexed member);
    /// @notice Every member consented: from now on they share one daily cap, which already
    /// counts their `combinedSubmissions` in the challenge.
    event TeamFormed(
        uint256 indexed teamId, uint256 indexed challengeId, uint256 combinedSubmissions
    );
    /// @notice Formed team `teamId` retired: all its members consented to the formed team
    /// `intoTeamId` (emitted just before its `TeamFormed`), which took over its cap.
    event TeamMerged(uint256 indexed teamId, uint256 indexed intoTeamId);

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
    error InvalidTeamSize(uint256 members, uint256 min, uint256 max);
    error TeamSharesLengthMismatch(uint256 members, uint256 shares);
    error MembersNotAscending(uint256 index, address previous, address next);
    error ZeroTeamShare(uint256 index);
    error TeamSharesDoNotSumToMillion(uint256 sum);
    error NotATeamMember(uint256 teamId, address account);
    error UnknownTeam(uint256 teamId);
    error TeamAlreadyFormed(uint256 teamId);
    error AlreadyConsented(uint256 teamId, address member);
    /// @notice A proposal holding a member of a formed team must hold all of its members
    /// (two formed teams merge whole): `member` of `teamId` is missing.
    error MergeLeavesOutMember(uint256 teamId, address member);
    /// @notice Merging would put more submissions in one cap than it allows for the days so
    /// far (cap × days since the challenge's first commit window opened, counting today).
    error TeamOverCap(uint256 teamId, uint256 combinedSubmissions, uint256 allowed);

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

    /// @notice Proposes a team for a challenge: 2 to MAX_TEAM_SIZE members, strictly
    /// ascending, the caller among them, each with a reward share in ppm (summing to
    /// 1,000,000). The caller consents by proposing; the team forms when every member has
    /// sent `joinTeam`. Members may be individuals or whole formed teams: forming merges
    /// those teams into the new one (`TeamMerged`).
    function proposeTeam(
        uint256 challengeId,
        address[] calldata members,
        uint32[] calldata sharesPpm
    ) external returns (uint256 teamId);

    /// @notice A member's consent. The last one forms the team: its members then share one
    /// daily cap, allowed only while their combined commits in the challenge (summed over
    /// the individuals and the merged teams) are at most the cap times the days so far (a
    /// merge cannot launder extra submissions). A formed team in it must be there whole
    /// (`MergeLeavesOutMember`); its members' `teamOf` moves to the new team.
    function joinTeam(uint256 teamId) external;

    /// @notice The formed team an account belongs to in a challenge (0: none): its newest,
    /// after merges.
    function teamOf(uint256 challengeId, address account) external view returns (uint256);

    function getTeam(uint256 teamId)
        external
        view
        returns (
            uint256 challengeId,
            address[] memory members,
            uint32[] memory sharesPpm,
            bool formed
        );

    /// @notice Commits counted against the account's cap in a capped challenge (its team's,
    /// once in a team), less released ones.
    function capCommits(uint256 challengeId, address account) external view returns (uint256);

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
