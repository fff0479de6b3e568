// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerklePath} from "./MerklePath.sol";
import {OracleQuorum} from "./OracleQuorum.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "./interfaces/IRewardVault.sol";
import {IScoreBoard} from "./interfaces/IScoreBoard.sol";

/// @title RewardVault
/// @notice Holds every challenge's escrow. Pays only through pull claims against a
/// quorum-posted Merkle root, after its dispute window and up to the root's total, or back
/// to the owner at the end, once every phase is settled.
contract RewardVault is IRewardVault, OracleQuorum, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant REWARD_ROOT_TYPEHASH = keccak256(
        "RewardRoot(uint256 challengeId,uint32 phase,uint32 correction,uint64 seq,bytes32 configDigest,bytes32 merkleRoot,uint256 total,bytes32 reportCidHash)"
    );
    uint256 public constant REFUND_GRACE = 30 days;
    /// @notice How long the arbiter has to decide a dispute before it lapses.
    uint64 public constant ARBITER_PERIOD = 7 days;
    /// @notice From this long after a phase's reveal end, its root may be posted without the
    /// holdout revealed (the rule participants read before they commit: nobody can keep a
    /// phase unrewarded by withholding its holdout; docs/decisions.md).
    uint64 public constant HOLDOUT_DEADLINE = 14 days;

    struct Escrow {
        uint256 deposited;
        uint256 allocated; // totals of roots that are not voided
        uint256 refunded;
        bool closed;
    }

    /// @dev A phase's current root: its hash and its dispute. The rest of the root lives in a
    /// `RootClaims` record found through the hash (`_claimsKey`), so that a claim reaches it
    /// through the root its proof computes, without reading the hash from storage first.
    struct Root {
        bytes32 merkleRoot;
        uint64 seq;
        address disputer;
        uint32 windowLeft; // of the dispute window when the open dispute was filed
        uint128 disputeBond;
        uint64 arbiterDeadline;
        uint64 voidedAt;
    }

    /// @dev Everything a claim reads and writes. Slot 0: token (copied from the registry at
    /// posting), claimableAt, state; slot 1: total and claimed (totals are capped at 2**128
    /// base units); then the paid leaves, one bit per leaf at its path code
    /// (`MerklePath.walk`): bit `code % 256` of word `code / 256`. Posting writes word 0 with
    /// bit 0 set (no leaf has code 0), so each leaf of a tree of up to 128 leaves (codes below
    /// 256) sets a bit in a word that already exists.
    struct RootClaims {
        address token;
        uint40 claimableAt;
        RootState state;
        uint128 total;
        uint128 claimed;
        mapping(uint256 word => ClaimedWord) claimedLeaves;
    }

    struct ClaimedWord {
        uint256 bits;
    }

    IScoreBoard public immutable scoreBoard;

    mapping(uint256 challengeId => Escrow) private _escrows;
    mapping(uint256 challengeId => mapping(uint32 phase => Root)) private _roots;
    mapping(bytes32 claimsKey => RootClaims) private _rootClaims;
    mapping(address account => uint256) private _bondCredit;
    /// @dev Who disputed a root (by its claims key): each account disputes a root once.
    mapping(bytes32 claimsKey => mapping(address disputer => bool)) private _disputedBy;

    constructor(IChallengeRegistry registry_, IScoreBoard scoreBoard_) OracleQuorum(registry_) {
        scoreBoard = scoreBoard_;
    }

    /// @inheritdoc IRewardVault
    function escrow(uint256 challengeId, address token, address from, uint256 amount)
        external
        nonReentrant
    {
        if (msg.sender != address(registry)) revert OnlyRegistry(msg.sender);
        _escrows[challengeId].deposited += amount;
        emit BountyEscrowed(challengeId, from, amount);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert EscrowAmountMismatch(token, amount, received);
    }

    /// @inheritdoc IRewardVault
    function postRewards(
        RewardRoot calldata root,
        string calldata reportCid,
        bytes[] calldata signatures
    ) external {
        (address token, uint32 disputeWindow) = _checkPostable(root);
        bytes32 cidHash = keccak256(bytes(reportCid));
        if (cidHash != root.reportCidHash) revert ReportCidMismatch(root.reportCidHash, cidHash);
        _requireQuorum(
            root.challengeId, root.phase, root.configDigest, _structHash(root), signatures
        );

        uint64 claimableAt = uint64(block.timestamp) + disputeWindow;
        _escrows[root.challengeId].allocated += root.total;
        _roots[root.challengeId][root.phase] = Root({
            merkleRoot: root.merkleRoot,
            seq: root.seq,
            disputer: address(0),
            windowLeft: 0,
            disputeBond: 0,
            arbiterDeadline: 0,
            voidedAt: 0
        });
        // A root hash posted again after its void finds its old record: nothing was claimed
        // under it (claims open only after the dispute window, disputes only before).
        RootClaims storage rc =
            _rootClaims[_claimsKey(root.challengeId, root.phase, root.merkleRoot)];
        rc.token = token;
        // Timestamps fit 40 bits until the year 36812.
        rc.claimableAt = uint40(claimableAt);
        rc.state = RootState.Posted;
        rc.total = SafeCast.toUint128(root.total);
        rc.claimed = 0;
        rc.claimedLeaves[0].bits = 1;
        emit RewardsPosted(
            root.challengeId,
            root.phase,
            root.seq,
            root.merkleRoot,
            root.total,
            reportCid,
            claimableAt
        );
    }

    /// @inheritdoc IRewardVault
    function voidForCorrection(uint256 challengeId, uint32 phase, uint32 correction) external {
        if (msg.sender != address(registry)) revert OnlyRegistry(msg.sender);
        if (_escrows[challengeId].closed) revert ChallengeClosed(challengeId);
        (Root storage r, RootClaims storage rc) = _currentRoot(challengeId, phase);
        RootState state = rc.state;
        if (state == RootState.Disputed) {
            revert CorrectionDuringDispute(challengeId, phase, r.arbiterDeadline);
        }
        if (state != RootState.Posted) return; // no root, or a voided one: nothing to void
        if (block.timestamp >= rc.claimableAt) {
            revert CorrectionAfterClaimsOpened(challengeId, phase, rc.claimableAt);
        }
        rc.state = RootState.Voided;
        r.voidedAt = uint64(block.timestamp);
        _escrows[challengeId].allocated -= rc.total;
        emit RewardsVoidedByCorrection(challengeId, phase, r.merkleRoot, correction);
    }

    /// @inheritdoc IRewardVault
    function dispute(uint256 challengeId, uint32 phase, string calldata reasonCid)
        external
        payable
    {
        (Root storage r, RootClaims storage rc) = _currentRoot(challengeId, phase);
        if (rc.state != RootState.Posted) revert NotDisputable(challengeId, phase, rc.state);
        if (block.timestamp >= rc.claimableAt) {
            revert DisputeWindowClosed(challengeId, phase, rc.claimableAt);
        }
        if (bytes(reasonCid).length == 0) revert EmptyDisputeReason(challengeId, phase);
        mapping(address => bool) storage disputedBy =
            _disputedBy[_claimsKey(challengeId, phase, r.merkleRoot)];
        if (disputedBy[msg.sender]) revert AlreadyDisputed(challengeId, phase, msg.sender);
        (,,, uint256 bond,) = registry.payoutRules(challengeId);
        if (msg.value != bond) revert WrongDisputeBond(msg.value, bond);
        disputedBy[msg.sender] = true;
        rc.state = RootState.Disputed;
        r.disputer = msg.sender;
        // The window stops while the dispute is open and resumes if the root stands, so that
        // a dispute nobody upholds never shortens anyone else's time to dispute.
        r.windowLeft = uint32(rc.claimableAt - block.timestamp);
        r.disputeBond = SafeCast.toUint128(bond);
        r.arbiterDeadline = uint64(block.timestamp) + ARBITER_PERIOD;
        emit RewardsDisputed(challengeId, phase, msg.sender, bond, reasonCid);
    }

    /// @inheritdoc IRewardVault
    function resolveDispute(uint256 challengeId, uint32 phase, bool uphold) external {
        (Root storage r, RootClaims storage rc) = _disputedRoot(challengeId, phase);
        (, address owner,,,) = registry.payoutRules(challengeId);
        (, IChallengeRegistry.Judges memory judges) = registry.phaseJudges(challengeId, phase);
        if (msg.sender != judges.arbiter) revert NotArbiter(msg.sender, judges.arbiter);
        if (block.timestamp >= r.arbiterDeadline) {
            revert ArbiterDeadlinePassed(challengeId, phase, r.arbiterDeadline);
        }
        uint256 bond = r.disputeBond;
        r.disputeBond = 0;
        if (uphold) {
            rc.state = RootState.Voided;
            r.voidedAt = uint64(block.timestamp);
            _escrows[challengeId].allocated -= rc.total;
            _creditBond(r.disputer, bond);
        } else {
            _resumeWindow(r, rc);
            _creditBond(owner, bond);
        }
        emit DisputeResolved(challengeId, phase, uphold, msg.sender, uphold ? 0 : rc.claimableAt);
    }

    /// @inheritdoc IRewardVault
    function lapseDispute(uint256 challengeId, uint32 phase) external {
        (Root storage r, RootClaims storage rc) = _disputedRoot(challengeId, phase);
        if (block.timestamp < r.arbiterDeadline) {
            revert DisputeNotLapsed(challengeId, phase, r.arbiterDeadline);
        }
        uint256 bond = r.disputeBond;
        address disputer = r.disputer;
        r.disputeBond = 0;
        _resumeWindow(r, rc);
        _creditBond(disputer, bond);
        emit DisputeLapsed(challengeId, phase, disputer, bond, rc.claimableAt);
    }

    /// @inheritdoc IRewardVault
    /// @dev Walk the proof, find the root's record through the root it reaches, check that
    /// it is open, flip the leaf's bit, add to the root's claimed total, emit, pay. Written out
    /// in one function but for the leaf, the walk and the key (each internal call costs jumps
    /// and stack shuffles on the hottest path).
    function claim(
        uint256 challengeId,
        uint32 phase,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external nonReentrant {
        (bytes32 computedRoot, uint256 code) = MerklePath.walk(proof, _leaf(account, amount));
        // A proof that does not lead to a posted root finds an empty record (state None).
        RootClaims storage rc = _rootClaims[_claimsKey(challengeId, phase, computedRoot)];
        uint256 header;
        // Slot 0, read once: token (bits 0-159), claimableAt (160-199), state (200-207).
        assembly ("memory-safe") {
            header := sload(rc.slot)
        }
        // The state's byte compared as a number: converting it to the enum costs a range check
        // on the success path.
        if (
            uint8(header >> 200) != uint8(RootState.Posted)
                || block.timestamp < uint40(header >> 160)
        ) {
            _refuseClaim(challengeId, phase, account, amount);
        }
        {
            ClaimedWord storage word = rc.claimedLeaves[code >> 8];
            uint256 bits = word.bits;
            uint256 mask = 1 << (code & 0xff);
            if (bits & mask != 0) revert AlreadyClaimed(challengeId, phase, account);
            word.bits = bits | mask;
        }
        {
            uint256 packed;
            // Slot 1: total (bits 0-127), claimed (128-255).
            assembly ("memory-safe") {
                packed := sload(add(rc.slot, 1))
            }
            uint256 total = uint128(packed);
            uint256 claimed = packed >> 128;
            // claimed <= total always (this check is the only way claimed grows), and after
            // it claimed + amount <= total < 2**128: the sum fits the claimed half of the slot.
            unchecked {
                if (amount > total - claimed) {
                    revert ClaimExceedsRootTotal(challengeId, phase, claimed, amount, total);
                }
                packed += amount << 128;
            }
            assembly ("memory-safe") {
                sstore(add(rc.slot, 1), packed)
            }
        }
        // emit Claimed(challengeId, phase, account, amount), its data written in scratch space
        // instead of newly allocated memory.
        bytes32 topic = Claimed.selector;
        assembly ("memory-safe") {
            mstore(0x00, phase)
            mstore(0x20, amount)
            log3(0x00, 0x40, topic, challengeId, account)
        }
        if (amount > 0) IERC20(address(uint160(header))).safeTransfer(account, amount);
    }

    /// @inheritdoc IRewardVault
    function refundRemainder(uint256 challengeId) external nonReentrant {
        (address token, address owner,,, uint32 phaseCount) = registry.payoutRules(challengeId);
        if (msg.sender != owner) revert NotChallengeOwner(challengeId, msg.sender, owner);
        Escrow storage e = _escrows[challengeId];
        if (e.closed) revert AlreadyRefunded(challengeId);
        // After the close no root can be posted or disputed, so nothing allocated can return
        // to the escrow later: every phase must be settled now.
        for (uint32 phase = 0; phase < phaseCount; ++phase) {
            _requireSettled(challengeId, phase);
        }
        uint256 amount = unallocated(challengeId);
        e.closed = true;
        e.refunded += amount;
        emit RemainderRefunded(challengeId, owner, amount);
        if (amount > 0) IERC20(token).safeTransfer(owner, amount);
    }

    /// @inheritdoc IRewardVault
    function withdrawBonds() external nonReentrant {
        uint256 amount = _bondCredit[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _bondCredit[msg.sender] = 0;
        emit BondWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert EthTransferFailed(msg.sender, amount);
    }

    /// @inheritdoc IRewardVault
    function getRoot(uint256 challengeId, uint32 phase) external view returns (RootRecord memory) {
        (Root storage r, RootClaims storage rc) = _currentRoot(challengeId, phase);
        return RootRecord({
            merkleRoot: r.merkleRoot,
            total: rc.total,
            seq: r.seq,
            claimableAt: rc.claimableAt,
            state: rc.state,
            disputer: r.disputer,
            disputeBond: r.disputeBond,
            claimed: rc.claimed,
            arbiterDeadline: r.arbiterDeadline,
            windowLeft: r.windowLeft,
            voidedAt: r.voidedAt
        });
    }

    /// @inheritdoc IRewardVault
    function isClaimed(
        uint256 challengeId,
        uint32 phase,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external view returns (bool) {
        (Root storage r, RootClaims storage rc) = _currentRoot(challengeId, phase);
        if (rc.state == RootState.None) return false;
        (bytes32 computedRoot, uint256 code) = MerklePath.walk(proof, _leaf(account, amount));
        if (computedRoot != r.merkleRoot) revert InvalidProof(account, amount);
        return rc.claimedLeaves[code >> 8].bits & (1 << (code & 0xff)) != 0;
    }

    /// @inheritdoc IRewardVault
    function hasDisputed(uint256 challengeId, uint32 phase, address account)
        external
        view
        returns (bool)
    {
        (Root storage r,) = _currentRoot(challengeId, phase);
        return _disputedBy[_claimsKey(challengeId, phase, r.merkleRoot)][account];
    }

    /// @inheritdoc IRewardVault
    function escrowBalance(uint256 challengeId) external view returns (uint256) {
        Escrow storage e = _escrows[challengeId];
        if (e.deposited == 0) return 0;
        (,,,, uint32 phaseCount) = registry.payoutRules(challengeId);
        uint256 claimed = 0;
        for (uint32 phase = 0; phase < phaseCount; ++phase) {
            (, RootClaims storage rc) = _currentRoot(challengeId, phase);
            claimed += rc.claimed;
        }
        return e.deposited - claimed - e.refunded;
    }

    /// @inheritdoc IRewardVault
    function unallocated(uint256 challengeId) public view returns (uint256) {
        Escrow storage e = _escrows[challengeId];
        return e.deposited - e.allocated - e.refunded;
    }

    /// @inheritdoc IRewardVault
    function isClosed(uint256 challengeId) external view returns (bool) {
        return _escrows[challengeId].closed;
    }

    /// @inheritdoc IRewardVault
    function bondCredit(address account) external view returns (uint256) {
        return _bondCredit[account];
    }

    /// @inheritdoc IRewardVault
    function rewardRootDigest(RewardRoot calldata root) external view returns (bytes32) {
        return _hashTypedDataV4(_structHash(root));
    }

    function _structHash(RewardRoot calldata r) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                REWARD_ROOT_TYPEHASH,
                r.challengeId,
                r.phase,
                r.correction,
                r.seq,
                r.configDigest,
                r.merkleRoot,
                r.total,
                r.reportCidHash
            )
        );
    }

    /// @dev A root may be posted under the phase's current correction, once the holdout (or HOLDOUT_DEADLINE has passed without it)
    /// and every batch's private scores are out, before the challenge closes, with a seq above
    /// the phase's previous root's, when the phase has no live root, for no more than the
    /// phase's bounty and what the escrow has unallocated. Returns the token and the dispute
    /// window the root takes.
    function _checkPostable(RewardRoot calldata root)
        private
        view
        returns (address token, uint32 disputeWindow)
    {
        uint256 challengeId = root.challengeId;
        IChallengeRegistry.Phase memory phase = registry.getPhase(challengeId, root.phase);
        if (root.correction != phase.correction) {
            revert WrongCorrection(challengeId, root.phase, root.correction, phase.correction);
        }
        if (!phase.holdoutRevealed && block.timestamp < phase.revealEnd + HOLDOUT_DEADLINE) {
            revert HoldoutNotRevealed(challengeId, root.phase, phase.revealEnd + HOLDOUT_DEADLINE);
        }
        if (_escrows[challengeId].closed) revert ChallengeClosed(challengeId);
        (uint32 batches, uint32 opened) = scoreBoard.phaseBatches(challengeId, root.phase);
        if (opened != batches) {
            revert PrivateScoresNotRevealed(challengeId, root.phase, batches, opened);
        }
        // Sequence numbers count per phase: roots relayed out of order all land, and a voided
        // root's signatures never post again.
        (Root storage r, RootClaims storage current) = _currentRoot(challengeId, root.phase);
        if (root.seq <= r.seq) revert StaleRewardSeq(challengeId, root.phase, root.seq, r.seq);
        RootState state = current.state;
        if (state != RootState.None && state != RootState.Voided) {
            revert RootAlreadyPosted(challengeId, root.phase, state);
        }
        if (root.total > phase.bounty) revert RewardsExceedPhaseBounty(root.total, phase.bounty);
        uint256 available = unallocated(challengeId);
        if (root.total > available) revert RewardsExceedEscrow(root.total, available);
        (token,, disputeWindow,,) = registry.payoutRules(challengeId);
    }

    /// @dev Why a claim whose proof found no open root fails: the phase's current root is not
    /// open (yet), or it is and the proof does not lead to it. Only failing claims pay for it.
    function _refuseClaim(uint256 challengeId, uint32 phase, address account, uint256 amount)
        private
        view
    {
        (, RootClaims storage current) = _currentRoot(challengeId, phase);
        if (current.state != RootState.Posted || block.timestamp < current.claimableAt) {
            revert ClaimsNotOpen(challengeId, phase, current.claimableAt, current.state);
        }
        revert InvalidProof(account, amount);
    }

    /// @dev The `_rootClaims` key of a phase's root with hash `merkleRoot`:
    /// `keccak256(abi.encode(challengeId, phase, merkleRoot))`, in memory past the free
    /// memory pointer (not allocated).
    function _claimsKey(uint256 challengeId, uint32 phase, bytes32 merkleRoot)
        private
        pure
        returns (bytes32 key)
    {
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, challengeId)
            mstore(add(p, 0x20), phase)
            mstore(add(p, 0x40), merkleRoot)
            key := keccak256(p, 0x60)
        }
    }

    /// @dev The phase's current root and its claims record (an empty one, state None, when the
    /// phase has no root).
    function _currentRoot(uint256 challengeId, uint32 phase)
        private
        view
        returns (Root storage r, RootClaims storage rc)
    {
        r = _roots[challengeId][phase];
        rc = _rootClaims[_claimsKey(challengeId, phase, r.merkleRoot)];
    }

    /// @dev The StandardMerkleTree leaf of `(account, amount)`:
    /// `keccak256(bytes.concat(keccak256(abi.encode(account, amount))))`, in scratch space.
    function _leaf(address account, uint256 amount) private pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, amount)
            mstore(0x00, keccak256(0x00, 0x40))
            leaf := keccak256(0x00, 0x20)
        }
    }

    function _disputedRoot(uint256 challengeId, uint32 phase)
        private
        view
        returns (Root storage r, RootClaims storage rc)
    {
        (r, rc) = _currentRoot(challengeId, phase);
        if (rc.state != RootState.Disputed) revert NotDisputed(challengeId, phase, rc.state);
    }

    /// @dev A dispute ended without voiding the root: the root stands, and the dispute window
    /// runs again for what was left of it when the dispute was filed.
    function _resumeWindow(Root storage r, RootClaims storage rc) private {
        rc.state = RootState.Posted;
        rc.claimableAt = uint40(block.timestamp + r.windowLeft);
    }

    /// @dev Reverts unless the phase can no longer change what it allocates: its root's claims
    /// are open, or it was voided REFUND_GRACE ago without a repost, or it never had a root and
    /// REFUND_GRACE has passed since its reveal end.
    function _requireSettled(uint256 challengeId, uint32 phase) private view {
        (Root storage r, RootClaims storage rc) = _currentRoot(challengeId, phase);
        RootState state = rc.state;
        uint64 settledAt;
        if (state == RootState.None) {
            settledAt = registry.getPhase(challengeId, phase).revealEnd + uint64(REFUND_GRACE);
        } else if (state == RootState.Voided) {
            settledAt = r.voidedAt + uint64(REFUND_GRACE);
        } else if (state == RootState.Posted) {
            settledAt = rc.claimableAt;
        } else {
            settledAt = type(uint64).max; // disputed: settled once the dispute ends
        }
        if (block.timestamp < settledAt) {
            revert PhaseNotSettled(challengeId, phase, state, settledAt);
        }
    }

    function _creditBond(address account, uint256 amount) private {
        _bondCredit[account] += amount;
        emit BondCredited(account, amount);
    }
}
