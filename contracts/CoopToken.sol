// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {ICoopToken} from "./interfaces/ICoopToken.sol";

/// @title CoopToken
/// @notice ERC-20 + ERC-2612 permit reward token, minted by its owner.
contract CoopToken is ICoopToken, ERC20Permit, Ownable2Step {
    constructor(string memory name_, string memory symbol_, address initialOwner)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
        Ownable(initialOwner)
    {}

    /// @inheritdoc ERC20Permit
    function nonces(address owner)
        public
        view
        override(ERC20Permit, IERC20Permit)
        returns (uint256)
    {
        return super.nonces(owner);
    }

    /// @inheritdoc ICoopToken
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
