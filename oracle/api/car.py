"""CARv1 archives (the trustless gateway's `application/vnd.ipld.car`), written block by block.

Layout: varint(header length) + DAG-CBOR header `{"roots": [root], "version": 1}`, then for
each block varint(len(cid bytes) + len(block)) + cid bytes + block. The header is encoded
by hand: a two-entry map whose keys are in DAG-CBOR order (shorter key first).
"""

from collections.abc import Iterable, Iterator

from multiformats import CID

CBOR_TAG_CID = b"\xd8\x2a"  # tag 42


def varint(value: int) -> bytes:
    """Unsigned LEB128, as multiformats and CAR use it."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _cbor_head(major: int, length: int) -> bytes:
    if length < 24:
        return bytes([major << 5 | length])
    for code, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if length < 1 << (8 * size):
            return bytes([major << 5 | code]) + length.to_bytes(size, "big")
    raise ValueError(f"length {length} does not fit CBOR")


def _cbor_text(text: str) -> bytes:
    raw = text.encode()
    return _cbor_head(3, len(raw)) + raw


def car_header(root: CID) -> bytes:
    cid_bytes = b"\x00" + bytes(root)  # DAG-CBOR links carry the identity multibase prefix
    body = (
        _cbor_head(5, 2)
        + _cbor_text("roots")
        + _cbor_head(4, 1)
        + CBOR_TAG_CID
        + _cbor_head(2, len(cid_bytes))
        + cid_bytes
        + _cbor_text("version")
        + _cbor_head(0, 1)
    )
    return varint(len(body)) + body


def car_stream(root: CID, blocks: Iterable[tuple[CID, bytes]]) -> Iterator[bytes]:
    """The CAR of `blocks` (root first) as a sequence of byte strings."""
    yield car_header(root)
    for cid, block in blocks:
        cid_bytes = bytes(cid)
        yield varint(len(cid_bytes) + len(block)) + cid_bytes
        yield block
