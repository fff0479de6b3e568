"""The dag-pb codec: PBNode/PBLink as kubo writes them, byte for byte.

Canonical form (what go-merkledag emits): every link first, each with Hash, Name (written
even when empty) and Tsize, then the node's Data. The decoder accepts any field order but
rejects unknown fields, since the bytes come from untrusted sources.
"""

from dataclasses import dataclass

from multiformats import CID

from oracle.errors import MalformedDag
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.protobuf import bytes_field, iter_fields, varint_field

_NODE_DATA = 1
_NODE_LINKS = 2
_LINK_HASH = 1
_LINK_NAME = 2
_LINK_TSIZE = 3


def encode_name(name: str) -> bytes:
    """Link names are bytes on the wire; undecodable file names round-trip via surrogates."""
    return name.encode("utf-8", "surrogateescape")


@dataclass(frozen=True)
class PBLink:
    """A named edge to another block; tsize is the cumulative size of the target DAG."""

    cid: CID
    name: str | None = ""
    tsize: int | None = None


@dataclass(frozen=True)
class PBNode:
    """A dag-pb block: links in order, then opaque data (UnixFS metadata here)."""

    links: tuple[PBLink, ...]
    data: bytes | None


def encode_link(link: PBLink) -> bytes:
    out = bytes_field(_LINK_HASH, bytes(link.cid))
    if link.name is not None:
        out += bytes_field(_LINK_NAME, encode_name(link.name))
    if link.tsize is not None:
        out += varint_field(_LINK_TSIZE, link.tsize)
    return out


def encode_node(node: PBNode) -> bytes:
    """Serialize a node in canonical dag-pb order (links, then data)."""
    parts = [bytes_field(_NODE_LINKS, encode_link(link)) for link in node.links]
    if node.data is not None:
        parts.append(bytes_field(_NODE_DATA, node.data))
    return b"".join(parts)


def decode_link(buf: bytes) -> PBLink:
    cid: CID | None = None
    name: str | None = None
    tsize: int | None = None
    for field in iter_fields(buf):
        if field.number == _LINK_HASH:
            cid = parse_cid(field.as_bytes())
        elif field.number == _LINK_NAME:
            name = field.as_bytes().decode("utf-8", "surrogateescape")
        elif field.number == _LINK_TSIZE:
            tsize = field.as_int()
        else:
            raise MalformedDag(f"dag-pb link has unknown field {field.number}")
    if cid is None:
        raise MalformedDag("dag-pb link has no Hash")
    return PBLink(cid=cid, name=name, tsize=tsize)


def decode_node(block: bytes) -> PBNode:
    """Parse a dag-pb block; raises MalformedDag on anything that is not dag-pb."""
    links: list[PBLink] = []
    data: bytes | None = None
    for field in iter_fields(block):
        if field.number == _NODE_LINKS:
            links.append(decode_link(field.as_bytes()))
        elif field.number == _NODE_DATA:
            if data is not None:
                raise MalformedDag("dag-pb node has two Data fields")
            data = field.as_bytes()
        else:
            raise MalformedDag(f"dag-pb node has unknown field {field.number}")
    return PBNode(links=tuple(links), data=data)
