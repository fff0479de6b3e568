// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Challenges, their phases, their oracle sets and their holdout commitments
/// @notice A challenge is a data-science task with an escrowed bounty. Each phase is one
/// version of its figure of merit (spec CID) with its own commit/reveal window, holdout
/// commitment and share of the bounty. Adding a phase never changes an older one.
import {IRewardVault} from "./IRewardVault.sol";

interface IChallengeRegistry {
    /// @notice Everything fixed when a challenge is created. The judges (oracles, quorum,
    /// arbiter) can be changed later with `setOracles`, for phases whose commits open at least
    /// `noticePeriod` after the change.
    struct ChallengeConfig {
        address token; // ERC-20 the bounty is paid in
        uint256 bounty; // escrowed at creation, pulled from the owner by the RewardVault
        address[] oracles; // strictly ascending, no zero address
        uint8 quorum; // signatures needed, 1..oracles.length
        uint32 disputeWindow; // seconds between a rewards root and its first claim, 5 min..30 days
        uint256 disputeBond; // wei a disputer locks, at most MAX_DISPUTE_BOND (1 ether)
        address arbiter; // decides disputes (not the zero address)
        uint32 noticePeriod; // seconds between announcing a change (judges, a phase) and its start
        uint8 dailyCap; // commits per address per rolling day, 0 = no cap, at most 6
        uint256 commitBond; // wei locked by each commit, refunded on reveal (< 2**96)
        uint256 parentChallenge; // 0, or the challenge this one forks
        // Seconds the oracles have to score a revealed submission; past it, a submission they
        // never scored frees its daily-cap slot (SubmissionBook.releaseQuota). 0 = off, else
        // MIN_SCORING_DEADLINE..MAX_SCORING_DEADLINE.
        uint32 scoringDeadline;
        // At most this many seconds a phase's windows may be extended, once, after an oracle
        // outage in its last day of commits (extendForOutage). 0 = never; needs a scoring
        // deadline; at most MAX_OUTAGE_EXTENSION.
        uint32 maxOutageExtension;
    }

    /// @notice One version of the challenge's figure of merit: its spec, how it is judged, its
    /// windows, its holdout, its money. Fixed when the phase is added, never changed.
    struct PhaseConfig {
        string specCid; // JSON spec on IPFS (metric, dataset version, scorer, limits, split...)
        bool higherIsBetter;
        int256 baseline; // WAD score the crowd starts from
        int256 target; // WAD score that earns the whole improvement pool
        uint256 eta; // WAD ladder step (0 < eta <= |target - baseline|): public scores are multiples
        uint64 commitStart;
        uint64 commitEnd;
        uint64 revealEnd;
        bytes32 holdoutCommitment; // keccak256(abi.encode(labelsDigest, keccak256(splitSalt)))
        uint256 bounty; // this phase's share of the escrow
    }

    /// @notice getChallenge output. Storage keeps the fields commits and reveals read in one slot.
    struct Challenge {
        address owner;
        uint8 quorum;
        uint8 dailyCap;
        uint32 disputeWindow;
        uint32 configVersion; // the newest announced version of the judges
        uint32 noticePeriod;
        address token;
        uint32 phaseCount;
        address arbiter; // of the newest announced version
        uint256 commitBond;
        bytes32 specHash;
        bytes32 configDigest;
        uint256 bounty; // total escrowed so far (creation + top-ups)
        uint256 allocated; // sum of the phases' bounties
        uint256 disputeBond;
        uint256 parentChallenge;
        uint32 scoringDeadline;
        uint32 maxOutageExtension;
    }

    /// @notice One version of a challenge's judges: in force for every phase whose commits
    /// open at or after `activeFrom` (until a newer version takes over).
    struct Judges {
        bytes32 configDigest; // what oracles sign under (computeConfigDigest)
        uint64 activeFrom;
        uint8 quorum;
        address arbiter;
    }

