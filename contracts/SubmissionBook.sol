// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {ISubmissionBook} from "./interfaces/ISubmissionBook.sol";

/// @title SubmissionBook
/// @notice Commit–reveal submissions with fork edges, commit bonds, a rolling daily cap and
/// reviews. Artifact CIDs, parents and weights live in events; storage keeps two slots a
/// submission.
contract SubmissionBook is ISubmissionBook, ReentrancyGuardTransient {
    uint256 public constant MAX_PARENTS = 8;
    uint32 public constant PPM = 1_000_000;
    uint8 private constant VERDICT_MAX = 3;
    uint256 private constant STAMP_BITS = 40;
    uint256 private constant STAMP_MASK = (1 << STAMP_BITS) - 1;
    uint256 private constant STAMPS_MASK = (1 << (STAMP_BITS * 6)) - 1;

    /// @dev A submission in storage: slot 0 is all that scoring, reviews and fork checks read.
    /// The registry caps phases at 2**16, so a phase index fits 16 bits here.
    struct Record {
        address submitter;
        uint32 challengeId;
        uint16 phase;
        uint40 commitBlock;
        bool revealed;
        bytes32 commitmentOrMark;
    }

    IChallengeRegistry public immutable registry;

    uint256 private _submissionCount;
    mapping(uint256 submissionId => Record) private _submissions;
    /// @dev the last six commit timestamps of a submitter in a challenge, newest in the low bits
    mapping(uint256 challengeId => mapping(address submitter => uint256)) private _recentCommits;
    mapping(uint256 submissionId => mapping(address reviewer => bool)) private _reviewed;
    mapping(uint256 submissionId => bool) private _bondForfeited;

    constructor(IChallengeRegistry registry_) {
        registry = registry_;
    }

    /// @inheritdoc ISubmissionBook
    function commit(uint256 challengeId, bytes32 commitment)
        external
        payable
        returns (uint256 submissionId)
    {
        (uint32 phase, uint8 dailyCap, uint256 commitBond) = registry.commitRules(challengeId);
        if (msg.value != commitBond) revert WrongCommitBond(msg.value, commitBond);
        if (dailyCap != 0) _recordCommitTime(challengeId, dailyCap);
        submissionId = ++_submissionCount;
        _submissions[submissionId] = Record({
            submitter: msg.sender,
            // The registry caps challenge ids at 2**32 and phases at 2**16 (MAX_PHASES).
            challengeId: uint32(challengeId),
            phase: uint16(phase),
            commitBlock: SafeCast.toUint40(block.number),
            revealed: false,
            commitmentOrMark: commitment
        });
        emit Committed(submissionId, challengeId, msg.sender, phase, commitment, msg.value);
    }

    /// @inheritdoc ISubmissionBook
    function reveal(
        uint256 submissionId,
        string calldata artifactCid,
        uint256[] calldata parents,
        uint32[] calldata weightsPpm,
        bytes32 salt
    ) external nonReentrant {
        Record storage s = _submissionOf(submissionId);
        uint256 bond = _checkRevealable(submissionId, s);
        bytes32 computed =
            _commitment(s.challengeId, msg.sender, artifactCid, parents, weightsPpm, salt);
        if (computed != s.commitmentOrMark) {
            revert CommitmentMismatch(submissionId, s.commitmentOrMark, computed);
        }
        _checkParents(submissionId, parents, weightsPpm);

        s.revealed = true;
        s.commitmentOrMark = bytes32(_submissionCount + 1);
        emit Revealed(submissionId, s.challengeId, msg.sender, artifactCid, parents, weightsPpm);
        if (bond > 0) _sendEth(msg.sender, bond);
    }

    /// @inheritdoc ISubmissionBook
    function review(uint256 submissionId, uint8 verdict, string calldata reviewCid) external {
        Record storage s = _submissionOf(submissionId);
        if (!s.revealed) revert NotRevealed(submissionId);
        if (msg.sender == s.submitter) revert SelfReview(submissionId, msg.sender);
        if (verdict == 0 || verdict > VERDICT_MAX) revert InvalidVerdict(verdict);
        if (_reviewed[submissionId][msg.sender]) revert AlreadyReviewed(submissionId, msg.sender);
        (uint64 revealEnd,) = registry.revealRules(s.challengeId, s.phase);
        if (block.timestamp > revealEnd) {
            revert ReviewWindowClosed(submissionId, revealEnd, block.timestamp);
        }
        _reviewed[submissionId][msg.sender] = true;
        emit Reviewed(submissionId, s.challengeId, msg.sender, verdict, reviewCid);
    }

    /// @inheritdoc ISubmissionBook
    function forfeitBond(uint256 submissionId) external nonReentrant {
        Record storage s = _submissionOf(submissionId);
        (uint64 revealEnd, uint256 bond) = registry.revealRules(s.challengeId, s.phase);
        if (s.revealed || _bondForfeited[submissionId] || bond == 0 || block.timestamp <= revealEnd)
        {
            revert BondNotForfeitable(submissionId);
        }
        (, address owner,,,,) = registry.payoutRules(s.challengeId);
        _bondForfeited[submissionId] = true;
        emit BondForfeited(submissionId, owner, bond);
        _sendEth(owner, bond);
    }

    /// @inheritdoc ISubmissionBook
    function submissionCount() external view returns (uint256) {
        return _submissionCount;
    }

    /// @inheritdoc ISubmissionBook
    function getSubmission(uint256 submissionId) external view returns (Submission memory) {
        Record storage s = _submissionOf(submissionId);
        return Submission({
            submitter: s.submitter,
            challengeId: s.challengeId,
            phase: s.phase,
            commitBlock: s.commitBlock,
            revealed: s.revealed,
            commitmentOrMark: s.commitmentOrMark
        });
    }

    /// @inheritdoc ISubmissionBook
    function summaryOf(uint256 submissionId)
        external
        view
        returns (address submitter, uint32 challengeId, uint32 phase, bool revealed)
    {
        Record storage s = _submissions[submissionId];
        uint256 word;
        // Slot 0 of a Record, read once: submitter (bits 0-159), challengeId (160-191),
        // phase (192-207), commitBlock (208-247), revealed (248-255).
        assembly ("memory-safe") {
            word := sload(s.slot)
        }
        submitter = address(uint160(word));
        if (submitter == address(0)) revert UnknownSubmission(submissionId);
        challengeId = uint32(word >> 160);
        phase = uint16(word >> 192);
        revealed = word >> 248 != 0;
    }

    /// @inheritdoc ISubmissionBook
    function hasReviewed(uint256 submissionId, address reviewer) external view returns (bool) {
        return _reviewed[submissionId][reviewer];
    }

    /// @inheritdoc ISubmissionBook
    function bondOf(uint256 submissionId) external view returns (uint256) {
        Record storage s = _submissionOf(submissionId);
        if (s.revealed || _bondForfeited[submissionId]) return 0;
        (, uint256 bond) = registry.revealRules(s.challengeId, s.phase);
        return bond;
    }

    /// @inheritdoc ISubmissionBook
    function computeCommitment(
        uint256 challengeId,
        address submitter,
        string calldata artifactCid,
        uint256[] calldata parents,
        uint32[] calldata weightsPpm,
        bytes32 salt
    ) external view returns (bytes32) {
        return _commitment(challengeId, submitter, artifactCid, parents, weightsPpm, salt);
    }

    function _commitment(
        uint256 challengeId,
        address submitter,
        string calldata artifactCid,
        uint256[] calldata parents,
        uint32[] calldata weightsPpm,
        bytes32 salt
    ) private view returns (bytes32) {
        return keccak256(
            abi.encode(
                block.chainid,
                address(this),
                challengeId,
                submitter,
                keccak256(bytes(artifactCid)),
                keccak256(abi.encode(parents, weightsPpm)),
                salt
            )
        );
    }

    /// @dev Checks who reveals and when; returns the commit bond to refund.
    function _checkRevealable(uint256 submissionId, Record storage s)
        private
        view
        returns (uint256 bond)
    {
        address submitter = s.submitter;
        if (msg.sender != submitter) revert NotCommitter(submissionId, msg.sender, submitter);
        if (s.revealed) revert AlreadyRevealed(submissionId);
        if (block.number <= s.commitBlock) revert RevealTooEarly(submissionId, s.commitBlock);
        uint64 revealEnd;
        (revealEnd, bond) = registry.revealRules(s.challengeId, s.phase);
        if (block.timestamp > revealEnd) {
            revert RevealWindowClosed(submissionId, revealEnd, block.timestamp);
        }
    }

    /// @dev Exact rolling 24-hour window: the cap-th most recent commit must be a day old.
    function _recordCommitTime(uint256 challengeId, uint8 dailyCap) private {
        uint256 stamps = _recentCommits[challengeId][msg.sender];
        uint256 oldest = (stamps >> (STAMP_BITS * (dailyCap - 1))) & STAMP_MASK;
        if (oldest != 0 && block.timestamp < oldest + 1 days) {
            revert DailyCapReached(msg.sender, dailyCap, oldest + 1 days);
        }
        _recentCommits[challengeId][msg.sender] =
            ((stamps << STAMP_BITS) | block.timestamp) & STAMPS_MASK;
    }

    function _checkParents(
        uint256 childId,
        uint256[] calldata parents,
        uint32[] calldata weightsPpm
    ) private view {
        uint256 n = parents.length;
        if (n > MAX_PARENTS) revert TooManyParents(n, MAX_PARENTS);
        if (weightsPpm.length != n) revert WeightsLengthMismatch(n, weightsPpm.length);
        uint256 sum = 0;
        uint256 previous = 0;
        for (uint256 i = 0; i < n; ++i) {
            uint256 parentId = parents[i];
            if (parentId <= previous) revert ParentsNotAscending(i, previous, parentId);
            if (weightsPpm[i] == 0) revert ZeroWeight(i);
            Record storage p = _submissionOf(parentId);
            // A parent's mark is the id the next commit got when it was revealed.
            if (!p.revealed || uint256(p.commitmentOrMark) > childId) {
                revert ParentNotRevealedBeforeCommit(parentId, childId);
            }
            sum += weightsPpm[i];
            previous = parentId;
        }
        if (n > 0 && sum != PPM) revert WeightsDoNotSumToMillion(sum);
    }

    function _submissionOf(uint256 submissionId) private view returns (Record storage s) {
        s = _submissions[submissionId];
        if (s.submitter == address(0)) revert UnknownSubmission(submissionId);
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert EthTransferFailed(to, amount);
    }
}
