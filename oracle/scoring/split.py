"""The public/private split of the test rows, recomputable by anyone once the salt is out.

Rule (split v1): row `id` is public iff
    int.from_bytes(sha256(salt32 || utf8(id)).digest()[:8], "big") < floor(f * 2**64)
where `salt32` is the 32-byte split salt and `f` the spec's `split.public_fraction` read as
an exact decimal. SHA-256 rather than keccak256: CPython hashes 2.8 M ids about five times
faster with it (OpenSSL; keccak only exists here as a pure per-call binding), and it is in
every standard library, in `sha256sum` and as an EVM precompile. docs/scoring.md has the
measurements. The hashes come from hashlib (OpenSSL), one call per id, for every size.
"""

import hashlib
import itertools

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from oracle.scoring.ids import IdIndex, Offsets, string_buffers

# Ids hashed per block: the offsets of 2.8 M ids as one Python list held ~100 MiB at once
HASH_BLOCK_ROWS = 65_536


def row_hash(split_salt: bytes, row_id: str) -> int:
    """The 64-bit split hash of one row id (the reference form of the rule)."""
    return int.from_bytes(hashlib.sha256(split_salt + row_id.encode()).digest()[:8], "big")


def public_mask(ids: pa.Array | IdIndex, split_salt: bytes, threshold: int) -> NDArray[np.bool_]:
    """True for the public rows among `ids`: an Arrow string array, or a holdout's IdIndex
    (integer ids are hashed as their decimal text, made a block at a time)."""
    if len(split_salt) != 32:
        raise ValueError(f"the split salt is 32 bytes, got {len(split_salt)}")
    if threshold >= 2**64:
        return np.ones(len(ids), bool)
    index = ids if isinstance(ids, IdIndex) else IdIndex(text=ids)
    public = np.empty(len(index), dtype=np.bool_)
    salted = hashlib.sha256(split_salt)
    for rows, ids_text in index.text_blocks(HASH_BLOCK_ROWS):  # a block's objects at a time
        offsets, text = string_buffers(ids_text)
        public[rows] = _hashes(salted, offsets, text) < np.uint64(threshold)
    return public


def _hashes(
    salted: "hashlib._Hash", offsets: Offsets, text: NDArray[np.uint8]
) -> NDArray[np.uint64]:
    data = text[offsets[0] : offsets[-1]].tobytes()
    digests = bytearray()
    for start, end in itertools.pairwise((offsets - offsets[0]).tolist()):
        h = salted.copy()
        h.update(data[start:end])
        digests += h.digest()[:8]
    return np.frombuffer(bytes(digests), dtype=">u8").astype(np.uint64)