    /// @notice A phase as stored: the first slot holds what scoring and reveals read.
    struct Phase {
        uint64 commitStart;
        uint64 commitEnd;
        uint64 revealEnd;
        bool holdoutRevealed;
        bool higherIsBetter;
        uint32 correction; // corrections published for this phase (0: none)
        bytes32 specHash;
        bytes32 holdoutCommitment;
        int256 baseline;
        int256 target;
        uint256 eta;
        uint256 bounty;
    }

    /// @notice A challenge was created and its bounty escrowed.
    event ChallengeCreated(
        uint256 indexed challengeId, address indexed owner, ChallengeConfig config, string specCid
    );
    /// @notice A phase (phase 0 at creation) was appended to a challenge.
    event PhaseAdded(
        uint256 indexed challengeId, uint32 indexed phase, PhaseConfig config, uint256 topUp
    );
    /// @notice A version of the judges was announced (version 1 at creation): it judges the
    /// phases whose commits open at or after `activeFrom`; older phases keep theirs.
    event OraclesRotated(
        uint256 indexed challengeId,
        uint32 configVersion,
        address[] oracles,
        uint8 quorum,
        bytes32 configDigest,
        address arbiter,
        uint64 activeFrom
    );
    /// @notice Someone (`revealer`: the owner, an oracle, anyone holding the secret) revealed a
    /// phase's holdout labels and split salt.
    event HoldoutRevealed(
        uint256 indexed challengeId,
        uint32 indexed phase,
        string labelsCid,
        bytes32 labelsDigest,
        bytes32 splitSalt,
        address revealer
    );
    /// @notice The owner corrected a phase's scorer and/or labels (correction number
    /// `correction`, counting from 1). `scorerCid` is the corrected scorer ("" = unchanged);
    /// `holdoutCommitment` the corrected labels' commitment (zero = unchanged; otherwise the
    /// holdout must be revealed again against it); `reasonCid` the reason's text on IPFS.
    /// Scores posted under an older correction no longer count; a posted, not yet claimable
    /// rewards root of the phase was voided (`RewardsVoidedByCorrection`).
    event CorrectionPublished(
        uint256 indexed challengeId,
        uint32 indexed phase,
        uint32 correction,
        string scorerCid,
        bytes32 holdoutCommitment,
        string reasonCid
    );
    /// @notice The deployer bound the RewardVault that escrows every bounty.
    event VaultBound(address vault);
    /// @notice An oracle outage in a phase's last day of commits: `waitingSubmissionId`, revealed
    /// at `revealedAt`, had waited `outage` seconds unscored (past the scoring deadline), so
    /// both windows of the phase moved `extension` seconds later (the outage, capped at the
    /// challenge's maxOutageExtension). Once per phase.
    event PhaseExtended(
        uint256 indexed challengeId,
        uint32 indexed phase,
        uint256 indexed waitingSubmissionId,
        uint64 revealedAt,
        uint64 outage,
        uint64 extension,
        uint64 commitEnd,
        uint64 revealEnd
    );

