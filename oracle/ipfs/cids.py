"""CIDs: make them for blocks, parse them from text or bytes, and check a block against one.

Every CID the project writes is CIDv1, sha2-256, base32 (what `ipfs add --cid-version=1`
prints); CIDv0 ("Qm…") input is accepted and compared by codec and multihash.
"""

import hashlib

from multiformats import CID, multihash

from oracle.errors import CidMismatch, InvalidCid
from oracle.types import Cid

RAW = "raw"
DAG_PB = "dag-pb"
SUPPORTED_CODECS = frozenset({RAW, DAG_PB})

_SHA2_256 = "sha2-256"
_IDENTITY = "identity"


def cid_for_block(codec: str, block: bytes | memoryview) -> CID:
    """The CIDv1 (sha2-256, base32) of a block encoded with `codec` ("raw" or "dag-pb")."""
    return CID("base32", 1, codec, (_SHA2_256, hashlib.sha256(block).digest()))


def parse_cid(value: str | bytes | CID) -> CID:
    """Decode a CID from its text (any multibase, v0 or v1) or binary form.

    Raises InvalidCid when it is not a CID or uses a codec this package cannot walk.
    """
    if isinstance(value, CID):
        cid = value
    else:
        try:
            cid = CID.decode(value.strip() if isinstance(value, str) else value)
        except (ValueError, KeyError, TypeError) as exc:
            raise InvalidCid(f"{value!r} is not a CID: {exc}") from exc
        except IndexError as exc:  # the decoder runs off the end of "0", "b", ...
            raise InvalidCid(f"{value!r} is not a CID: too short") from exc
    if cid.codec.name not in SUPPORTED_CODECS:
        raise InvalidCid(
            f"{cid} uses codec {cid.codec.name}; only raw and dag-pb (UnixFS) are supported"
        )
    return cid


def cid_key(cid: CID) -> Cid:
    """The canonical text form used as a storage key and in output: CIDv1, base32."""
    if cid.version == 0:
        cid = cid.set(version=1)
    return Cid(str(cid.set(base="base32")))


def verify_block(cid: CID, block: bytes) -> None:
    """Raise CidMismatch unless `block` hashes to the multihash inside `cid`."""
    name = cid.hashfun.name
    if name == _SHA2_256:
        ok = hashlib.sha256(block).digest() == cid.raw_digest
    elif name == _IDENTITY:
        ok = block == cid.raw_digest
    else:
        try:
            ok = multihash.digest(block, name, size=len(cid.raw_digest)) == cid.digest
        except (KeyError, ValueError) as exc:
            raise InvalidCid(f"{cid} uses hash function {name}, which cannot be checked") from exc
    if not ok:
        raise CidMismatch(
            f"the {len(block)} bytes received for {cid_key(cid)} do not hash to that CID; "
            "they were discarded. The source served wrong or corrupted data: try another "
            "backend or gateway"
        )
