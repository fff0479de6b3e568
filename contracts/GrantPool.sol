// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IChallengeRegistry} from "./interfaces/IChallengeRegistry.sol";
import {IGrantPool} from "./interfaces/IGrantPool.sol";
import {IScoreBoard} from "./interfaces/IScoreBoard.sol";

/// @title GrantPool
/// @notice Sponsors' mini-grants, paid from escrow against the ScoreBoard's released public
/// bests: no oracle signs anything for a grant, the quorum-signed score batch already did.
contract GrantPool is IGrantPool, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The longest a sponsor may keep claims open after the phase's reveal end.
    uint64 public constant MAX_CLAIM_GRACE = 90 days;

    IChallengeRegistry public immutable registry;
    IScoreBoard public immutable scoreBoard;

    Pool[] private _pools;
    mapping(uint256 poolId => mapping(address participant => bool)) private _paid;

    constructor(IChallengeRegistry registry_, IScoreBoard scoreBoard_) {
        registry = registry_;
        scoreBoard = scoreBoard_;
    }

    /// @inheritdoc IGrantPool
    function fund(
        uint256 challengeId,
        uint32 phase,
        address token,
        int256 threshold,
        uint256 amountEach,
        uint32 slots,
        uint64 claimGrace
    ) external nonReentrant returns (uint256 poolId) {
        if (amountEach == 0) revert ZeroAmount();
        if (slots == 0) revert ZeroSlots();
        if (token.code.length == 0) revert InvalidToken();
        if (claimGrace > MAX_CLAIM_GRACE) revert ClaimGraceTooLong(claimGrace, MAX_CLAIM_GRACE);
        // Reverts with UnknownChallenge / UnknownPhase for a phase that does not exist.
        (,, uint64 revealEnd,) = registry.scoringRules(challengeId, phase);
        if (block.timestamp > revealEnd) {
            revert PhaseOver(challengeId, phase, revealEnd, block.timestamp);
        }
        uint256 total = amountEach * slots;
        _pools.push(
            Pool({
                sponsor: msg.sender,
                claimGrace: claimGrace,
                reclaimed: false,
                token: token,
                phase: phase,
                slots: slots,
                paid: 0,
                challengeId: challengeId,
                threshold: threshold,
                amountEach: amountEach
            })
        );
        poolId = _pools.length;
        emit GrantFunded(
            poolId, challengeId, phase, msg.sender, token, threshold, amountEach, slots, claimGrace
        );
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), total);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != total) revert FundingShortfall(total, received);
    }

    /// @inheritdoc IGrantPool
    function claim(uint256 poolId, address participant) external nonReentrant {
        Pool storage pool = _poolOf(poolId);
        (, bool higherIsBetter, uint64 revealEnd,) =
            registry.scoringRules(pool.challengeId, pool.phase);
        uint256 closes = uint256(revealEnd) + pool.claimGrace;
        if (block.timestamp > closes) revert ClaimsClosed(poolId, closes, block.timestamp);
        if (_paid[poolId][participant]) revert AlreadyPaid(poolId, participant);
        if (pool.paid >= pool.slots) revert PoolExhausted(poolId, pool.slots);
        IScoreBoard.Best memory best =
            scoreBoard.releasedBest(pool.challengeId, pool.phase, participant);
        if (!best.released) revert NoPublicScore(poolId, participant);
        int256 score = best.score;
        bool beats = higherIsBetter ? score > pool.threshold : score < pool.threshold;
        if (!beats) revert BelowThreshold(poolId, participant, score, pool.threshold);

        _paid[poolId][participant] = true;
        ++pool.paid;
        uint256 amount = pool.amountEach;
        emit GrantPaid(poolId, participant, score, amount, msg.sender);
        IERC20(pool.token).safeTransfer(participant, amount);
    }

    /// @inheritdoc IGrantPool
    function reclaim(uint256 poolId) external nonReentrant returns (uint256 amount) {
        Pool storage pool = _poolOf(poolId);
        uint256 closes = _closesAt(pool);
        if (block.timestamp <= closes) revert ClaimsStillOpen(poolId, closes, block.timestamp);
        if (pool.reclaimed) revert AlreadyReclaimed(poolId);
        pool.reclaimed = true;
        amount = pool.amountEach * (pool.slots - pool.paid);
        address sponsor = pool.sponsor;
        emit GrantReclaimed(poolId, sponsor, amount);
        if (amount != 0) IERC20(pool.token).safeTransfer(sponsor, amount);
    }

    /// @inheritdoc IGrantPool
    function poolCount() external view returns (uint256) {
        return _pools.length;
    }

    /// @inheritdoc IGrantPool
    function getPool(uint256 poolId) external view returns (Pool memory) {
        return _poolOf(poolId);
    }

    /// @inheritdoc IGrantPool
    function isPaid(uint256 poolId, address participant) external view returns (bool) {
        return _paid[poolId][participant];
    }

    /// @inheritdoc IGrantPool
    function closesAt(uint256 poolId) external view returns (uint256) {
        return _closesAt(_poolOf(poolId));
    }

    function _poolOf(uint256 poolId) private view returns (Pool storage) {
        if (poolId == 0 || poolId > _pools.length) revert UnknownPool(poolId);
        return _pools[poolId - 1];
    }

    function _closesAt(Pool storage pool) private view returns (uint256) {
        (,, uint64 revealEnd,) = registry.scoringRules(pool.challengeId, pool.phase);
        return uint256(revealEnd) + pool.claimGrace;
    }
}
