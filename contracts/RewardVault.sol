// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {OracleQuorum} from "./OracleQuorum.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "./interfaces/IRewardVault.sol";
import {IScoreBoard} from "./interfaces/IScoreBoard.sol";

/// @title RewardVault
/// @notice Holds every challenge's escrow. Pays only through pull claims against a
/// quorum-posted Merkle root, after its dispute window and up to the root's total, or back
/// to the owner at the end.
contract RewardVault is IRewardVault, OracleQuorum, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant REWARD_ROOT_TYPEHASH = keccak256(
        "RewardRoot(uint256 challengeId,uint32 phase,uint64 seq,bytes32 configDigest,bytes32 merkleRoot,uint256 total,bytes32 reportCidHash)"
    );
    uint256 public constant REFUND_GRACE = 30 days;
    /// @notice How long the arbiter has to decide a dispute before it lapses.
    uint64 public constant ARBITER_PERIOD = 7 days;

    struct Escrow {
        uint256 deposited;
        uint256 allocated; // totals of roots that are not voided
        uint256 refunded;
        bool closed;
    }

    /// @dev A root in storage. Slots 0-2 are what a claim reads; the token is copied from the
    /// registry when the root is posted. `index` numbers roots across all challenges: an
    /// account's claimed flags live in one bitmap word per 256 roots, so a returning
    /// claimant sets a bit in a word it already owns. Totals are capped at 2**128 base units.
    struct Root {
        bytes32 merkleRoot;
        address token;
        uint40 claimableAt;
        RootState state;
        uint48 index;
        uint128 total;
        uint128 claimed;
        uint64 seq;
        address disputer;
        uint128 disputeBond;
        uint64 arbiterDeadline;
    }

    struct ClaimedWord {
        uint256 bits;
    }

    IScoreBoard public immutable scoreBoard;

    uint256 private _rootCount;
    mapping(uint256 challengeId => Escrow) private _escrows;
    mapping(uint256 challengeId => uint64) private _lastRewardSeq;
    mapping(uint256 challengeId => mapping(uint32 phase => Root)) private _roots;
    /// @dev Bit `index % 256` of an account's word `index / 256`: the account claimed under
    /// root `index`. One flat key per (account, word): the account in bits 96-255, the word
    /// (below 2**40, as root indexes stay below 2**48) in bits 0-95. The word sits in a
    /// struct so that a claim reads and writes it through one storage pointer (one hash).
    mapping(uint256 accountAndWord => ClaimedWord) private _claimedBits;
    mapping(address account => uint256) private _bondCredit;

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
        _requireQuorum(root.challengeId, root.configDigest, _structHash(root), signatures);

        uint64 claimableAt = uint64(block.timestamp) + disputeWindow;
        uint256 index = ++_rootCount;
        _lastRewardSeq[root.challengeId] = root.seq;
        _escrows[root.challengeId].allocated += root.total;
        _roots[root.challengeId][root.phase] = Root({
            merkleRoot: root.merkleRoot,
            token: token,
            // Timestamps fit 40 bits until the year 36812; 2**48 roots cannot be posted.
            claimableAt: uint40(claimableAt),
            state: RootState.Posted,
            index: uint48(index),
            total: SafeCast.toUint128(root.total),
            claimed: 0,
            seq: root.seq,
            disputer: address(0),
            disputeBond: 0,
            arbiterDeadline: 0
        });
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
    function dispute(uint256 challengeId, uint32 phase, string calldata reasonCid)
        external
        payable
    {
        Root storage r = _roots[challengeId][phase];
        if (r.state != RootState.Posted) revert NotDisputable(challengeId, phase, r.state);
        if (block.timestamp >= r.claimableAt) {
            revert DisputeWindowClosed(challengeId, phase, r.claimableAt);
        }
        if (r.disputer != address(0)) revert AlreadyDisputed(challengeId, phase, r.disputer);
        (,,,, uint256 bond,) = registry.payoutRules(challengeId);
        if (msg.value != bond) revert WrongDisputeBond(msg.value, bond);
        r.state = RootState.Disputed;
        r.disputer = msg.sender;
        r.disputeBond = SafeCast.toUint128(bond);
        r.arbiterDeadline = uint64(block.timestamp) + ARBITER_PERIOD;
        emit RewardsDisputed(challengeId, phase, msg.sender, bond, reasonCid);
    }

    /// @inheritdoc IRewardVault
    function resolveDispute(uint256 challengeId, uint32 phase, bool uphold) external {
        Root storage r = _disputedRoot(challengeId, phase);
        (, address owner, address arbiter,,,) = registry.payoutRules(challengeId);
        if (msg.sender != arbiter) revert NotArbiter(msg.sender, arbiter);
        if (block.timestamp >= r.arbiterDeadline) {
            revert ArbiterDeadlinePassed(challengeId, phase, r.arbiterDeadline);
        }
        uint256 bond = r.disputeBond;
        r.disputeBond = 0;
        if (uphold) {
            r.state = RootState.Voided;
            _escrows[challengeId].allocated -= r.total;
            _creditBond(r.disputer, bond);
        } else {
            // Claims open once the window that the dispute interrupted has passed.
            r.state = RootState.Posted;
            _creditBond(owner, bond);
        }
        emit DisputeResolved(challengeId, phase, uphold, msg.sender);
    }

    /// @inheritdoc IRewardVault
    function lapseDispute(uint256 challengeId, uint32 phase) external {
        Root storage r = _disputedRoot(challengeId, phase);
        if (block.timestamp < r.arbiterDeadline) {
            revert DisputeNotLapsed(challengeId, phase, r.arbiterDeadline);
        }
        uint256 bond = r.disputeBond;
        address disputer = r.disputer;
        r.disputeBond = 0;
        r.state = RootState.Posted;
        _creditBond(disputer, bond);
        emit DisputeLapsed(challengeId, phase, disputer, bond);
    }

    /// @inheritdoc IRewardVault
    /// @dev One function without internal calls of its own (each call costs jumps and stack
    /// shuffles on the hottest path): open root, claimed bit, proof, root total, event, payment.
    function claim(
        uint256 challengeId,
        uint32 phase,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external nonReentrant {
        Root storage r = _roots[challengeId][phase];
        uint256 header;
        // Root slot 1, read once: token (bits 0-159), claimableAt (160-199), state (200-207),
        // index (208-255).
        assembly ("memory-safe") {
            header := sload(add(r.slot, 1))
        }
        {
            uint40 claimableAt = uint40(header >> 160);
            // The state's byte compared as a number: converting it to the enum costs a range
            // check on the success path.
            if (uint8(header >> 200) != uint8(RootState.Posted) || block.timestamp < claimableAt) {
                revert ClaimsNotOpen(
                    challengeId, phase, claimableAt, RootState(uint8(header >> 200))
                );
            }
        }
        {
            uint256 index = header >> 208;
            ClaimedWord storage word = _claimedBits[_claimedKey(account, index)];
            uint256 bits = word.bits;
            uint256 mask = 1 << (index & 0xff);
            if (bits & mask != 0) revert AlreadyClaimed(challengeId, phase, account);
            word.bits = bits | mask;
        }
        if (MerkleProof.processProofCalldata(proof, _leaf(account, amount)) != r.merkleRoot) {
            revert InvalidProof(account, amount);
        }
        {
            uint256 packed;
            // Root slot 2: total (bits 0-127), claimed (128-255).
            assembly ("memory-safe") {
                packed := sload(add(r.slot, 2))
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
                sstore(add(r.slot, 2), packed)
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
        (address token, address owner,,,, uint32 phaseCount) = registry.payoutRules(challengeId);
        Escrow storage e = _escrows[challengeId];
        if (e.closed) revert AlreadyRefunded(challengeId);
        uint32 finalPhase = phaseCount - 1;
        Root storage last = _roots[challengeId][finalPhase];
        uint64 refundableAt =
            registry.getPhase(challengeId, finalPhase).revealEnd + uint64(REFUND_GRACE);
        bool finalClaimable = last.state == RootState.Posted && block.timestamp >= last.claimableAt;
        if (!finalClaimable && block.timestamp < refundableAt) {
            revert NotRefundable(challengeId, refundableAt);
        }
        // After the close no root can be posted or disputed, so nothing allocated can return
        // to the escrow later: every root must be settled now.
        for (uint32 phase = 0; phase < phaseCount; ++phase) {
            Root storage r = _roots[challengeId][phase];
            RootState state = r.state;
            if (
                state == RootState.Disputed
                    || (state == RootState.Posted && block.timestamp < r.claimableAt)
            ) {
                revert RootNotSettled(challengeId, phase, state, r.claimableAt);
            }
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
        Root storage r = _roots[challengeId][phase];
        return RootRecord({
            merkleRoot: r.merkleRoot,
            total: r.total,
            seq: r.seq,
            claimableAt: r.claimableAt,
            state: r.state,
            disputer: r.disputer,
            disputeBond: r.disputeBond,
            claimed: r.claimed,
            arbiterDeadline: r.arbiterDeadline
        });
    }

    /// @inheritdoc IRewardVault
    function isClaimed(uint256 challengeId, uint32 phase, address account)
        external
        view
        returns (bool)
    {
        Root storage r = _roots[challengeId][phase];
        if (r.state == RootState.None) return false;
        uint256 index = r.index;
        return _claimedBits[_claimedKey(account, index)].bits & (1 << (index & 0xff)) != 0;
    }

    /// @inheritdoc IRewardVault
    function escrowBalance(uint256 challengeId) external view returns (uint256) {
        Escrow storage e = _escrows[challengeId];
        if (e.deposited == 0) return 0;
        (,,,,, uint32 phaseCount) = registry.payoutRules(challengeId);
        uint256 claimed = 0;
        for (uint32 phase = 0; phase < phaseCount; ++phase) {
            claimed += _roots[challengeId][phase].claimed;
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
    function lastRewardSeq(uint256 challengeId) external view returns (uint64) {
        return _lastRewardSeq[challengeId];
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
                r.seq,
                r.configDigest,
                r.merkleRoot,
                r.total,
                r.reportCidHash
            )
        );
    }

    /// @dev A root may be posted once the holdout and every batch's private scores are out,
    /// before the challenge closes, with a fresh seq, when the phase has no live root, for no
    /// more than the phase's bounty and what the escrow has unallocated. Returns the token and
    /// the dispute window the root takes.
    function _checkPostable(RewardRoot calldata root)
        private
        view
        returns (address token, uint32 disputeWindow)
    {
        uint256 challengeId = root.challengeId;
        IChallengeRegistry.Phase memory phase = registry.getPhase(challengeId, root.phase);
        if (!phase.holdoutRevealed) revert HoldoutNotRevealed(challengeId, root.phase);
        if (_escrows[challengeId].closed) revert ChallengeClosed(challengeId);
        (uint32 batches, uint32 opened) = scoreBoard.phaseBatches(challengeId, root.phase);
        if (opened != batches) {
            revert PrivateScoresNotRevealed(challengeId, root.phase, batches, opened);
        }
        uint64 last = _lastRewardSeq[challengeId];
        if (root.seq <= last) revert StaleRewardSeq(challengeId, root.seq, last);
        RootState state = _roots[challengeId][root.phase].state;
        if (state != RootState.None && state != RootState.Voided) {
            revert RootAlreadyPosted(challengeId, root.phase, state);
        }
        if (root.total > phase.bounty) revert RewardsExceedPhaseBounty(root.total, phase.bounty);
        uint256 available = unallocated(challengeId);
        if (root.total > available) revert RewardsExceedEscrow(root.total, available);
        (token,,, disputeWindow,,) = registry.payoutRules(challengeId);
    }

    /// @dev The `_claimedBits` key of the word that holds root `index`'s bit for `account`.
    function _claimedKey(address account, uint256 index) private pure returns (uint256) {
        return uint256(uint160(account)) << 96 | index >> 8;
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
        returns (Root storage r)
    {
        r = _roots[challengeId][phase];
        if (r.state != RootState.Disputed) revert NotDisputed(challengeId, phase, r.state);
    }

    function _creditBond(address account, uint256 amount) private {
        _bondCredit[account] += amount;
        emit BondCredited(account, amount);
    }
}