    error UnknownChallenge(uint256 challengeId);
    error UnknownPhase(uint256 challengeId, uint32 phase, uint32 phaseCount);
    error NotChallengeOwner(uint256 challengeId, address caller, address owner);
    error InvalidOracleSet(uint256 oracleCount, uint8 quorum);
    error OraclesNotSorted(uint256 index, address previous, address next);
    error InvalidScoreRange(int256 baseline, int256 target, bool higherIsBetter);
    error InvalidEta(uint256 eta);
    error EtaExceedsScoreRange(uint256 eta, uint256 range);
    error TooManyPhases(uint256 challengeId, uint32 maxPhases);
    error InvalidDailyCap(uint8 dailyCap, uint8 maxDailyCap);
    error InvalidArbiter();
    error InvalidToken();
    error InvalidWindows(uint64 commitStart, uint64 commitEnd, uint64 revealEnd, uint64 notBefore);
    /// @notice A phase must end in the future, open within MAX_PHASE_LEAD and last at most
    /// MAX_PHASE_LENGTH.
    error WindowsOutOfRange(uint64 commitStart, uint64 revealEnd, uint256 now_);
    error InvalidDisputeWindow(uint32 disputeWindow, uint32 min, uint32 max);
    error DisputeBondTooHigh(uint256 disputeBond, uint256 max);
    error InvalidNoticePeriod(uint32 noticePeriod, uint32 min, uint32 max);
    error ScoreOutOfRange(int256 score, int256 min, int256 max);
    error PhaseBountyExceedsEscrow(uint256 requested, uint256 unallocated);
    error HoldoutTooEarly(uint256 challengeId, uint32 phase, uint64 revealEnd, uint256 now_);
    error HoldoutAlreadyRevealed(uint256 challengeId, uint32 phase);
    error HoldoutMismatch(bytes32 expected, bytes32 computed);
    error NoOpenPhase(uint256 challengeId, uint256 now_);
    /// @notice A later phase's commits open at the earliest a notice period after it is added.
    error PhaseNoticeTooShort(uint256 challengeId, uint64 commitStart, uint256 earliest);
    error NotDeployer(address caller, address deployer);
    error VaultAlreadyBound(address vault);
    error VaultNotBound();
    error ChallengeClosed(uint256 challengeId);
    error ChallengeIdOverflow(uint256 next);
    error InvalidScoringDeadline(uint32 scoringDeadline, uint32 min, uint32 max);
    /// @notice An extension needs a scoring deadline and stays within MAX_OUTAGE_EXTENSION.
    error InvalidOutageExtension(uint32 maxOutageExtension, uint32 scoringDeadline, uint32 max);
    error OutageExtensionOff(uint256 challengeId);
    error PhaseAlreadyExtended(uint256 challengeId, uint32 phase, uint64 extension);
    /// @notice Only the newest phase can be extended (a later one starts at its reveal end).
    error LaterPhaseExists(uint256 challengeId, uint32 phase, uint32 phaseCount);
    error PhaseOver(uint256 challengeId, uint32 phase, uint64 revealEnd, uint256 now_);
    error SubmissionNotInPhase(uint256 submissionId, uint256 challengeId, uint32 phase);
    /// @notice The submission has no recorded reveal (not revealed yet) or was scored.
    error SubmissionNotWaiting(uint256 submissionId);
    error OutageTooShort(uint256 submissionId, uint256 waited, uint32 scoringDeadline);
    /// @notice The submission's wait did not reach into the last day of commits (it was
    /// revealed after the commit end, or that day has not begun).
    error OutageNotInLastDay(
        uint256 submissionId, uint64 revealedAt, uint64 commitEnd, uint256 now_
    );
    /// @notice A correction names no corrected scorer and no corrected labels.
    error EmptyCorrection(uint256 challengeId, uint32 phase);
    /// @notice A correction without the CID of its reason's text.
    error EmptyCorrectionReason(uint256 challengeId, uint32 phase);

    /// @notice Creates a challenge with its phase 0 and escrows `config.bounty` of `config.token`.
    /// @dev The owner must have approved the RewardVault for `config.bounty` first.
    /// @return challengeId The new challenge's id (ids start at 1).
    function createChallenge(
        ChallengeConfig calldata config,
        string calldata specCid,
        PhaseConfig calldata phase0
    ) external returns (uint256 challengeId);

    /// @notice Appends a phase (a new metric, direction, baseline, target, eta, dataset or
    /// scorer); older phases stay as they were. Its commits open at the earliest the
    /// challenge's notice period from now, after the previous phase's reveal end.
    /// @param topUp Extra bounty escrowed now (approve the RewardVault first); may be 0.
    function addPhase(uint256 challengeId, PhaseConfig calldata config, uint256 topUp)
        external
        returns (uint32 phase);

    /// @notice Announces a new version of the judges (oracle set, quorum, arbiter): it judges
    /// the phases whose commits open at or after `activeFrom` = now + the notice period. A
    /// phase whose commits are open (or over) keeps the judges it opened with.
    function setOracles(
        uint256 challengeId,
        address[] calldata oracles,
        uint8 quorum,
        address arbiter
    ) external returns (uint64 activeFrom);

