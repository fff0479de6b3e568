"""Decoding custom errors (`error Name(args)`) from revert data with a contract's ABI,
with times shown as dates and amounts in ETH or tokens rather than raw integers."""

from datetime import UTC, datetime
from typing import Any

from eth_abi.abi import decode
from eth_utils.abi import function_signature_to_4byte_selector

from oracle.types import wad_text


def _signature(entry: dict[str, Any]) -> str:
    return f"{entry['name']}({','.join(_type(i) for i in entry['inputs'])})"


def _type(param: dict[str, Any]) -> str:
    if param["type"].startswith("tuple"):
        inner = ",".join(_type(c) for c in param["components"])
        return f"({inner}){param['type'][5:]}"
    return str(param["type"])


def decode_custom_error(abi: list[dict[str, Any]], revert_data: str) -> str | None:
    """`Name(arg=value, ...)` for revert data matching an error in `abi`, else None."""
    selector = bytes.fromhex(revert_data[2:10])
    for entry in abi:
        if entry.get("type") != "error":
            continue
        if function_signature_to_4byte_selector(_signature(entry)) != selector:
            continue
        types = [_type(i) for i in entry["inputs"]]
        values = decode(types, bytes.fromhex(revert_data[10:]))
        args = ", ".join(
            f"{i['name']}={_show(v, entry['name'], i['name'])}"
            for i, v in zip(entry["inputs"], values, strict=True)
        )
        return f"{entry['name']}({args})"
    return None


# Parameters that hold unix times, ETH in wei, or token base units (18 decimals).
TIMES = {"now_", "nextCommitAt", "revealEnd", "commitStart", "commitEnd", "notBefore",
         "arbiterDeadline", "claimableAt", "refundableAt", "dueBy", "revealedAt",
         "committedAt"}  # fmt: skip
ETH_ERRORS = {"WrongCommitBond", "WrongDisputeBond", "EthTransferFailed"}
AMOUNTS = {"sent", "required", "amount", "requested", "received", "unallocated", "total",
           "available", "phaseBounty"}  # fmt: skip


def _show(value: Any, error: str, name: str) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, int) and not isinstance(value, bool):
        if name in TIMES and value > 0:
            return datetime.fromtimestamp(value, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        if name in AMOUNTS:
            return wad_text(value) + (" ETH" if error in ETH_ERRORS else " tokens")
    return str(value)
