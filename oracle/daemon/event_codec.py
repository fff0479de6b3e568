"""ChainEvents to JSON text and back, so the daemon can keep the events it read in SQLite.

Event arguments are ints (any size), strings, bools, bytes, tuples and read-only mappings
(decoded structs). JSON keeps ints and strings; bytes become {"$b": hex}, mappings
{"$m": {...}} and tuples lists, so `decode(encode(e)) == e` field for field.
"""

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from oracle.chain.events import ChainEvent


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b": value.hex()}
    if isinstance(value, Mapping):
        return {"$m": {k: _plain(v) for k, v in value.items()}}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _typed(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_typed(v) for v in value)
    if isinstance(value, dict):
        if "$b" in value:
            return bytes.fromhex(value["$b"])
        return MappingProxyType({k: _typed(v) for k, v in value["$m"].items()})
    return value


def encode_args(event: ChainEvent) -> str:
    return json.dumps(_plain(event.args), separators=(",", ":"))


def decode_event(
    contract: str,
    name: str,
    args_json: str,
    block_number: int,
    block_hash: bytes,
    tx_hash: bytes,
    log_index: int,
) -> ChainEvent:
    args = _typed(json.loads(args_json))
    assert isinstance(args, MappingProxyType)
    return ChainEvent(
        contract, name, args, block_number, bytes(block_hash), bytes(tx_hash), log_index
    )