    /// @notice Reveals a phase's holdout after its reveal end; checked against the commitment,
    /// so anyone holding the secret may call it (the oracles do when the owner does not).
    function revealHoldout(
        uint256 challengeId,
        uint32 phase,
        string calldata labelsCid,
        bytes32 labelsDigest,
        bytes32 splitSalt
    ) external;

    /// @notice The owner publishes a correction of a phase's scorer (`scorerCid`) and/or labels
    /// (`holdoutCommitment` of the corrected labels), with the reason's text on IPFS. Refused
    /// once the phase's rewards root is claimable or disputed (RewardVault errors); voids a
    /// posted root still in its dispute window. The oracles then rescore every submission of
    /// the phase under the new correction number.
    /// @return correction The correction's number (1 for the first of the phase).
    function publishCorrection(
        uint256 challengeId,
        uint32 phase,
        string calldata scorerCid,
        bytes32 holdoutCommitment,
        string calldata reasonCid
    ) external returns (uint32 correction);

    function challengeCount() external view returns (uint256);
    function getChallenge(uint256 challengeId) external view returns (Challenge memory);
    function getPhase(uint256 challengeId, uint32 phase) external view returns (Phase memory);
    /// @notice The phase whose commit window contains `block.timestamp`; reverts if none.
    function openPhase(uint256 challengeId) external view returns (uint32 phase, Phase memory);
    /// @notice What a commit needs, read in one call: the open phase, the cap, the bond and
    /// whether the book records times for quota protection (a scoring deadline is set).
    function commitRules(uint256 challengeId)
        external
        view
        returns (uint32 phase, uint8 dailyCap, uint256 commitBond, bool quotaProtected);
    /// @notice What a reveal or review needs: the phase's reveal end, the commit bond and
    /// whether quota protection is on.
    function revealRules(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint64 revealEnd, uint256 commitBond, bool quotaProtected);
    /// @notice The challenge's quota protection: the oracles' scoring deadline and the cap on
    /// an outage extension (seconds; 0 = off), and how far a phase was extended (0: never).
    function quotaRules(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint32 scoringDeadline, uint32 maxOutageExtension, uint64 extension);
    /// @notice Anyone, when the oracles left `waitingSubmissionId` (revealed in the phase's
    /// last day of commits or before) unscored for at least the scoring deadline and the wait
    /// reaches into that last day: moves the phase's commit end and reveal end later by the
    /// wait so far, capped at maxOutageExtension. Once per phase, only for the newest phase,
    /// until its reveal end.
    function extendForOutage(uint256 challengeId, uint32 phase, uint256 waitingSubmissionId)
        external
        returns (uint64 extension);
    /// @notice What scoring needs: the phase's ladder step, direction, reveal end and the
    /// correction scores must be posted under.
    function scoringRules(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint256 eta, bool higherIsBetter, uint64 revealEnd, uint32 correction);
    /// @notice What the RewardVault needs: token, owner, dispute rules, phase count.
    function payoutRules(uint256 challengeId)
        external
        view
        returns (
            address token,
            address owner,
            uint32 disputeWindow,
            uint256 disputeBond,
            uint32 phaseCount
        );
    /// @notice The judges of a phase: the newest version in force when its commits open.
    function phaseJudges(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint32 version, Judges memory judges);
    /// @notice Whether `account` is an oracle of version `version` of the judges.
    function isOracleAt(uint256 challengeId, uint32 version, address account)
        external
        view
        returns (bool);
    /// @notice The oracles of version `version` of the judges, ascending.
    function oraclesAt(uint256 challengeId, uint32 version) external view returns (address[] memory);
    /// @notice The vault that escrows bounties, bound once by the deployer.
    function vault() external view returns (IRewardVault);
    /// @notice Binds the RewardVault (which needs this registry's address) once, by the deployer.
    function bindVault(IRewardVault vault_) external;
    /// @notice keccak256(abi.encode(challengeId, configVersion, oracles, quorum)).
    function computeConfigDigest(
        uint256 challengeId,
        uint32 configVersion,
        address[] calldata oracles,
        uint8 quorum
    ) external pure returns (bytes32);
}
