// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IChallengeRegistry} from "./IChallengeRegistry.sol";

/// @title The M-of-N oracle signature check shared by ScoreBoard and RewardVault
/// @notice EIP-712 domain: name "Coopetition", version "1", the chain id and the verifying
/// contract. Signers must be oracles of the phase's judges (`phaseJudges`: the version in
/// force when the phase's commits opened), strictly ascending.
interface IOracleQuorum {
    /// @notice The signed config digest is not the one of the phase's judges (`expected`).
    error StaleConfigDigest(bytes32 signed, bytes32 expected);
    error QuorumNotReached(uint256 signatures, uint8 quorum);
    error NotAnOracle(address signer);
    error SignersNotSorted(uint256 index, address previous, address signer);

    function registry() external view returns (IChallengeRegistry);
}
