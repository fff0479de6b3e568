// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Escrow of challenge bounties, quorum-posted reward roots, disputes and pull claims
/// @notice Oracles post one Merkle root per phase; leaves are OpenZeppelin StandardMerkleTree
/// leaves of `(address account, uint256 amount)`. Claims open after the dispute window and
/// never pay out more than the root's signed total. A disputer with a bond and a reason can
/// have the phase's arbiter void a root before that; a dispute the arbiter leaves open lapses.
/// While a dispute is open the window stops, and it resumes if the root stands; each account
/// disputes a root once.
import {IOracleQuorum} from "./IOracleQuorum.sol";
import {IScoreBoard} from "./IScoreBoard.sol";

interface IRewardVault is IOracleQuorum {
    /// @notice The header oracles sign (EIP-712 `RewardRoot`).
    struct RewardRoot {
        uint256 challengeId;
        uint32 phase;
        uint32 correction; // the phase's correction the rewards were computed under
        uint64 seq;
        bytes32 configDigest;
        bytes32 merkleRoot;
        uint256 total;
        bytes32 reportCidHash; // keccak256(bytes(reportCid))
    }

    enum RootState {
        None,
        Posted,
        Disputed,
        Voided
    }

    /// @notice getRoot output: a phase's current root.
    struct RootRecord {
        bytes32 merkleRoot;
        uint256 total;
        uint64 seq;
        uint64 claimableAt;
        RootState state;
        address disputer; // who disputed this root last (zero if nobody did)
        uint256 disputeBond; // wei held for an open dispute
        uint256 claimed; // sum of the claims paid under this root, never above total
        uint64 arbiterDeadline; // the last dispute lapses at this time (0 if never disputed)
        uint32 windowLeft; // seconds of dispute window left when the last dispute was filed
        uint64 voidedAt; // when the arbiter or a correction voided this root (0 unless voided)
    }

    /// @notice A correction of the phase (number `correction`) voided its posted root before
    /// its claims opened; the oracles post a new one computed under the correction.
    event RewardsVoidedByCorrection(
        uint256 indexed challengeId, uint32 indexed phase, bytes32 merkleRoot, uint32 correction
    );
    event BountyEscrowed(uint256 indexed challengeId, address indexed from, uint256 amount);
    event RewardsPosted(
        uint256 indexed challengeId,
        uint32 indexed phase,
        uint64 seq,
        bytes32 merkleRoot,
        uint256 total,
        string reportCid,
        uint64 claimableAt
    );
    event RewardsDisputed(
        uint256 indexed challengeId,
        uint32 indexed phase,
        address indexed disputer,
        uint256 bond,
        string reasonCid
    );
    /// @notice `claimableAt`: when the root's claims open now that its window resumed (0
    /// when upheld: the root is voided).
    event DisputeResolved(
        uint256 indexed challengeId,
        uint32 indexed phase,
        bool upheld,
        address arbiter,
        uint64 claimableAt
    );
    /// @notice The arbiter did not decide before its deadline: the root stands (its window
    /// resumes, claims open at `claimableAt`), the bond goes back to the disputer.
    event DisputeLapsed(
        uint256 indexed challengeId,
        uint32 indexed phase,
        address indexed disputer,
        uint256 bond,
        uint64 claimableAt
    );
    /// @dev `phase` is not indexed: filter by challenge or account (one topic less per claim).
    event Claimed(
        uint256 indexed challengeId, uint32 phase, address indexed account, uint256 amount
    );
    event RemainderRefunded(uint256 indexed challengeId, address indexed owner, uint256 amount);
    event BondCredited(address indexed account, uint256 amount);
    event BondWithdrawn(address indexed account, uint256 amount);

    error OnlyRegistry(address caller);
    error EscrowAmountMismatch(address token, uint256 requested, uint256 received);
    error HoldoutNotRevealed(uint256 challengeId, uint32 phase, uint64 postableWithoutAt);
    error PrivateScoresNotRevealed(
        uint256 challengeId, uint32 phase, uint32 batches, uint32 opened
    );
    error ChallengeClosed(uint256 challengeId);
    /// @notice Roots of a phase take increasing sequence numbers.
    error StaleRewardSeq(uint256 challengeId, uint32 phase, uint64 seq, uint64 phaseSeq);
    error RootAlreadyPosted(uint256 challengeId, uint32 phase, RootState state);
    error RewardsExceedPhaseBounty(uint256 total, uint256 phaseBounty);
    error RewardsExceedEscrow(uint256 total, uint256 available);
    error ReportCidMismatch(bytes32 signed, bytes32 computed);
    error NotDisputable(uint256 challengeId, uint32 phase, RootState state);
    error DisputeWindowClosed(uint256 challengeId, uint32 phase, uint64 claimableAt);
    /// @notice `disputer` already disputed this root once.
    error AlreadyDisputed(uint256 challengeId, uint32 phase, address disputer);
    error EmptyDisputeReason(uint256 challengeId, uint32 phase);
    error WrongDisputeBond(uint256 sent, uint256 required);
    error NotDisputed(uint256 challengeId, uint32 phase, RootState state);
    error NotArbiter(address caller, address arbiter);
    error ArbiterDeadlinePassed(uint256 challengeId, uint32 phase, uint64 arbiterDeadline);
    error DisputeNotLapsed(uint256 challengeId, uint32 phase, uint64 arbiterDeadline);
    error ClaimsNotOpen(uint256 challengeId, uint32 phase, uint64 claimableAt, RootState state);
    error AlreadyClaimed(uint256 challengeId, uint32 phase, address account);
    error InvalidProof(address account, uint256 amount);
    error ClaimExceedsRootTotal(
        uint256 challengeId, uint32 phase, uint256 claimed, uint256 amount, uint256 total
    );
    /// @notice The phase may still change what it allocates until `settledAt` (max: while
    /// its root is disputed).
    error PhaseNotSettled(uint256 challengeId, uint32 phase, RootState state, uint64 settledAt);
    error NotChallengeOwner(uint256 challengeId, address caller, address owner);
    error AlreadyRefunded(uint256 challengeId);
    error NothingToWithdraw(address account);
    /// @notice A phase whose root's claims are open (since `claimableAt`) cannot be corrected;
    /// what is wrong with it then goes through the dispute path of a later phase or off chain.
    error CorrectionAfterClaimsOpened(uint256 challengeId, uint32 phase, uint64 claimableAt);
    /// @notice A phase whose root is under dispute is corrected only after the arbiter decides
    /// (or the dispute lapses).
    error CorrectionDuringDispute(uint256 challengeId, uint32 phase, uint64 arbiterDeadline);
    /// @notice A root signed under another correction than the phase's current one.
    error WrongCorrection(uint256 challengeId, uint32 phase, uint32 signed, uint32 current);
    error EthTransferFailed(address to, uint256 amount);

