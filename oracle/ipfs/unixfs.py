"""UnixFS: the metadata inside a dag-pb node that says file, directory or symlink.

Only the fields `ipfs add` writes by default are produced (Type, Data, filesize,
blocksizes); mode/mtime/HAMT fields are read so foreign nodes can be recognised.
"""

from dataclasses import dataclass
from enum import IntEnum

from oracle.errors import MalformedDag
from oracle.ipfs.protobuf import (
    LENGTH_DELIMITED,
    Field,
    bytes_field,
    decode_varint,
    iter_fields,
    varint_field,
)

_TYPE = 1
_DATA = 2
_FILESIZE = 3
_BLOCKSIZES = 4
_KNOWN_OPTIONAL = frozenset({5, 6, 7, 8})  # hashType, fanout (HAMT), mode, mtime


class NodeType(IntEnum):
    RAW = 0
    DIRECTORY = 1
    FILE = 2
    METADATA = 3
    SYMLINK = 4
    HAMT_SHARD = 5


@dataclass(frozen=True)
class UnixFSData:
    """The Data field of a UnixFS dag-pb node."""

    type: NodeType
    data: bytes | None = None
    filesize: int | None = None
    blocksizes: tuple[int, ...] = ()


def encode_unixfs(node: UnixFSData) -> bytes:
    """Serialize in field order, blocksizes unpacked (proto2), as go-unixfs does."""
    out = varint_field(_TYPE, int(node.type))
    if node.data is not None:
        out += bytes_field(_DATA, node.data)
    if node.filesize is not None:
        out += varint_field(_FILESIZE, node.filesize)
    for size in node.blocksizes:
        out += varint_field(_BLOCKSIZES, size)
    return out


def decode_unixfs(buf: bytes) -> UnixFSData:
    """Parse a UnixFS Data message; raises MalformedDag when it is not one."""
    node_type: NodeType | None = None
    data: bytes | None = None
    filesize: int | None = None
    blocksizes: list[int] = []
    for field in iter_fields(buf):
        if field.number == _TYPE:
            try:
                node_type = NodeType(field.as_int())
            except ValueError as exc:
                raise MalformedDag(f"unknown UnixFS node type {field.value!r}") from exc
        elif field.number == _DATA:
            data = field.as_bytes()
        elif field.number == _FILESIZE:
            filesize = field.as_int()
        elif field.number == _BLOCKSIZES:
            blocksizes.extend(_blocksizes(field))
        elif field.number not in _KNOWN_OPTIONAL:
            raise MalformedDag(f"UnixFS data has unknown field {field.number}")
    if node_type is None:
        raise MalformedDag("UnixFS data has no Type")
    return UnixFSData(node_type, data, filesize, tuple(blocksizes))


def _blocksizes(field: Field) -> list[int]:
    """blocksizes is `repeated uint64`: unpacked (go) or packed (other encoders)."""
    if field.wire_type != LENGTH_DELIMITED:
        return [field.as_int()]
    packed = field.as_bytes()
    sizes: list[int] = []
    pos = 0
    while pos < len(packed):
        size, pos = decode_varint(packed, pos)
        sizes.append(size)
    return sizes


DIRECTORY_DATA = encode_unixfs(UnixFSData(NodeType.DIRECTORY))


def symlink_data(target: str) -> bytes:
    """The UnixFS Data of a symlink node pointing at `target` (stored as given)."""
    raw = target.encode("utf-8", "surrogateescape")
    return encode_unixfs(UnixFSData(NodeType.SYMLINK, data=raw))
