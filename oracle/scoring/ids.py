"""Finding predictions rows among the test rows by id, fast for 2.8 M rows.

Ids are strings. When every test id is a canonical decimal integer ("0", "17", "-3"; not
"007" or "+3"), ids are matched as int64 by binary search, which is several times faster
than hashing strings; otherwise (or when a predictions file has other ids) Arrow's
hash-based `index_in` matches the strings. Both give the same positions.
"""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

Positions = NDArray[np.int64]  # index into the test rows, -1 for an id not among them
Offsets = NDArray[np.int32] | NDArray[np.int64]


CANONICAL_BLOCK_ROWS = 2**20  # ids checked per block (8 MiB of int64)
_POWERS_OF_TEN = np.array([10**k for k in range(19)], dtype=np.int64)  # 1 ... 10^18
_NO_TEXT = np.empty(0, dtype=np.uint8)


def string_buffers(ids: pa.Array) -> tuple[Offsets, NDArray[np.uint8]]:
    """A string array's bytes and its offsets into them (one per string plus one, the first
    0), without a copy when the array starts at 0: string i is text[offsets[i]:offsets[i + 1]].
    The offsets are int32 for a string array, int64 for a large_string one."""
    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        ids = ids.cast(pa.large_string())
    width = np.int32 if pa.types.is_string(ids.type) else np.int64
    _, offsets_buffer, data_buffer = ids.buffers()
    all_offsets: Offsets = np.frombuffer(offsets_buffer, dtype=width)  # type: ignore[assignment]
    offsets = all_offsets[ids.offset : ids.offset + len(ids) + 1]
    text = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else _NO_TEXT
    text = text[offsets[0] : offsets[-1]]
    return (offsets - offsets[0] if offsets[0] else offsets), text


def joined_strings(blocks: list[pa.Array]) -> pa.Array:
    """String arrays end to end as one array, each block let go of once copied (so the
    text is never twice in memory); large_string when the text passes 2 GiB."""
    if len(blocks) == 1:
        return blocks.pop()
    buffers = [string_buffers(block) for block in blocks]
    rows, size = sum(len(b) for b in blocks), sum(len(text) for _, text in buffers)
    del buffers
    large = size >= 2**31
    offsets = np.empty(rows + 1, dtype=np.int64 if large else np.int32)
    text = np.empty(size, dtype=np.uint8)
    offsets[0], row, end = 0, 0, 0
    blocks.reverse()
    while blocks:
        block_offsets, block_text = string_buffers(blocks.pop())
        count = len(block_offsets) - 1
        offsets[row + 1 : row + 1 + count] = block_offsets[1:].astype(offsets.dtype) + end
        text[end : end + len(block_text)] = block_text
        row, end = row + count, end + len(block_text)
        del block_offsets, block_text
        pa.default_memory_pool().release_unused()
    kind = pa.large_string() if large else pa.string()
    return pa.Array.from_buffers(kind, rows, [None, pa.py_buffer(offsets), pa.py_buffer(text)])


def canonical_ints(ids: pa.Array) -> NDArray[np.int64] | None:
    """The ids as int64 when each one is exactly the decimal form of its integer.

    An id that parses as an integer but is not its canonical form ("007", "+7", "-0", " 7")
    is always longer than that form, so comparing lengths is enough (and needs no second
    string array). Checked CANONICAL_BLOCK_ROWS ids at a time: only the result is as long
    as the ids (at 100 M ids, one whole-array pass held ~3 GB of temporaries)."""
    values = np.empty(len(ids), dtype=np.int64)
    for start in range(0, len(ids), CANONICAL_BLOCK_ROWS):
        block = _canonical_block(ids.slice(start, CANONICAL_BLOCK_ROWS))
        if block is None:
            return None
        values[start : start + len(block)] = block
    return values