    /// @notice Pulls `amount` of the challenge token from `from` into escrow. Registry only.
    /// @dev Reverts `EscrowAmountMismatch` unless the vault's balance grows by exactly
    /// `amount`: fee-on-transfer tokens cannot be a reward token.
    function escrow(uint256 challengeId, address token, address from, uint256 amount) external;

    /// @notice Posts a phase's rewards root signed by a quorum of the phase's judges, once
    /// every score batch's private scores and the holdout are revealed (or HOLDOUT_DEADLINE
    /// after the reveal end passed without the holdout). Its seq must exceed the phase's
    /// previous root's.
    /// @param signatures 65-byte signatures, signers strictly ascending.
    function postRewards(
        RewardRoot calldata root,
        string calldata reportCid,
        bytes[] calldata signatures
    ) external;

    /// @notice Voids the phase's posted root (if any, before its claims open) for correction
    /// number `correction`; refuses once claims are open or while a dispute is open, or once
    /// the challenge is closed. Registry only (`publishCorrection`).
    function voidForCorrection(uint256 challengeId, uint32 phase, uint32 correction) external;

    /// @notice Disputes a posted root before its claims open; `msg.value` must equal the bond,
    /// `reasonCid` must not be empty, and each account disputes a root once. One dispute is
    /// open at a time; the window stops while it is open.
    function dispute(uint256 challengeId, uint32 phase, string calldata reasonCid) external payable;

    /// @notice The phase's arbiter upholds (root voided, oracles repost) or rejects (bond
    /// forfeited to the owner, the window resumes), before the arbiter deadline
    /// (`ARBITER_PERIOD` after the dispute).
    function resolveDispute(uint256 challengeId, uint32 phase, bool uphold) external;

    /// @notice From the arbiter deadline on, anyone may end an undecided dispute: the root
    /// stands (the window resumes with what was left of it) and the bond is credited back to
    /// the disputer.
    function lapseDispute(uint256 challengeId, uint32 phase) external;

    /// @notice Pays `account` its leaf amount once, after the dispute window. Anyone may relay.
    /// Each leaf pays once; the claims under a root never add up to more than its total.
    function claim(
        uint256 challengeId,
        uint32 phase,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external;

    /// @notice The owner (only) takes back what no root has allocated and closes the challenge
    /// (no more roots or phases), once every phase is settled: its root's claims are open, or
    /// its root was voided 30 days ago and not reposted, or it has had no root for 30 days
    /// after its reveal end.
    function refundRemainder(uint256 challengeId) external;

    /// @notice Withdraws dispute bonds credited to the caller (returned or forfeited to it).
    function withdrawBonds() external;

    /// @notice The ScoreBoard whose private-score reveals gate the roots.
    function scoreBoard() external view returns (IScoreBoard);
    function getRoot(uint256 challengeId, uint32 phase) external view returns (RootRecord memory);
    /// @notice Whether the leaf `(account, amount)` of the phase's current root was claimed
    /// (false when the phase has no root). Claims are marked per leaf, at the leaf's place in
    /// the tree, so the proof is needed to find the mark.
    /// @dev Reverts `InvalidProof` when the proof does not lead to the phase's current root.
    function isClaimed(
        uint256 challengeId,
        uint32 phase,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external view returns (bool);
    /// @notice Whether `account` disputed the phase's current root (each account may once).
    function hasDisputed(uint256 challengeId, uint32 phase, address account)
        external
        view
        returns (bool);
    /// @notice Tokens held for a challenge: escrowed − claimed − refunded.
    function escrowBalance(uint256 challengeId) external view returns (uint256);
    /// @notice What a new root may still allocate: escrowed − live roots' totals − refunded.
    function unallocated(uint256 challengeId) external view returns (uint256);
    function isClosed(uint256 challengeId) external view returns (bool);
    function bondCredit(address account) external view returns (uint256);
    /// @notice The EIP-712 digest oracles sign for `root`.
    function rewardRootDigest(RewardRoot calldata root) external view returns (bytes32);
}
