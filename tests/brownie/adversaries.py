"""Counterparts the protocol must withstand, compiled from source at test time.

They are not stand-ins for project code: a token that takes a fee on every transfer and a
contract account that refuses plain ETH are real kinds of accounts on any EVM chain, and
the only way to show the contracts' answers to them.
"""

from typing import Any

from brownie.project import compile_source

SOURCE = """// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// An ERC-20 that burns 1% of every transfer: recipients get 99% of the amount.
contract FeeOnTransferToken {
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
    uint256 public totalSupply;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
        totalSupply += amount;
        emit Transfer(address(0), to, amount);
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        _move(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        allowance[from][msg.sender] -= amount;
        _move(from, to, amount);
        return true;
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 fee = amount / 100;
        balanceOf[from] -= amount;
        balanceOf[to] += amount - fee;
        totalSupply -= fee;
        emit Transfer(from, to, amount - fee);
    }
}

/// A contract account without receive or fallback: plain ETH sent to it fails. Its deployer
/// makes it call other contracts, once or twice in the same transaction; a failed call's
/// revert data is passed on unchanged.
contract EthRefusingAccount {
    address private immutable deployer;

    constructor() {
        deployer = msg.sender;
    }

    function execute(address target, bytes calldata data) external payable {
        _call(target, msg.value, data);
    }

    function executeTwo(address target, bytes calldata first, bytes calldata second)
        external
        payable
    {
        _call(target, msg.value, first);
        _call(target, 0, second);
    }

    function _call(address target, uint256 value, bytes calldata data) private {
        require(msg.sender == deployer, "not the deployer");
        (bool ok, bytes memory ret) = target.call{value: value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}
"""


def compile_adversaries() -> Any:
    """A brownie TempProject with `FeeOnTransferToken` and `EthRefusingAccount`."""
    return compile_source(SOURCE, solc_version="0.8.30", evm_version="cancun")