def _canonical_block(ids: pa.Array) -> NDArray[np.int64] | None:
    try:
        ints = pc.cast(ids, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if ints.null_count:
        return None
    values: NDArray[np.int64] = ints.to_numpy()
    if len(values) and values.min() == np.iinfo(np.int64).min:
        return None  # |INT64_MIN| does not fit; such ids take the string path
    magnitude = np.abs(values)
    digits = np.maximum(np.searchsorted(_POWERS_OF_TEN, magnitude, side="right"), 1)
    lengths = pc.binary_length(ids).to_numpy(zero_copy_only=False)
    return values if np.array_equal(lengths, digits + (values < 0)) else None


@dataclass(frozen=True, eq=False)
class IdIndex:
    """The test ids; `locate` maps other ids to their positions.

    `integer`: every test id is a canonical integer, so ids are matched by binary search in
    the sorted ids. Those sorted ids (and their order, unless the test ids ascend already)
    are built when a file first needs them, a file in another order than the labels', and
    kept from then on: a phase whose files come in the labels' order never holds them
    (2 x 22 MiB at 2.8 M rows)."""

    ids: pa.Array
    integer: bool = False

    @classmethod
    def build(cls, ids: pa.Array) -> "IdIndex":
        return cls(ids, canonical_ints(ids) is not None)

    @cached_property
    def _sorted(self) -> tuple[NDArray[np.int64], NDArray[np.intp] | None] | None:
        return _sorted_ints(self.ids) if self.integer else None

    @property
    def sorted_ints(self) -> NDArray[np.int64] | None:
        return None if self._sorted is None else self._sorted[0]

    def first_repeated(self) -> str | None:
        """An id that appears more than once, if any (the sorted ids are not kept for it)."""
        if self.integer:
            sorted_ints = _ints_in_order(self.__dict__.get("_sorted"), self.ids)
            same = np.flatnonzero(sorted_ints[1:] == sorted_ints[:-1])
            return str(sorted_ints[same[0]]) if len(same) else None
        if pc.count_distinct(self.ids).as_py() == len(self.ids):
            return None
        counts = pc.value_counts(self.ids)
        repeated: str = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
        return repeated

    def locate(self, other: pa.Array) -> Positions:
        ints = canonical_ints(other) if self.integer else None
        if self._sorted is None or ints is None:
            found = pc.index_in(other, value_set=self.ids).fill_null(-1)
            positions: Positions = found.to_numpy().astype(np.int64)
            return positions
        sorted_ints, order = self._sorted
        queries = np.argsort(ints, kind="stable")  # sorted queries keep the search in cache
        wanted = ints[queries]
        slot = np.minimum(np.searchsorted(sorted_ints, wanted), len(sorted_ints) - 1)
        found = np.where(sorted_ints[slot] == wanted, slot if order is None else order[slot], -1)
        positions = np.empty(len(ints), dtype=np.int64)
        positions[queries] = found
        return positions

    def in_order_at(self, other: pa.Array, start: int) -> bool:
        """Whether `other` is exactly the test ids from position `start` on, in their order
        (a block of a file in the labels' order: placed without a search)."""
        if len(other) == 0 or start + len(other) > len(self.ids):
            return False
        mine = self.ids.slice(start, len(other))
        same_type = other if other.type == mine.type else other.cast(mine.type)
        return bool(same_type.equals(mine))


def _ints_in_order(
    kept: tuple[NDArray[np.int64], NDArray[np.intp] | None] | None, ids: pa.Array
) -> NDArray[np.int64]:
    """The ids as int64 in ascending order: the kept sorted ids, or the ids themselves when
    they ascend already, or sorted in place (never an argsort and its copy: 2 x 8 bytes an
    id more, ~1.6 GB at 100 M ids)."""
    if kept is not None:
        return kept[0]
    ints = canonical_ints(ids)
    assert ints is not None  # IdIndex.integer said so
    if not bool((ints[1:] > ints[:-1]).all()):
        ints.sort()
    return ints


def _sorted_ints(ids: pa.Array) -> tuple[NDArray[np.int64], NDArray[np.intp] | None]:
    """The ids as int64 in ascending order, and where each came from (None when the ids
    ascend already: each is where it is, and no order array is held, 8 bytes an id)."""
    ints = canonical_ints(ids)
    assert ints is not None  # IdIndex.integer said so
    if bool((ints[1:] > ints[:-1]).all()):
        return ints, None
    order = np.argsort(ints, kind="stable")
    return ints[order], order
