"""Decoding custom errors (`error Name(args)`) from revert data with a contract's ABI."""

from typing import Any

from eth_abi.abi import decode
from eth_utils.abi import function_signature_to_4byte_selector


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
            f"{i['name']}={_show(v)}" for i, v in zip(entry["inputs"], values, strict=True)
        )
        return f"{entry['name']}({args})"
    return None


def _show(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)
