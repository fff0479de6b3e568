"""Transaction fees from the node's answers: EIP-1559 where the chain has a base fee, the
node's gas price on a chain without one, and the bump that lets a resent transaction
replace the one the node has (or had) with the same nonce.

The priority fee (tip) is the node's `eth_maxPriorityFeePerGas` (web3 falls back to
`eth_feeHistory`'s rewards where a node lacks that method); the fee cap is twice the next
block's base fee (the last entry of `eth_feeHistory`'s `baseFeePerGas`) plus the tip, so
the transaction stays valid while the base fee rises 12.5% a block for six full blocks.
Only base fee + tip is paid; the cap is a ceiling.
"""

from typing import Any

from web3 import Web3

# geth and anvil take a transaction with the same nonce only when both its fee cap and its
# tip are at least 10% higher than the pending one's; 13% clears that with rounding.
REPLACEMENT_BUMP_PERCENT = 13
FEE_FIELDS = ("gasPrice", "maxFeePerGas", "maxPriorityFeePerGas")


def current_fees(w3: Web3) -> dict[str, int]:
    """`maxFeePerGas` and `maxPriorityFeePerGas` for a transaction sent now, or `gasPrice`
    on a chain without a base fee."""
    history = w3.eth.fee_history(1, "latest")
    next_base_fee = int(history["baseFeePerGas"][-1]) if history.get("baseFeePerGas") else 0
    if not next_base_fee:
        return {"gasPrice": int(w3.eth.gas_price)}
    tip = int(w3.eth.max_priority_fee)
    return {"maxFeePerGas": 2 * next_base_fee + tip, "maxPriorityFeePerGas": tip}


def with_fees(w3: Web3, tx: dict[str, Any]) -> dict[str, Any]:
    """`tx` with the current fees, unless it names its own."""
    if any(field in tx for field in FEE_FIELDS):
        return tx
    return {**tx, **current_fees(w3)}


def bumped(w3: Web3, tx: dict[str, Any]) -> dict[str, Any]:
    """`tx` with fees high enough to replace it: each fee field REPLACEMENT_BUMP_PERCENT
    above its old value, or today's fee if that is higher."""
    now = current_fees(w3)
    if "gasPrice" in tx:
        old = int(tx["gasPrice"])
        fresh = now.get("gasPrice", now.get("maxFeePerGas", 0))
        return {**tx, "gasPrice": max(_raised(old), fresh)}
    fields = ("maxFeePerGas", "maxPriorityFeePerGas")
    return {**tx, **{f: max(_raised(int(tx[f])), now.get(f, 0)) for f in fields}}


def _raised(fee: int) -> int:
    return fee * (100 + REPLACEMENT_BUMP_PERCENT) // 100 + 1
