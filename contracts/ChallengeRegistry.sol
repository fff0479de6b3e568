// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "./interfaces/IRewardVault.sol";
import {IScoreBoard} from "./interfaces/IScoreBoard.sol";
import {ISubmissionBook} from "./interfaces/ISubmissionBook.sol";

/// @dev The ScoreBoard's public `book` getter: how the registry finds the book of the vault's board.
interface IBookHolder {
    function book() external view returns (ISubmissionBook);
}

/// @title ChallengeRegistry
/// @notice Stores challenges, their versioned phases (each with its own figure of merit:
/// spec, direction, baseline, target, eta; announced a notice period ahead), their judges (oracle set, quorum and
/// arbiter, versioned) and holdout commitments. Full CIDs and configs live in events; storage
/// keeps their hashes. A phase is judged by the judges in force when its commits open; a new
/// set of judges takes effect a notice period after it is announced, so it never reaches a
/// phase whose commits are open.
contract ChallengeRegistry is IChallengeRegistry {
    uint8 public constant MAX_DAILY_CAP = 6;
    uint256 public constant MAX_ORACLES = 32;
    /// @notice Phase indexes fit 16 bits in a submission's storage slot.
    uint32 public constant MAX_PHASES = 1 << 16;
    /// @notice Bounds on the owner's parameters (docs/security.md): none may lock the escrow
    /// or silently remove a protection.
    uint32 public constant MIN_DISPUTE_WINDOW = 5 minutes;
    uint32 public constant MAX_DISPUTE_WINDOW = 30 days;
    uint256 public constant MAX_DISPUTE_BOND = 1 ether;
    uint32 public constant MIN_NOTICE_PERIOD = 1 days;
    uint32 public constant MAX_NOTICE_PERIOD = 90 days;
    /// @notice A phase opens at most this far ahead and lasts at most this long.
    uint64 public constant MAX_PHASE_LEAD = 365 days;
    uint64 public constant MAX_PHASE_LENGTH = 365 days;
    /// @notice Bounds on the quota protection (docs/participant.md, "No quota lost").
    uint32 public constant MIN_SCORING_DEADLINE = 10 minutes;
    uint32 public constant MAX_SCORING_DEADLINE = 7 days;
    uint32 public constant MAX_OUTAGE_EXTENSION = 7 days;

    /// @dev A challenge in storage. The first slot holds everything a commit or a reveal
    /// reads (the phase count doubles as the existence check: every challenge has phase 0).
    struct Record {
        uint96 commitBond;
        uint32 phaseCount;
        uint8 dailyCap;
        uint8 quorum;
        uint32 disputeWindow;
        uint32 configVersion;
        uint32 noticePeriod;
        bool quotaProtected;
        address owner;
        uint32 scoringDeadline;
        uint32 maxOutageExtension;
        address token;
        address arbiter;
        bytes32 specHash;
        bytes32 configDigest;
        uint256 bounty;
        uint256 allocated;
        uint256 disputeBond;
        uint256 parentChallenge;
    }

    address private immutable _deployer;
    IRewardVault private _vault;

    uint256 private _challengeCount;
    mapping(uint256 challengeId => Record) private _challenges;
    mapping(uint256 challengeId => mapping(uint32 phase => Phase)) private _phases;
    /// @dev Every version of a challenge's judges (versions start at 1).
    mapping(uint256 challengeId => mapping(uint32 version => Judges)) private _judges;
    mapping(uint256 challengeId => mapping(uint32 version => address[])) private _oracles;
    mapping(uint256 challengeId => mapping(uint32 version => mapping(address => bool))) private
        _isOracleAt;
    /// @dev How far a phase's windows were extended after an outage (0: never).
    mapping(uint256 challengeId => mapping(uint32 phase => uint64)) private _extensions;

    constructor() {
        _deployer = msg.sender;
    }

    modifier onlyOwnerOf(uint256 challengeId) {
        address owner = _challenges[challengeId].owner;
        if (owner == address(0)) revert UnknownChallenge(challengeId);
        if (msg.sender != owner) revert NotChallengeOwner(challengeId, msg.sender, owner);
        _;
    }

    /// @inheritdoc IChallengeRegistry
    function bindVault(IRewardVault vault_) external {
        if (msg.sender != _deployer) revert NotDeployer(msg.sender, _deployer);
        if (address(_vault) != address(0)) revert VaultAlreadyBound(address(_vault));
        _vault = vault_;
        emit VaultBound(address(vault_));
    }

    /// @inheritdoc IChallengeRegistry
    function vault() external view returns (IRewardVault) {
        return _vault;
    }

    /// @inheritdoc IChallengeRegistry
    function createChallenge(
        ChallengeConfig calldata config,
        string calldata specCid,
        PhaseConfig calldata phase0
    ) external returns (uint256 challengeId) {
        _checkConfig(config);
        IRewardVault vault_ = _boundVault();
        challengeId = ++_challengeCount;
        // Submissions store the challenge id in 32 bits.
        if (challengeId > type(uint32).max) revert ChallengeIdOverflow(challengeId);
        Record storage c = _challenges[challengeId];
        c.commitBond = SafeCast.toUint96(config.commitBond);
        c.dailyCap = config.dailyCap;
        c.disputeWindow = config.disputeWindow;
        c.noticePeriod = config.noticePeriod;
        c.owner = msg.sender;
        c.token = config.token;
        c.specHash = keccak256(bytes(specCid));
        c.bounty = config.bounty;
        c.disputeBond = config.disputeBond;
        c.parentChallenge = config.parentChallenge;
        c.quotaProtected = config.scoringDeadline != 0;
        c.scoringDeadline = config.scoringDeadline;
        c.maxOutageExtension = config.maxOutageExtension;
        emit ChallengeCreated(challengeId, msg.sender, config, specCid);
        _announceJudges(challengeId, c, config.oracles, config.quorum, config.arbiter, 0);
        _appendPhase(challengeId, c, phase0, 0, 0);
        if (config.bounty > 0) vault_.escrow(challengeId, config.token, msg.sender, config.bounty);
    }

    /// @inheritdoc IChallengeRegistry
    function addPhase(uint256 challengeId, PhaseConfig calldata config, uint256 topUp)
        external
        onlyOwnerOf(challengeId)
        returns (uint32 phase)
    {
        IRewardVault vault_ = _boundVault();
        if (vault_.isClosed(challengeId)) revert ChallengeClosed(challengeId);
        Record storage c = _challenges[challengeId];
        Phase storage last = _phases[challengeId][c.phaseCount - 1];
        uint256 earliest = block.timestamp + c.noticePeriod;
        if (config.commitStart < earliest) {
            revert PhaseNoticeTooShort(challengeId, config.commitStart, earliest);
        }
        c.bounty += topUp;
        phase = _appendPhase(challengeId, c, config, last.revealEnd, topUp);
        if (topUp > 0) vault_.escrow(challengeId, c.token, msg.sender, topUp);
    }

    /// @inheritdoc IChallengeRegistry
    function setOracles(
        uint256 challengeId,
        address[] calldata oracles_,
        uint8 quorum_,
        address arbiter_
    ) external onlyOwnerOf(challengeId) returns (uint64 activeFrom) {
        Record storage c = _challenges[challengeId];
        activeFrom = uint64(block.timestamp) + c.noticePeriod;
        _announceJudges(challengeId, c, oracles_, quorum_, arbiter_, activeFrom);
    }

    /// @inheritdoc IChallengeRegistry
    function revealHoldout(
        uint256 challengeId,
        uint32 phase,
        string calldata labelsCid,
        bytes32 labelsDigest,
        bytes32 splitSalt
    ) external {
        Phase storage p = _phaseOf(challengeId, phase);
        if (block.timestamp <= p.revealEnd) {
            revert HoldoutTooEarly(challengeId, phase, p.revealEnd, block.timestamp);
        }
        if (p.holdoutRevealed) revert HoldoutAlreadyRevealed(challengeId, phase);
        bytes32 computed = keccak256(abi.encode(labelsDigest, keccak256(abi.encode(splitSalt))));
        if (computed != p.holdoutCommitment) revert HoldoutMismatch(p.holdoutCommitment, computed);
        p.holdoutRevealed = true;
        emit HoldoutRevealed(challengeId, phase, labelsCid, labelsDigest, splitSalt, msg.sender);
    }

    /// @inheritdoc IChallengeRegistry
    function extendForOutage(uint256 challengeId, uint32 phase, uint256 waitingSubmissionId)
        external
        returns (uint64 extension)
    {
        Record storage c = _challengeOf(challengeId);
        uint32 cap = c.maxOutageExtension;
        if (cap == 0) revert OutageExtensionOff(challengeId);
        uint32 count = c.phaseCount;
        if (phase >= count) revert UnknownPhase(challengeId, phase, count);
        if (phase + 1 != count) revert LaterPhaseExists(challengeId, phase, count);
        uint64 done = _extensions[challengeId][phase];
        if (done != 0) revert PhaseAlreadyExtended(challengeId, phase, done);
        Phase storage p = _phases[challengeId][phase];
        if (block.timestamp > p.revealEnd) {
            revert PhaseOver(challengeId, phase, p.revealEnd, block.timestamp);
        }
        uint64 revealedAt = _waitingSince(challengeId, phase, waitingSubmissionId);
        uint256 waited = block.timestamp - revealedAt;
        if (waited < c.scoringDeadline) {
            revert OutageTooShort(waitingSubmissionId, waited, c.scoringDeadline);
        }
        // Commit ends are far above a day (they are after the creation block's time).
        if (revealedAt >= p.commitEnd || block.timestamp < p.commitEnd - 1 days) {
            revert OutageNotInLastDay(waitingSubmissionId, revealedAt, p.commitEnd, block.timestamp);
        }
        extension = waited < cap ? uint64(waited) : cap;
        p.commitEnd += extension;
        p.revealEnd += extension;
        _extensions[challengeId][phase] = extension;
        emit PhaseExtended(
            challengeId,
            phase,
            waitingSubmissionId,
            revealedAt,
            uint64(waited),
            extension,
            p.commitEnd,
            p.revealEnd
        );
    }

    /// @inheritdoc IChallengeRegistry
    function publishCorrection(
        uint256 challengeId,
        uint32 phase,
        string calldata scorerCid,
        bytes32 holdoutCommitment,
        string calldata reasonCid
    ) external onlyOwnerOf(challengeId) returns (uint32 correction) {
        Phase storage p = _phaseOf(challengeId, phase);
        if (bytes(scorerCid).length == 0 && holdoutCommitment == bytes32(0)) {
            revert EmptyCorrection(challengeId, phase);
        }
        if (bytes(reasonCid).length == 0) revert EmptyCorrectionReason(challengeId, phase);
        correction = p.correction + 1;
        // Refuses once the phase's root is claimable (or disputed), voids it before.
        _boundVault().voidForCorrection(challengeId, phase, correction);
        p.correction = correction;
        if (holdoutCommitment != bytes32(0)) {
            // Corrected labels: the holdout is revealed again, against the new commitment.
            p.holdoutCommitment = holdoutCommitment;
            p.holdoutRevealed = false;
        }
        emit CorrectionPublished(
            challengeId, phase, correction, scorerCid, holdoutCommitment, reasonCid
        );
    }

    /// @inheritdoc IChallengeRegistry
    function quotaRules(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint32 scoringDeadline, uint32 maxOutageExtension, uint64 extension)
    {
        Record storage c = _challengeOf(challengeId);
        return (c.scoringDeadline, c.maxOutageExtension, _extensions[challengeId][phase]);
    }

    /// @inheritdoc IChallengeRegistry
    function challengeCount() external view returns (uint256) {
        return _challengeCount;
    }

    /// @inheritdoc IChallengeRegistry
    function getChallenge(uint256 challengeId) external view returns (Challenge memory) {
        Record storage c = _challengeOf(challengeId);
        return Challenge({
            owner: c.owner,
            quorum: c.quorum,
            dailyCap: c.dailyCap,
            disputeWindow: c.disputeWindow,
            configVersion: c.configVersion,
            noticePeriod: c.noticePeriod,
            token: c.token,
            phaseCount: c.phaseCount,
            arbiter: c.arbiter,
            commitBond: c.commitBond,
            specHash: c.specHash,
            configDigest: c.configDigest,
            bounty: c.bounty,
            allocated: c.allocated,
            disputeBond: c.disputeBond,
            parentChallenge: c.parentChallenge,
            scoringDeadline: c.scoringDeadline,
            maxOutageExtension: c.maxOutageExtension
        });
    }

    /// @inheritdoc IChallengeRegistry
    function getPhase(uint256 challengeId, uint32 phase) external view returns (Phase memory) {
        return _phaseOf(challengeId, phase);
    }

    /// @inheritdoc IChallengeRegistry
    function openPhase(uint256 challengeId) external view returns (uint32 phase, Phase memory) {
        Record storage c = _challengeOf(challengeId);
        phase = _openPhaseIndex(challengeId, c.phaseCount);
        return (phase, _phases[challengeId][phase]);
    }

    /// @inheritdoc IChallengeRegistry
    function commitRules(uint256 challengeId)
        external
        view
        returns (uint32 phase, uint8 dailyCap, uint256 commitBond, bool quotaProtected)
    {
        Record storage c = _challengeOf(challengeId);
        return
            (_openPhaseIndex(challengeId, c.phaseCount), c.dailyCap, c.commitBond, c.quotaProtected);
    }

    /// @inheritdoc IChallengeRegistry
    function revealRules(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint64 revealEnd, uint256 commitBond, bool quotaProtected)
    {
        Record storage c = _challenges[challengeId];
        uint32 count = c.phaseCount;
        if (count == 0) revert UnknownChallenge(challengeId);
        if (phase >= count) revert UnknownPhase(challengeId, phase, count);
        return (_phases[challengeId][phase].revealEnd, c.commitBond, c.quotaProtected);
    }

    /// @inheritdoc IChallengeRegistry
    function scoringRules(uint256 challengeId, uint32 phase)
        external
        view
        returns (uint256 eta, bool higherIsBetter, uint64 revealEnd, uint32 correction)
    {
        Phase storage p = _phaseOf(challengeId, phase);
        return (p.eta, p.higherIsBetter, p.revealEnd, p.correction);
    }

    /// @inheritdoc IChallengeRegistry
    function payoutRules(uint256 challengeId)
        external
        view
        returns (
            address token,
            address owner,
            uint32 disputeWindow,
            uint256 disputeBond,
            uint32 phaseCount
        )
    {
        Record storage c = _challengeOf(challengeId);
        return (c.token, c.owner, c.disputeWindow, c.disputeBond, c.phaseCount);
    }

    /// @inheritdoc IChallengeRegistry
    function phaseJudges(uint256 challengeId, uint32 phase)
        public
        view
        returns (uint32 version, Judges memory judges)
    {
        uint64 commitStart = _phaseOf(challengeId, phase).commitStart;
        // Versions take effect in announcement order: the phase's is the newest in force when
        // its commits open (version 1, in force from creation, always is).
        for (version = _challenges[challengeId].configVersion; version > 1; --version) {
            if (_judges[challengeId][version].activeFrom <= commitStart) break;
        }
        judges = _judges[challengeId][version];
    }

    /// @inheritdoc IChallengeRegistry
    function isOracleAt(uint256 challengeId, uint32 version, address account)
        external
        view
        returns (bool)
    {
        return _isOracleAt[challengeId][version][account];
    }

    /// @inheritdoc IChallengeRegistry
    function oraclesAt(uint256 challengeId, uint32 version)
        external
        view
        returns (address[] memory)
    {
        return _oracles[challengeId][version];
    }

    /// @inheritdoc IChallengeRegistry
    function computeConfigDigest(
        uint256 challengeId,
        uint32 configVersion,
        address[] calldata oracles_,
        uint8 quorum_
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(challengeId, configVersion, oracles_, quorum_));
    }

    function _checkConfig(ChallengeConfig calldata config) private view {
        if (config.token.code.length == 0) revert InvalidToken();
        if (config.dailyCap > MAX_DAILY_CAP) {
            revert InvalidDailyCap(config.dailyCap, MAX_DAILY_CAP);
        }
        if (config.parentChallenge != 0 && _challenges[config.parentChallenge].phaseCount == 0) {
            revert UnknownChallenge(config.parentChallenge);
        }
        if (config.disputeWindow < MIN_DISPUTE_WINDOW || config.disputeWindow > MAX_DISPUTE_WINDOW)
        {
            revert InvalidDisputeWindow(
                config.disputeWindow, MIN_DISPUTE_WINDOW, MAX_DISPUTE_WINDOW
            );
        }
        if (config.disputeBond > MAX_DISPUTE_BOND) {
            revert DisputeBondTooHigh(config.disputeBond, MAX_DISPUTE_BOND);
        }
        if (config.noticePeriod < MIN_NOTICE_PERIOD || config.noticePeriod > MAX_NOTICE_PERIOD) {
            revert InvalidNoticePeriod(config.noticePeriod, MIN_NOTICE_PERIOD, MAX_NOTICE_PERIOD);
        }
        uint32 deadline = config.scoringDeadline;
        if (deadline != 0 && (deadline < MIN_SCORING_DEADLINE || deadline > MAX_SCORING_DEADLINE)) {
            revert InvalidScoringDeadline(deadline, MIN_SCORING_DEADLINE, MAX_SCORING_DEADLINE);
        }
        uint32 extension = config.maxOutageExtension;
        if (extension > MAX_OUTAGE_EXTENSION || (extension != 0 && deadline == 0)) {
            revert InvalidOutageExtension(extension, deadline, MAX_OUTAGE_EXTENSION);
        }
    }

    /// @dev How a phase is judged: a target strictly better than its baseline, an eta that
    /// fits the range, scores the board can hold.
    function _checkRules(PhaseConfig calldata config) private pure {
        if (config.eta == 0) revert InvalidEta(config.eta);
        // The board keeps scores in 248 bits (IScoreBoard.Best).
        _checkScore(config.baseline);
        _checkScore(config.target);
        (int256 better, int256 worse) = config.higherIsBetter
            ? (config.target, config.baseline)
            : (config.baseline, config.target);
        if (better <= worse) {
            revert InvalidScoreRange(config.baseline, config.target, config.higherIsBetter);
        }
        uint256 range;
        // better > worse, so better - worse is in (0, 2**256): the two's complement
        // difference of the raw words is exact.
        unchecked {
            range = uint256(better) - uint256(worse);
        }
        if (config.eta > range) revert EtaExceedsScoreRange(config.eta, range);
    }

    function _checkScore(int256 score) private pure {
        if (score < type(int248).min || score > type(int248).max) {
            revert ScoreOutOfRange(score, type(int248).min, type(int248).max);
        }
    }

    /// @dev Records a new version of the judges, in force for the phases whose commits open
    /// at or after `activeFrom`.
    function _announceJudges(
        uint256 challengeId,
        Record storage c,
        address[] calldata oracles_,
        uint8 quorum_,
        address arbiter_,
        uint64 activeFrom
    ) private {
        uint256 n = oracles_.length;
        if (n == 0 || n > MAX_ORACLES || quorum_ == 0 || quorum_ > n) {
            revert InvalidOracleSet(n, quorum_);
        }
        if (arbiter_ == address(0)) revert InvalidArbiter();
        uint32 version = c.configVersion + 1;
        address previous = address(0);
        for (uint256 i = 0; i < n; ++i) {
            address next = oracles_[i];
            if (next <= previous) revert OraclesNotSorted(i, previous, next);
            _isOracleAt[challengeId][version][next] = true;
            previous = next;
        }
        bytes32 digest = computeConfigDigest(challengeId, version, oracles_, quorum_);
        c.configVersion = version;
        c.quorum = quorum_;
        c.configDigest = digest;
        c.arbiter = arbiter_;
        _judges[challengeId][version] = Judges({
            configDigest: digest, activeFrom: activeFrom, quorum: quorum_, arbiter: arbiter_
        });
        _oracles[challengeId][version] = oracles_;
        emit OraclesRotated(challengeId, version, oracles_, quorum_, digest, arbiter_, activeFrom);
    }

    function _appendPhase(
        uint256 challengeId,
        Record storage c,
        PhaseConfig calldata config,
        uint64 notBefore,
        uint256 topUp
    ) private returns (uint32 phase) {
        _checkRules(config);
        if (
            config.commitStart < notBefore || config.commitEnd <= config.commitStart
                || config.revealEnd <= config.commitEnd
        ) {
            revert InvalidWindows(config.commitStart, config.commitEnd, config.revealEnd, notBefore);
        }
        if (
            config.revealEnd <= block.timestamp
                || config.commitStart > block.timestamp + MAX_PHASE_LEAD
                || config.revealEnd - config.commitStart > MAX_PHASE_LENGTH
        ) {
            revert WindowsOutOfRange(config.commitStart, config.revealEnd, block.timestamp);
        }
        phase = c.phaseCount;
        if (phase == MAX_PHASES) revert TooManyPhases(challengeId, MAX_PHASES);
        uint256 unallocated = c.bounty - c.allocated;
        if (config.bounty > unallocated) {
            revert PhaseBountyExceedsEscrow(config.bounty, unallocated);
        }
        c.allocated += config.bounty;
        c.phaseCount = phase + 1;
        _phases[challengeId][phase] = Phase({
            commitStart: config.commitStart,
            commitEnd: config.commitEnd,
            revealEnd: config.revealEnd,
            holdoutRevealed: false,
            higherIsBetter: config.higherIsBetter,
            correction: 0,
            specHash: keccak256(bytes(config.specCid)),
            holdoutCommitment: config.holdoutCommitment,
            baseline: config.baseline,
            target: config.target,
            eta: config.eta,
            bounty: config.bounty
        });
        emit PhaseAdded(challengeId, phase, config, topUp);
    }

    function _openPhaseIndex(uint256 challengeId, uint32 phaseCount)
        private
        view
        returns (uint32 phase)
    {
        // Phases are appended in time order, so the open one is the newest that has started.
        for (phase = phaseCount; phase > 0;) {
            --phase;
            Phase storage p = _phases[challengeId][phase];
            if (p.commitStart <= block.timestamp) {
                if (block.timestamp < p.commitEnd) return phase;
                break;
            }
        }
        revert NoOpenPhase(challengeId, block.timestamp);
    }

    /// @dev When a submission of the phase started waiting for the oracles: its reveal time, as
    /// the book recorded it; reverts unless it is revealed and still unscored.
    function _waitingSince(uint256 challengeId, uint32 phase, uint256 submissionId)
        private
        view
        returns (uint64 revealedAt)
    {
        IScoreBoard board = _boundVault().scoreBoard();
        ISubmissionBook book = IBookHolder(address(board)).book();
        (, uint32 inChallenge, uint32 inPhase,) = book.summaryOf(submissionId);
        if (inChallenge != challengeId || inPhase != phase) {
            revert SubmissionNotInPhase(submissionId, challengeId, phase);
        }
        (, revealedAt,) = book.quotaTimesOf(submissionId);
        if (revealedAt == 0 || board.isScored(submissionId)) {
            revert SubmissionNotWaiting(submissionId);
        }
    }

    function _boundVault() private view returns (IRewardVault vault_) {
        vault_ = _vault;
        if (address(vault_) == address(0)) revert VaultNotBound();
    }

    function _challengeOf(uint256 challengeId) private view returns (Record storage c) {
        c = _challenges[challengeId];
        if (c.phaseCount == 0) revert UnknownChallenge(challengeId);
    }

    function _phaseOf(uint256 challengeId, uint32 phase) private view returns (Phase storage) {
        uint32 count = _challengeOf(challengeId).phaseCount;
        if (phase >= count) revert UnknownPhase(challengeId, phase, count);
        return _phases[challengeId][phase];
    }
}
