"""The few protobuf wire-format primitives dag-pb and UnixFS need: varints, fields, a parser.

Encoding writes fields in the order the caller gives (dag-pb and UnixFS fix that order);
decoding is strict about truncation and wire types, since blocks come from untrusted peers.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from oracle.errors import MalformedDag

VARINT = 0
FIXED64 = 1
LENGTH_DELIMITED = 2
FIXED32 = 5

_MAX_VARINT_BYTES = 10


def encode_varint(value: int) -> bytes:
    """Unsigned LEB128, as protobuf writes uint64."""
    if value < 0:
        raise ValueError(f"protobuf varints here are unsigned, got {value}")
    out = bytearray()
    while value > 0x7F:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def decode_varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Read a varint at `pos`; return (value, position after it)."""
    value = 0
    for i in range(_MAX_VARINT_BYTES):
        if pos + i >= len(buf):
            raise MalformedDag("protobuf varint runs past the end of the block")
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if byte < 0x80:
            return value, pos + i + 1
    raise MalformedDag("protobuf varint is longer than 10 bytes")


def varint_field(number: int, value: int) -> bytes:
    """A complete varint field: key then value."""
    return encode_varint(number << 3 | VARINT) + encode_varint(value)


def bytes_field(number: int, value: bytes) -> bytes:
    """A complete length-delimited field: key, length, payload."""
    return encode_varint(number << 3 | LENGTH_DELIMITED) + encode_varint(len(value)) + value


@dataclass(frozen=True)
class Field:
    """One decoded field: an int for varint/fixed wire types, bytes for length-delimited."""

    number: int
    wire_type: int
    value: int | bytes

    def as_int(self) -> int:
        if not isinstance(self.value, int):
            raise MalformedDag(f"protobuf field {self.number} should be a number")
        return self.value

    def as_bytes(self) -> bytes:
        if not isinstance(self.value, bytes):
            raise MalformedDag(f"protobuf field {self.number} should be bytes")
        return self.value


def iter_fields(buf: bytes) -> Iterator[Field]:
    """Yield the fields of one message in wire order."""
    pos = 0
    end = len(buf)
    while pos < end:
        key, pos = decode_varint(buf, pos)
        number, wire_type = key >> 3, key & 7
        if number == 0:
            raise MalformedDag("protobuf field number 0 is invalid")
        if wire_type == VARINT:
            value, pos = decode_varint(buf, pos)
            yield Field(number, wire_type, value)
        elif wire_type == LENGTH_DELIMITED:
            length, pos = decode_varint(buf, pos)
            if pos + length > end:
                raise MalformedDag(f"protobuf field {number} runs past the end of the block")
            yield Field(number, wire_type, bytes(buf[pos : pos + length]))
            pos += length
        elif wire_type in (FIXED64, FIXED32):
            size = 8 if wire_type == FIXED64 else 4
            if pos + size > end:
                raise MalformedDag(f"protobuf field {number} runs past the end of the block")
            yield Field(number, wire_type, int.from_bytes(buf[pos : pos + size], "little"))
            pos += size
        else:
            raise MalformedDag(f"protobuf wire type {wire_type} is not supported")
