// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Mini-grants: a fixed amount to each of the first N participants past a threshold
/// @notice A sponsor (the challenge owner or anyone) escrows `amountEach × slots` of any ERC-20
/// for one phase of a challenge. A participant qualifies when its released public best on the
/// phase's Ladder (`IScoreBoard.releasedBest`) beats `threshold` in the phase's direction
/// (strictly above when higher is better, strictly below otherwise). Anyone may claim for a
/// qualifying participant, at once, as soon as the batch that released that best is on chain;
/// the payment always goes to the participant, once per pool. The first `slots` distinct
/// participants claimed for are paid. Claims close `claimGrace` seconds after the phase's
/// reveal end (read live, so a phase whose windows move moves the close with it); then what is
/// left goes back to the sponsor.
interface IGrantPool {
    /// @dev Five slots: sponsor, claimGrace, reclaimed | token, phase, slots, paid | the rest.
    struct Pool {
        address sponsor;
        uint64 claimGrace;
        bool reclaimed;
        address token;
        uint32 phase;
        uint32 slots;
        uint32 paid;
        uint256 challengeId;
        int256 threshold;
        uint256 amountEach;
    }

    event GrantFunded(
        uint256 indexed poolId,
        uint256 indexed challengeId,
        uint32 indexed phase,
        address sponsor,
        address token,
        int256 threshold,
        uint256 amountEach,
        uint32 slots,
        uint64 claimGrace
    );
    /// @notice `score` is the participant's released public best the claim was checked against.
    event GrantPaid(
        uint256 indexed poolId,
        address indexed participant,
        int256 score,
        uint256 amount,
        address relayer
    );
    event GrantReclaimed(uint256 indexed poolId, address indexed sponsor, uint256 amount);

    error ZeroAmount();
    error ZeroSlots();
    error InvalidToken();
    /// @notice `claimGrace` above MAX_CLAIM_GRACE.
    error ClaimGraceTooLong(uint64 claimGrace, uint64 max);
    /// @notice The phase's reveal end has passed: a new pool could pay nobody in time.
    error PhaseOver(uint256 challengeId, uint32 phase, uint64 revealEnd, uint256 now_);
    /// @notice The token moved less than `amountEach × slots` (a fee-on-transfer token).
    error FundingShortfall(uint256 expected, uint256 received);
    error UnknownPool(uint256 poolId);
    error AlreadyPaid(uint256 poolId, address participant);
    error PoolExhausted(uint256 poolId, uint32 slots);
    /// @notice The participant has no valid scored submission in the phase (none revealed,
    /// none scored yet, or every one invalid).
    error NoPublicScore(uint256 poolId, address participant);
    error BelowThreshold(uint256 poolId, address participant, int256 score, int256 threshold);
    error ClaimsClosed(uint256 poolId, uint256 closesAt, uint256 now_);
    error ClaimsStillOpen(uint256 poolId, uint256 closesAt, uint256 now_);
    error AlreadyReclaimed(uint256 poolId);

    /// @notice Pulls `amountEach × slots` of `token` from the caller (approve it first) into a
    /// new pool for `challengeId`'s `phase`; returns its id (from 1).
    function fund(
        uint256 challengeId,
        uint32 phase,
        address token,
        int256 threshold,
        uint256 amountEach,
        uint32 slots,
        uint64 claimGrace
    ) external returns (uint256 poolId);

    /// @notice Pays `amountEach` to `participant` if its released public best in the pool's
    /// phase beats the threshold, a slot is left and it was not paid from this pool before.
    function claim(uint256 poolId, address participant) external;

    /// @notice After claims close, sends what no claim took back to the sponsor (anyone may
    /// call it).
    function reclaim(uint256 poolId) external returns (uint256 amount);

    function poolCount() external view returns (uint256);
    function getPool(uint256 poolId) external view returns (Pool memory);
    function isPaid(uint256 poolId, address participant) external view returns (bool);
    /// @notice When claims on the pool close: its phase's reveal end plus its claim grace.
    function closesAt(uint256 poolId) external view returns (uint256);
}
