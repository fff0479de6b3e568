// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title The reward token: a plain ERC-20 with ERC-2612 permit; its owner can mint
/// @notice Any ERC-20 can be a challenge's reward token; this one is for demos and tests.
interface ICoopToken is IERC20, IERC20Permit {
    /// @notice Mints `amount` to `to`. Owner only.
    function mint(address to, uint256 amount) external;
}
