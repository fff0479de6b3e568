// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {OracleQuorum} from "./OracleQuorum.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IRewardVault} from "./interfaces/IRewardVault.sol";

/// @title RewardVault
/// @notice Holds every challenge's escrow. Pays only through pull claims against a
/// quorum-posted Merkle root, after its dispute window, or back to the owner at the end.
contract RewardVault is IRewardVault, OracleQuorum, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant REWARD_ROOT_TYPEHASH = keccak256(
        "RewardRoot(uint256 challengeId,uint32 phase,uint64 seq,bytes32 configDigest,bytes32 merkleRoot,uint256 total,bytes32 reportCidHash)"
    );
    uint256 public constant REFUND_GRACE = 30 days;

    struct Escrow {
        address token; // cached at the first deposit so a claim reads one slot
        bool closed;
        uint256 deposited;
        uint256 allocated; // totals of roots that are not voided
        uint256 claimed;
        uint256 refunded;
    }

    mapping(uint256 challengeId => Escrow) private _escrows;
    mapping(uint256 challengeId => uint64) private _lastRewardSeq;
    mapping(uint256 challengeId => mapping(uint32 phase => RootRecord)) private _roots;
    mapping(uint256 challengeId => mapping(uint32 phase => mapping(address => bool))) private
        _claimed;
    mapping(address account => uint256) private _bondCredit;

    constructor(IChallengeRegistry registry_) OracleQuorum(registry_) {}

    /// @inheritdoc IRewardVault
    function escrow(uint256 challengeId, address token, address from, uint256 amount)
        external
        nonReentrant
    {
        if (msg.sender != address(registry)) revert OnlyRegistry(msg.sender);
        Escrow storage e = _escrows[challengeId];
        e.token = token;
        e.deposited += amount;
        emit BountyEscrowed(challengeId, from, amount);
        IERC20(token).safeTransferFrom(from, address(this), amount);
    }

    /// @inheritdoc IRewardVault
    function postRewards(
        RewardRoot calldata root,
        string calldata reportCid,
        bytes[] calldata signatures
    ) external {
        _checkPostable(root);
        bytes32 cidHash = keccak256(bytes(reportCid));
        if (cidHash != root.reportCidHash) revert ReportCidMismatch(root.reportCidHash, cidHash);
        _requireQuorum(root.challengeId, root.configDigest, _structHash(root), signatures);

        (,,, uint32 disputeWindow,,) = registry.payoutRules(root.challengeId);
        uint64 claimableAt = uint64(block.timestamp) + disputeWindow;
        _lastRewardSeq[root.challengeId] = root.seq;
        _escrows[root.challengeId].allocated += root.total;
        _roots[root.challengeId][root.phase] = RootRecord({
            merkleRoot: root.merkleRoot,
            total: root.total,
            seq: root.seq,
            claimableAt: claimableAt,
            state: RootState.Posted,
            disputer: address(0),
            disputeBond: 0
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
        RootRecord storage record = _roots[challengeId][phase];
        if (record.state != RootState.Posted) {
            revert NotDisputable(challengeId, phase, record.state);
        }
        if (block.timestamp >= record.claimableAt) {
            revert DisputeWindowClosed(challengeId, phase, record.claimableAt);
        }
        (,,,, uint256 bond,) = registry.payoutRules(challengeId);
        if (msg.value != bond) revert WrongDisputeBond(msg.value, bond);
        record.state = RootState.Disputed;
        record.disputer = msg.sender;
        record.disputeBond = bond;
        emit RewardsDisputed(challengeId, phase, msg.sender, bond, reasonCid);
    }

    /// @inheritdoc IRewardVault
    function resolveDispute(uint256 challengeId, uint32 phase, bool uphold) external {
        RootRecord storage record = _roots[challengeId][phase];
        if (record.state != RootState.Disputed) {
            revert NotDisputed(challengeId, phase, record.state);
        }
        (, address owner, address arbiter,,,) = registry.payoutRules(challengeId);
        if (msg.sender != arbiter) revert NotArbiter(msg.sender, arbiter);
        uint256 bond = record.disputeBond;
        record.disputeBond = 0;
        if (uphold) {
            record.state = RootState.Voided;
            _escrows[challengeId].allocated -= record.total;
            _creditBond(record.disputer, bond);
        } else {
            // Claims open once the window that the dispute interrupted has passed.
            record.state = RootState.Posted;
            _creditBond(owner, bond);
        }
        emit DisputeResolved(challengeId, phase, uphold, msg.sender);
    }

    /// @inheritdoc IRewardVault
    function claim(
        uint256 challengeId,
        uint32 phase,
        address account,
        uint256 amount,
        bytes32[] calldata proof
    ) external nonReentrant {
        RootRecord storage record = _roots[challengeId][phase];
        if (record.state != RootState.Posted || block.timestamp < record.claimableAt) {
            revert ClaimsNotOpen(challengeId, phase, record.claimableAt, record.state);
        }
        if (_claimed[challengeId][phase][account]) {
            revert AlreadyClaimed(challengeId, phase, account);
        }
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(account, amount))));
        if (!MerkleProof.verifyCalldata(proof, record.merkleRoot, leaf)) {
            revert InvalidProof(account, amount);
        }
        _claimed[challengeId][phase][account] = true;
        _escrows[challengeId].claimed += amount;
        emit Claimed(challengeId, phase, account, amount);
        IERC20(_escrows[challengeId].token).safeTransfer(account, amount);
    }

    /// @inheritdoc IRewardVault
    function refundRemainder(uint256 challengeId) external nonReentrant {
        (address token, address owner,,,, uint32 phaseCount) = registry.payoutRules(challengeId);
        Escrow storage e = _escrows[challengeId];
        if (e.closed) revert AlreadyRefunded(challengeId);
        uint32 finalPhase = phaseCount - 1;
        RootRecord storage record = _roots[challengeId][finalPhase];
        uint64 refundableAt =
            registry.getPhase(challengeId, finalPhase).revealEnd + uint64(REFUND_GRACE);
        bool settled = record.state == RootState.Posted && block.timestamp >= record.claimableAt;
        if (!settled && (block.timestamp < refundableAt || record.state == RootState.Disputed)) {
            revert NotRefundable(challengeId, refundableAt);
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
        return _roots[challengeId][phase];
    }

    /// @inheritdoc IRewardVault
    function isClaimed(uint256 challengeId, uint32 phase, address account)
        external
        view
        returns (bool)
    {
        return _claimed[challengeId][phase][account];
    }

    /// @inheritdoc IRewardVault
    function escrowBalance(uint256 challengeId) external view returns (uint256) {
        Escrow storage e = _escrows[challengeId];
        return e.deposited - e.claimed - e.refunded;
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

    /// @dev A root may be posted once the holdout is out, with a fresh seq, when the phase has
    /// no live root, for no more than the phase's bounty and what the escrow has unallocated.
    function _checkPostable(RewardRoot calldata root) private view {
        uint256 challengeId = root.challengeId;
        IChallengeRegistry.Phase memory phase = registry.getPhase(challengeId, root.phase);
        if (!phase.holdoutRevealed) revert HoldoutNotRevealed(challengeId, root.phase);
        uint64 last = _lastRewardSeq[challengeId];
        if (root.seq <= last) revert StaleRewardSeq(challengeId, root.seq, last);
        RootState state = _roots[challengeId][root.phase].state;
        if (state != RootState.None && state != RootState.Voided) {
            revert RootAlreadyPosted(challengeId, root.phase, state);
        }
        if (root.total > phase.bounty) revert RewardsExceedPhaseBounty(root.total, phase.bounty);
        uint256 available = unallocated(challengeId);
        if (root.total > available) revert RewardsExceedEscrow(root.total, available);
    }

    function _creditBond(address account, uint256 amount) private {
        _bondCredit[account] += amount;
        emit BondCredited(account, amount);
    }
}
