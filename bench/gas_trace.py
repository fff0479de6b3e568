"""Where a transaction's gas goes: anvil's geth-style struct logs, summed by kind of work.

Needs an anvil started with `--steps-tracing` (`start_anvil(steps_tracing=True)`). Each
opcode's exclusive cost is the drop in gas to the next opcode of the same call frame; a
call's own cost (cold account, value transfer) is what remains after its callee's opcodes.
The transaction's 21,000 base and calldata bytes come from the transaction itself, and
the storage refund is what balances the sum with the receipt's `gasUsed`.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint

CALLS = {"CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"}
ECRECOVER = 1

KINDS = (
    "transaction base",
    "calldata bytes",
    "storage writes (SSTORE)",
    "storage reads (SLOAD)",
    "events (LOG)",
    "calls to other contracts",
    "signature recovery (ecrecover)",
    "hashing (KECCAK256)",
    "reentrancy guard (TLOAD/TSTORE)",
    "computation, memory, ABI decoding",
    "storage refund",
)


@dataclass(frozen=True)
class GasBreakdown:
    gas_used: int
    by_kind: dict[str, int]

    def scaled(self, divisor: int) -> "GasBreakdown":
        return GasBreakdown(
            round(self.gas_used / divisor), {k: round(v / divisor) for k, v in self.by_kind.items()}
        )


def _kind(op: str, log: dict[str, Any], entered_frame: bool) -> str:
    if op == "SSTORE":
        return "storage writes (SSTORE)"
    if op == "SLOAD":
        return "storage reads (SLOAD)"
    if op.startswith("LOG"):
        return "events (LOG)"
    if op == "KECCAK256" or op == "SHA3":
        return "hashing (KECCAK256)"
    if op in ("TLOAD", "TSTORE"):
        return "reentrancy guard (TLOAD/TSTORE)"
    if op in CALLS:
        stack = log.get("stack") or []
        target = int(str(stack[-2]), 16) if len(stack) >= 2 else -1
        if not entered_frame and target == ECRECOVER:
            return "signature recovery (ecrecover)"
        return "calls to other contracts"
    return "computation, memory, ABI decoding"


def _exclusive_costs(logs: list[dict[str, Any]]) -> list[int]:
    gas = [int(log["gas"]) for log in logs]
    depth = [int(log["depth"]) for log in logs]
    n = len(logs)
    cost = [0] * n
    for i in reversed(range(n)):
        if i + 1 < n and depth[i + 1] == depth[i]:
            cost[i] = gas[i] - gas[i + 1]
        elif i + 1 < n and depth[i + 1] > depth[i]:
            j = next(k for k in range(i + 1, n) if depth[k] <= depth[i])
            cost[i] = gas[i] - gas[j] - sum(cost[i + 1 : j])
        else:  # the last opcode of a frame
            cost[i] = int(logs[i]["gasCost"])
    return cost


def breakdown(w3: Web3, tx_hash: bytes) -> GasBreakdown:
    """The gas of a mined transaction, split into KINDS (they add up to `gasUsed`)."""
    tx = w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
    receipt = w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
    trace = w3.provider.make_request(
        RPCEndpoint("debug_traceTransaction"),
        ["0x" + bytes(tx_hash).hex(), {"enableMemory": False}],
    )
    logs: list[dict[str, Any]] = trace["result"]["structLogs"]
    if not logs:
        raise RuntimeError("no struct logs: start anvil with steps_tracing=True")
    data = bytes(tx["input"])
    by_kind: Counter[str] = Counter()
    by_kind["transaction base"] = 21_000
    by_kind["calldata bytes"] = sum(16 if b else 4 for b in data)
    costs = _exclusive_costs(logs)
    for i, (log, cost) in enumerate(zip(logs, costs, strict=True)):
        entered = i + 1 < len(logs) and int(logs[i + 1]["depth"]) > int(log["depth"])
        by_kind[_kind(str(log["op"]), log, entered)] += cost
    gas_used = int(receipt["gasUsed"])
    by_kind["storage refund"] = gas_used - sum(by_kind.values())
    return GasBreakdown(gas_used, {k: by_kind.get(k, 0) for k in KINDS})
