"""One precomputed decoder per platform event: a raw JSON-RPC log straight to its arguments.

web3's `ContractEvent.process_log` works out the event's layout from its ABI on every
log, `eth_getLogs` through web3 first wraps every log in Python objects, and eth_abi's
generic decoders check each value through layers of `isinstance`; together they capped a
catch-up near 2,900 logs/s on this machine. An `EventLayout` does the ABI work once per
event type. Every argument the platform's hot events carry is a 32-byte word (uintN,
intN, address, bool, bytesN) or a dynamic string, bytes or array of such words: those are
read straight from their words, with the same checks eth_abi's strict decoding makes
(padding and sign extension, offsets and lengths inside the data, UTF-8). An event with
any other argument (a struct: ChallengeCreated, PhaseAdded) has its data decoded by
eth_abi, with decoders built once. Values come out as `ChainEvent` carries them:
checksummed address strings, bytes, ints, tuples for arrays, read-only mappings for
structs — what web3's decoding gives, which tests/chain/test_log_layouts.py checks on
every event type of every platform contract.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from eth_abi.decoding import ContextFramesBytesIO, TupleDecoder
from eth_abi.registry import registry
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

WORD = 32
Convert = Callable[[Any], Any]
ReadWord = Callable[[bytes], Any]
ReadData = Callable[[bytes, int], Any]  # (data, head position) -> value


class LogLayoutError(ValueError):
    """A log's topics or data do not fit its event's ABI (another contract, a corrupt node)."""


@lru_cache(maxsize=1 << 16)
def _checksummed(address: str) -> str:
    """A lowercase hex address checksummed; cached, since a few accounts recur in every log."""
    return to_checksum_address(address)


def _identity(value: Any) -> Any:
    return value


def canonical_type(param: Mapping[str, Any]) -> str:
    """The ABI type as it appears in an event signature: structs as (type,type)[]."""
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in param["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


# -- one 32-byte word -----------------------------------------------------------------------


def _refuse(kind: str, word: bytes) -> Any:
    raise LogLayoutError(f"the word {word.hex()} is not a valid {kind}")


def _word_reader(kind: str) -> ReadWord | None:
    """Reads one word as `kind` (checked as eth_abi's strict decoding checks it), or None
    when `kind` is not a one-word value type."""
    if "[" in kind or kind.startswith(("tuple", "(")):
        return None
    if kind == "address":
        return lambda w: _refuse(kind, w) if any(w[:12]) else _checksummed("0x" + w[12:].hex())
    if kind == "bool":
        return lambda w: w[31] == 1 if not any(w[:31]) and w[31] < 2 else _refuse(kind, w)
    if kind.startswith("uint"):
        bits = int(kind[4:] or 256)
        return lambda w: v if not (v := int.from_bytes(w)) >> bits else _refuse(kind, w)
    if kind.startswith("int"):
        half = 1 << (int(kind[3:] or 256) - 1)
        return (
            lambda w: v
            if -half <= (v := int.from_bytes(w, signed=True)) < half
            else _refuse(kind, w)
        )
    if kind.startswith("bytes") and kind != "bytes":
        size = int(kind[5:])
        return lambda w: w[:size] if not any(w[size:]) else _refuse(kind, w)
    return None


def _word(data: bytes, at: int) -> bytes:
    if at < 0 or at + WORD > len(data):
        raise LogLayoutError(f"the data ({len(data)} bytes) ends before the word at byte {at}")
    return data[at : at + WORD]


def _offset(data: bytes, head: int) -> int:
    """The position a dynamic value's head word points at, checked to lie inside the data."""
    at = int.from_bytes(_word(data, head))
    if at + WORD > len(data):
        raise LogLayoutError(f"an offset ({at}) points past the data's {len(data)} bytes")
    return at


def _data_reader(kind: str) -> ReadData | None:
    """Reads the argument whose head word is at a position of the data, or None when the
    type is not one this layout reads (structs, nested arrays: eth_abi decodes those)."""
    word = _word_reader(kind)
    if word is not None:
        return lambda data, head: word(_word(data, head))
    if kind in ("string", "bytes"):
        return lambda data, head: _dynamic_bytes(kind, data, _offset(data, head))
    if kind.endswith("[]") and (item := _word_reader(kind[:-2])) is not None:
        return lambda data, head: _word_array(item, data, _offset(data, head))
    return None


def _dynamic_bytes(kind: str, data: bytes, at: int) -> str | bytes:
    length = int.from_bytes(_word(data, at))
    end = at + WORD + length
    padded = end + -length % WORD
    if padded > len(data) or any(data[end:padded]):
        raise LogLayoutError(f"a {kind} of {length} bytes at byte {at} overruns the data "
                             "or has non-zero padding")  # fmt: skip
    raw = data[at + WORD : end]
    if kind == "bytes":
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LogLayoutError(f"a string at byte {at} is not UTF-8: {exc}") from exc


def _word_array(item: ReadWord, data: bytes, at: int) -> tuple[Any, ...]:
    length = int.from_bytes(_word(data, at))
    if at + WORD * (length + 1) > len(data):
        raise LogLayoutError(f"an array of {length} items at byte {at} overruns the data")
    start = at + WORD
    return tuple(item(data[i : i + WORD]) for i in range(start, start + WORD * length, WORD))


# -- eth_abi, for the rare events with structs ----------------------------------------------


def _converter(param: Mapping[str, Any]) -> Convert:
    """Turns eth_abi's value for `param` into the plain value web3's decoding gives."""
    kind = str(param["type"])
    if kind.endswith("]"):
        inner = _converter({**param, "type": kind[: kind.rindex("[")]})
        return lambda values: tuple(inner(v) for v in values)
    if kind == "tuple":
        names = [str(c["name"]) for c in param["components"]]
        fields = [_converter(c) for c in param["components"]]
        return lambda values: MappingProxyType(
            {name: f(v) for name, f, v in zip(names, fields, values, strict=True)}
        )
    if kind == "address":
        return _checksummed
    return _identity


def _eth_abi_reader(params: Sequence[Mapping[str, Any]]) -> Callable[[bytes], list[Any]]:
    """All of the data decoded by eth_abi (decoders built once), converted to plain values."""
    decoders = [registry.get_decoder(canonical_type(p)) for p in params]
    decoder = TupleDecoder(decoders=decoders)  # type: ignore[no-untyped-call]
    converters = [_converter(p) for p in params]

    def read(data: bytes) -> list[Any]:
        try:
            values = decoder(ContextFramesBytesIO(data))  # type: ignore[no-untyped-call]
        except Exception as exc:  # eth_abi's DecodingError and its relatives
            raise LogLayoutError(f"the data does not decode as the event's ABI: {exc}") from exc
        return [convert(v) for convert, v in zip(converters, values, strict=True)]

    return read


# -- the event ------------------------------------------------------------------------------


def _is_hashed(param: Mapping[str, Any]) -> bool:
    """An indexed string, bytes, array or struct is logged as its keccak hash."""
    return _word_reader(str(param["type"])) is None


@dataclass(frozen=True)
class EventLayout:
    """How one event's topics and data map to its named arguments."""

    contract: str
    name: str
    topic: bytes  # keccak of the signature: topics[0] of its logs
    names: tuple[str, ...]  # every argument, in ABI order
    indexed: tuple[tuple[int, ReadWord], ...]  # (argument position, reader) per topic 1..n
    data: tuple[int, ...]  # the argument positions stored in the data, in order
    read_data: Callable[[bytes], list[Any]]

    @classmethod
    def from_abi(cls, contract: str, abi: Mapping[str, Any]) -> "EventLayout":
        inputs: Sequence[Mapping[str, Any]] = abi["inputs"]
        signature = f"{abi['name']}({','.join(canonical_type(i) for i in inputs)})"
        indexed: list[tuple[int, ReadWord]] = []
        for position, param in enumerate(inputs):
            if param["indexed"]:
                reader = _word_reader(str(param["type"]))
                indexed.append((position, bytes if reader is None else reader))
        data = tuple(i for i, p in enumerate(inputs) if not p["indexed"])
        return cls(
            contract=contract,
            name=str(abi["name"]),
            topic=keccak(text=signature),
            names=tuple(str(p["name"]) for p in inputs),
            indexed=tuple(indexed),
            data=data,
            read_data=_data_layout([inputs[i] for i in data]),
        )

    def decode(self, topics: Sequence[bytes], data: bytes) -> dict[str, Any]:
        """The event's arguments by name; a log that does not fit raises LogLayoutError."""
        if len(topics) != len(self.indexed) + 1:
            raise LogLayoutError(
                f"a {self.contract}.{self.name} log has {len(topics) - 1} indexed topics, "
                f"its ABI {len(self.indexed)}: the ABI does not match the deployed contract"
            )
        if any(len(t) != WORD for t in topics):
            raise LogLayoutError(f"a {self.contract}.{self.name} log has a topic that is "
                                 "not 32 bytes long")  # fmt: skip
        values: list[Any] = [None] * len(self.names)
        for (position, read), topic in zip(self.indexed, topics[1:], strict=True):
            values[position] = read(topic)
        for position, value in zip(self.data, self.read_data(data), strict=True):
            values[position] = value
        return dict(zip(self.names, values, strict=True))


def _data_layout(params: Sequence[Mapping[str, Any]]) -> Callable[[bytes], list[Any]]:
    """Reads the data's arguments word by word when every one has a word layout, else with
    eth_abi."""
    readers = [_data_reader(str(p["type"])) for p in params]
    if any(r is None for r in readers):
        return _eth_abi_reader(params)
    heads = [(r, WORD * i) for i, r in enumerate(readers) if r is not None]

    def read(data: bytes) -> list[Any]:
        return [reader(data, head) for reader, head in heads]

    return read
