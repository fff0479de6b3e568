// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {ISubmissionBook} from "./interfaces/ISubmissionBook.sol";

/// @title SubmissionBook
/// @notice Commit–reveal submissions with fork edges, commit bonds, a rolling daily cap and
/// reviews. Artifact CIDs, parents and weights live in events; storage keeps one slot a
/// submission (docs/contracts.md, "Storage of a submission").
contract SubmissionBook is ISubmissionBook, ReentrancyGuardTransient {
    uint256 public constant MAX_PARENTS = 8;
    uint32 public constant PPM = 1_000_000;
    /// @notice Submission ids stop here: a revealed submission keeps its fork mark in 47 bits.
    uint256 public constant MAX_SUBMISSION_ID = (1 << 47) - 1;
    uint8 private constant VERDICT_MAX = 3;
    uint256 private constant STAMP_BITS = 40;
    uint256 private constant STAMP_MASK = (1 << STAMP_BITS) - 1;
    uint256 private constant STAMPS_MASK = (1 << (STAMP_BITS * 6)) - 1;
    /// @dev Above the six stamps: how many commits the cap has counted (capped challenges).
    uint256 private constant COUNT_SHIFT = STAMP_BITS * 6;
    uint256 public constant MAX_TEAM_SIZE = 8;

    // A submission's one storage word. Both states keep bit 0 as the revealed flag, the
    // challenge id in bits 1-32 (the registry caps ids at 2**32 and starts them at 1, so a
    // stored word is never 0) and the phase in bits 33-48 (the registry caps phases at 2**16).
    // Pending (bit 0 = 0): bits 49-255 are the fingerprint, the top 207 bits of
    //   keccak256(abi.encode(commitment, committer)).
    // Revealed (bit 0 = 1): bits 49-208 the submitter, bits 209-255 the fork mark (the
    //   submission count when it was revealed).
    uint256 private constant REVEALED = 1;
    uint256 private constant CHALLENGE_SHIFT = 1;
    uint256 private constant PHASE_SHIFT = 33;
    uint256 private constant PLACE_MASK = ((1 << 48) - 1) << 1; // challenge id and phase
    uint256 private constant FINGERPRINT_MASK = type(uint256).max << 49;
    uint256 private constant SUBMITTER_SHIFT = 49;
    uint256 private constant MARK_SHIFT = 209;

    // The clock word: the submission count (bits 0-63), the count before the first commit of
    // the latest block with a commit (bits 64-127) and that block's number (bits 128-255).
    // Ids above the middle field were committed in that block, so they cannot be revealed
    // before the next one.
    uint256 private constant START_SHIFT = 64;
    uint256 private constant BLOCK_SHIFT = 128;

    IChallengeRegistry public immutable registry;

    uint256 private _clock;
    mapping(uint256 submissionId => uint256 word) private _submissions;
    /// @dev the last six commit timestamps of a submitter in a challenge, newest in the low bits
    mapping(uint256 challengeId => mapping(address submitter => uint256)) private _recentCommits;
    mapping(uint256 submissionId => mapping(address reviewer => bool)) private _reviewed;
    mapping(uint256 submissionId => bool) private _bondForfeited;
    /// @dev Quota protection (challenges with a scoring deadline): the commit time in bits
    /// 0-39 (capped challenges only), the reveal time in bits 40-79, bit 80 once released.
    mapping(uint256 submissionId => uint256 times) private _quotaTimes;

    struct Team {
        uint256 challengeId;
        uint256 pending; // members yet to consent
        address[] members;
        uint32[] sharesPpm;
    }

    uint256 private _teamCount;
    mapping(uint256 teamId => Team) private _teams;
    mapping(uint256 teamId => mapping(address member => bool)) private _consented;
    mapping(uint256 challengeId => mapping(address account => uint256 teamId)) private _teamOf;
    uint256 private constant REVEAL_TIME_SHIFT = 40;
    uint256 private constant QUOTA_RELEASED = 1 << 80;

    constructor(IChallengeRegistry registry_) {
        registry = registry_;
    }

    /// @inheritdoc ISubmissionBook
    function commit(uint256 challengeId, bytes32 commitment)
        external
        payable
        returns (uint256 submissionId)
    {
        (uint32 phase, uint8 dailyCap, uint256 commitBond, bool quotaProtected) =
            registry.commitRules(challengeId);
        if (msg.value != commitBond) revert WrongCommitBond(msg.value, commitBond);
        if (dailyCap != 0) {
            _recordCommitTime(challengeId, dailyCap, _capKey(challengeId, msg.sender));
        }
        submissionId = _nextId();
        if (dailyCap != 0 && quotaProtected) _quotaTimes[submissionId] = block.timestamp;
        // The registry caps challenge ids at 2**32 (ChallengeIdOverflow) and phases at 2**16
        // (MAX_PHASES): both fit their fields.
        _submissions[submissionId] = _fingerprint(commitment, msg.sender)
            | (uint256(uint16(phase)) << PHASE_SHIFT)
            | (uint256(uint32(challengeId)) << CHALLENGE_SHIFT);
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
        uint256 word = _wordOf(submissionId);
        if (word & REVEALED != 0) revert AlreadyRevealed(submissionId);
        uint256 clock = _clock;
        (uint32 challengeId, uint256 bond) = _startReveal(submissionId, word, clock);
        uint256 computed = _fingerprint(
            _commitment(challengeId, msg.sender, artifactCid, parents, weightsPpm, salt), msg.sender
        );
        if (computed != word & FINGERPRINT_MASK) {
            revert CommitmentMismatch(
                submissionId, bytes32(word & FINGERPRINT_MASK), bytes32(computed)
            );
        }
        _checkParents(submissionId, parents, weightsPpm);

        // The mark is the count now: a child needs a larger id, i.e. a later commit.
        _submissions[submissionId] = REVEALED | (word & PLACE_MASK)
            | (uint256(uint160(msg.sender)) << SUBMITTER_SHIFT)
            | (uint256(uint64(clock)) << MARK_SHIFT);
        emit Revealed(submissionId, challengeId, msg.sender, artifactCid, parents, weightsPpm);
        if (bond > 0) _sendEth(msg.sender, bond);
    }

    /// @inheritdoc ISubmissionBook
    function review(uint256 submissionId, uint8 verdict, string calldata reviewCid) external {
        uint256 word = _wordOf(submissionId);
        if (word & REVEALED == 0) revert NotRevealed(submissionId);
        if (msg.sender == _submitterOf(word)) revert SelfReview(submissionId, msg.sender);
        if (verdict == 0 || verdict > VERDICT_MAX) revert InvalidVerdict(verdict);
        if (_reviewed[submissionId][msg.sender]) revert AlreadyReviewed(submissionId, msg.sender);
        uint32 challengeId = _challengeOf(word);
        (uint64 revealEnd,,) = registry.revealRules(challengeId, _phaseOf(word));
        if (block.timestamp > revealEnd) {
            revert ReviewWindowClosed(submissionId, revealEnd, block.timestamp);
        }
        _reviewed[submissionId][msg.sender] = true;
        emit Reviewed(submissionId, challengeId, msg.sender, verdict, reviewCid);
    }

    /// @inheritdoc ISubmissionBook
    function forfeitBond(uint256 submissionId) external nonReentrant {
        uint256 word = _wordOf(submissionId);
        uint32 challengeId = _challengeOf(word);
        (uint64 revealEnd, uint256 bond,) = registry.revealRules(challengeId, _phaseOf(word));
        if (
            word & REVEALED != 0 || _bondForfeited[submissionId] || bond == 0
                || block.timestamp <= revealEnd
        ) {
            revert BondNotForfeitable(submissionId);
        }
        (, address owner,,,) = registry.payoutRules(challengeId);
        _bondForfeited[submissionId] = true;
        emit BondForfeited(submissionId, owner, bond);
        _sendEth(owner, bond);
    }

    /// @inheritdoc ISubmissionBook
    function releaseQuota(uint256 submissionId) external {
        uint256 word = _wordOf(submissionId);
        if (word & REVEALED == 0) revert NotRevealed(submissionId);
        uint32 challengeId = _challengeOf(word);
        uint256 times = _quotaTimes[submissionId];
        uint256 committedAt = times & STAMP_MASK;
        // Both times are kept only in capped challenges with a scoring deadline.
        if (committedAt == 0) revert QuotaNotProtected(submissionId, challengeId);
        if (times & QUOTA_RELEASED != 0) revert QuotaAlreadyReleased(submissionId);
        if (registry.vault().scoreBoard().isScored(submissionId)) {
            revert SubmissionScored(submissionId);
        }
        (uint32 scoringDeadline,,) = registry.quotaRules(challengeId, _phaseOf(word));
        uint256 dueBy = ((times >> REVEAL_TIME_SHIFT) & STAMP_MASK) + scoringDeadline;
        if (block.timestamp <= dueBy) {
            revert ScoringDeadlineNotPassed(submissionId, dueBy, block.timestamp);
        }
        _quotaTimes[submissionId] = times | QUOTA_RELEASED;
        address submitter = _submitterOf(word);
        bool slotFreed = _dropCommitTime(challengeId, _capKey(challengeId, submitter), committedAt);
        emit QuotaReleased(submissionId, challengeId, submitter, uint64(committedAt), slotFreed);
    }

    /// @inheritdoc ISubmissionBook
    function quotaTimesOf(uint256 submissionId)
        external
        view
        returns (uint64 committedAt, uint64 revealedAt, bool released)
    {
        _wordOf(submissionId);
        uint256 times = _quotaTimes[submissionId];
        return (
            uint64(times & STAMP_MASK),
            uint64((times >> REVEAL_TIME_SHIFT) & STAMP_MASK),
            times & QUOTA_RELEASED != 0
        );
    }

    /// @inheritdoc ISubmissionBook
    function proposeTeam(
        uint256 challengeId,
        address[] calldata members,
        uint32[] calldata sharesPpm
    ) external returns (uint256 teamId) {
        registry.revealRules(challengeId, 0); // UnknownChallenge
        uint256 n = members.length;
        if (n < 2 || n > MAX_TEAM_SIZE) revert InvalidTeamSize(n, 2, MAX_TEAM_SIZE);
        if (sharesPpm.length != n) revert TeamSharesLengthMismatch(n, sharesPpm.length);
        teamId = ++_teamCount;
        uint256 sum = 0;
        address previous = address(0);
        bool listed = false;
        for (uint256 i = 0; i < n; ++i) {
            if (members[i] <= previous) revert MembersNotAscending(i, previous, members[i]);
            if (sharesPpm[i] == 0) revert ZeroTeamShare(i);
            sum += sharesPpm[i];
            previous = members[i];
            if (members[i] == msg.sender) listed = true;
        }
        if (sum != PPM) revert TeamSharesDoNotSumToMillion(sum);
        if (!listed) revert NotATeamMember(teamId, msg.sender);
        Team storage t = _teams[teamId];
        t.challengeId = challengeId;
        t.pending = n - 1;
        t.members = members;
        t.sharesPpm = sharesPpm;
        _consented[teamId][msg.sender] = true;
        emit TeamProposed(teamId, challengeId, msg.sender, members, sharesPpm);
    }

    /// @inheritdoc ISubmissionBook
    function joinTeam(uint256 teamId) external {
        Team storage t = _teams[teamId];
        if (t.challengeId == 0) revert UnknownTeam(teamId);
        if (t.pending == 0) revert TeamAlreadyFormed(teamId);
        if (_consented[teamId][msg.sender]) revert AlreadyConsented(teamId, msg.sender);
        if (!_isMember(t, msg.sender)) revert NotATeamMember(teamId, msg.sender);
        _consented[teamId][msg.sender] = true;
        emit TeamConsent(teamId, msg.sender);
        if (--t.pending == 0) _formTeam(teamId, t);
    }

    /// @inheritdoc ISubmissionBook
    function teamOf(uint256 challengeId, address account) external view returns (uint256) {
        return _teamOf[challengeId][account];
    }

    /// @inheritdoc ISubmissionBook
    function getTeam(uint256 teamId)
        external
        view
        returns (
            uint256 challengeId,
            address[] memory members,
            uint32[] memory sharesPpm,
            bool formed
        )
    {
        Team storage t = _teams[teamId];
        if (t.challengeId == 0) revert UnknownTeam(teamId);
        return (t.challengeId, t.members, t.sharesPpm, t.pending == 0);
    }

    /// @inheritdoc ISubmissionBook
    function capCommits(uint256 challengeId, address account) external view returns (uint256) {
        return _recentCommits[challengeId][_capKey(challengeId, account)] >> COUNT_SHIFT;
    }

    /// @inheritdoc ISubmissionBook
    function submissionCount() external view returns (uint256) {
        return uint64(_clock);
    }

    /// @inheritdoc ISubmissionBook
    function getSubmission(uint256 submissionId) external view returns (Submission memory s) {
        uint256 word = _wordOf(submissionId);
        s.challengeId = _challengeOf(word);
        s.phase = _phaseOf(word);
        if (word & REVEALED != 0) {
            s.submitter = _submitterOf(word);
            s.forkMark = (word >> MARK_SHIFT) + 1;
            s.revealed = true;
        } else {
            s.fingerprint = bytes32(word & FINGERPRINT_MASK);
        }
    }

    /// @inheritdoc ISubmissionBook
    function summaryOf(uint256 submissionId)
        external
        view
        returns (address submitter, uint32 challengeId, uint32 phase, bool revealed)
    {
        // Written out rather than through the helpers below: ScoreBoard calls this per item.
        uint256 word = _submissions[submissionId];
        if (word == 0) revert UnknownSubmission(submissionId);
        revealed = word & REVEALED != 0;
        if (revealed) submitter = address(uint160(word >> SUBMITTER_SHIFT));
        challengeId = uint32(word >> CHALLENGE_SHIFT);
        phase = uint16(word >> PHASE_SHIFT);
    }

    /// @inheritdoc ISubmissionBook
    function hasReviewed(uint256 submissionId, address reviewer) external view returns (bool) {
        return _reviewed[submissionId][reviewer];
    }

    /// @inheritdoc ISubmissionBook
    function bondOf(uint256 submissionId) external view returns (uint256) {
        uint256 word = _wordOf(submissionId);
        if (word & REVEALED != 0 || _bondForfeited[submissionId]) return 0;
        (, uint256 bond,) = registry.revealRules(_challengeOf(word), _phaseOf(word));
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

    /// @dev Checks when a pending submission is revealed and, with quota protection, records
    /// the reveal time (a failed reveal reverts it); returns its challenge and the commit bond
    /// to refund.
    function _startReveal(uint256 submissionId, uint256 word, uint256 clock)
        private
        returns (uint32 challengeId, uint256 bond)
    {
        if (clock >> BLOCK_SHIFT == block.number && submissionId > uint64(clock >> START_SHIFT)) {
            revert RevealTooEarly(submissionId, block.number);
        }
        challengeId = _challengeOf(word);
        (uint64 revealEnd, uint256 commitBond, bool quotaProtected) =
            registry.revealRules(challengeId, _phaseOf(word));
        if (block.timestamp > revealEnd) {
            revert RevealWindowClosed(submissionId, revealEnd, block.timestamp);
        }
        if (quotaProtected) _quotaTimes[submissionId] |= block.timestamp << REVEAL_TIME_SHIFT;
        bond = commitBond;
    }

    /// @dev Counts a new submission in the clock word and returns its id.
    function _nextId() private returns (uint256 id) {
        uint256 clock = _clock;
        uint256 count = uint64(clock);
        id = count + 1;
        if (id > MAX_SUBMISSION_ID) revert SubmissionIdOverflow(id);
        uint256 blockStart =
            clock >> BLOCK_SHIFT == block.number ? uint64(clock >> START_SHIFT) : count;
        // Block numbers stay below 2**128 (the field's width) for any chain's lifetime.
        _clock = id | (blockStart << START_SHIFT) | (block.number << BLOCK_SHIFT);
    }

    /// @dev The top 207 bits of `keccak256(abi.encode(commitment, committer))`, hashed in
    /// scratch memory: a reveal must match it with its own commitment and sender.
    function _fingerprint(bytes32 commitment, address committer)
        private
        pure
        returns (uint256 fingerprint)
    {
        assembly ("memory-safe") {
            mstore(0x00, commitment)
            mstore(0x20, committer)
            fingerprint := keccak256(0x00, 0x40)
        }
        fingerprint &= FINGERPRINT_MASK;
    }

    /// @dev Exact rolling 24-hour window: the cap-th most recent commit must be a day old.
    /// `key` holds the stamps: the sender's address, or its team's key.
    function _recordCommitTime(uint256 challengeId, uint8 dailyCap, address key) private {
        uint256 stamps = _recentCommits[challengeId][key];
        uint256 oldest = (stamps >> (STAMP_BITS * (dailyCap - 1))) & STAMP_MASK;
        if (oldest != 0 && block.timestamp < oldest + 1 days) {
            revert DailyCapReached(msg.sender, dailyCap, oldest + 1 days);
        }
        uint256 count = (stamps >> COUNT_SHIFT) + 1;
        _recentCommits[challengeId][key] =
            (((stamps << STAMP_BITS) | block.timestamp) & STAMPS_MASK) | (count << COUNT_SHIFT);
    }

    /// @dev Whose cap an account's commits count against: its own, or its formed team's (a
    /// key derived from the team id, which no account can hold).
    function _capKey(uint256 challengeId, address account) private view returns (address) {
        uint256 teamId = _teamOf[challengeId][account];
        return teamId == 0 ? account : _teamKey(teamId);
    }

    function _teamKey(uint256 teamId) private pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("coop team", teamId)))));
    }

    function _isMember(Team storage t, address account) private view returns (bool) {
        uint256 n = t.members.length;
        for (uint256 i = 0; i < n; ++i) {
            if (t.members[i] == account) return true;
        }
        return false;
    }

    /// @dev Every member consented: checks the merge rule, then moves the commit stamps (the
    /// six newest of all) and counts of each distinct cap key to the new team's key. A
    /// member's key is its own, or its formed team's: such a team must be taken whole, and
    /// it retires (counted once, with its first member; the others check that one is here).
    function _formTeam(uint256 teamId, Team storage t) private {
        uint256 challengeId = t.challengeId;
        uint256 n = t.members.length;
        uint256 combined = 0;
        uint256[] memory stamps = new uint256[](n * 6);
        for (uint256 i = 0; i < n; ++i) {
            address member = t.members[i];
            address key = member;
            uint256 old = _teamOf[challengeId][member];
            _teamOf[challengeId][member] = teamId;
            if (old != 0) {
                address[] storage oldMembers = _teams[old].members;
                if (member != oldMembers[0]) {
                    if (!_isMember(t, oldMembers[0])) {
                        revert MergeLeavesOutMember(old, oldMembers[0]);
                    }
                    continue;
                }
                for (uint256 j = 1; j < oldMembers.length; ++j) {
                    if (!_isMember(t, oldMembers[j])) {
                        revert MergeLeavesOutMember(old, oldMembers[j]);
                    }
                }
                key = _teamKey(old);
                emit TeamMerged(old, teamId);
            }
            uint256 word = _recentCommits[challengeId][key];
            combined += word >> COUNT_SHIFT;
            for (uint256 j = 0; j < 6; ++j) {
                stamps[i * 6 + j] = (word >> (STAMP_BITS * j)) & STAMP_MASK;
            }
        }
        uint256 dailyCap = registry.getChallenge(challengeId).dailyCap;
        if (dailyCap != 0) {
            uint64 firstStart = registry.getPhase(challengeId, 0).commitStart;
            uint256 days_ =
                block.timestamp < firstStart ? 0 : (block.timestamp - firstStart) / 1 days + 1;
            if (combined > dailyCap * days_) {
                revert TeamOverCap(teamId, combined, dailyCap * days_);
            }
        }
        _recentCommits[challengeId][_teamKey(teamId)] =
            _newestSix(stamps) | (combined << COUNT_SHIFT);
        emit TeamFormed(teamId, challengeId, combined);
    }

    /// @dev The six largest values of `stamps`, newest in the low bits (selection; n ≤ 48).
    function _newestSix(uint256[] memory stamps) private pure returns (uint256 word) {
        for (uint256 place = 0; place < 6; ++place) {
            uint256 best = 0;
            uint256 at = 0;
            for (uint256 i = 0; i < stamps.length; ++i) {
                if (stamps[i] > best) (best, at) = (stamps[i], i);
            }
            if (best == 0) break;
            stamps[at] = 0;
            word |= best << (STAMP_BITS * place);
        }
    }

    /// @dev Takes one commit at `committedAt` out of the submitter's rolling day, if it is still
    /// among the stamps and less than a day old; the older stamps move up one place.
    function _dropCommitTime(uint256 challengeId, address key, uint256 committedAt)
        private
        returns (bool dropped)
    {
        uint256 word = _recentCommits[challengeId][key];
        uint256 count = word >> COUNT_SHIFT;
        uint256 stamps = word & STAMPS_MASK;
        if (count > 0) --count; // a released commit no longer counts for the merge rule
        if (block.timestamp < committedAt + 1 days) {
            for (uint256 i = 0; i < 6; ++i) {
                uint256 shift = STAMP_BITS * i;
                if ((stamps >> shift) & STAMP_MASK == committedAt) {
                    uint256 newer = stamps & ((1 << shift) - 1);
                    uint256 older = (stamps >> (shift + STAMP_BITS)) << shift;
                    stamps = newer | older;
                    dropped = true;
                    break;
                }
            }
        }
        _recentCommits[challengeId][key] = stamps | (count << COUNT_SHIFT);
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
            uint256 parent = _wordOf(parentId);
            // A parent's mark is the submission count at its reveal: the child came later.
            if (parent & REVEALED == 0 || parent >> MARK_SHIFT >= childId) {
                revert ParentNotRevealedBeforeCommit(parentId, childId);
            }
            sum += weightsPpm[i];
            previous = parentId;
        }
        if (n > 0 && sum != PPM) revert WeightsDoNotSumToMillion(sum);
    }

    function _wordOf(uint256 submissionId) private view returns (uint256 word) {
        word = _submissions[submissionId];
        if (word == 0) revert UnknownSubmission(submissionId);
    }

    function _challengeOf(uint256 word) private pure returns (uint32) {
        return uint32(word >> CHALLENGE_SHIFT);
    }

    function _phaseOf(uint256 word) private pure returns (uint16) {
        return uint16(word >> PHASE_SHIFT);
    }

    /// @dev Only for a revealed word; a pending word holds no address.
    function _submitterOf(uint256 word) private pure returns (address) {
        return address(uint160(word >> SUBMITTER_SHIFT));
    }

    function _sendEth(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert EthTransferFailed(to, amount);
    }
}
