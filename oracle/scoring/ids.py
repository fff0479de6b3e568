"""The test ids, and finding predictions rows among them by id, for up to 100 M rows.

Ids are strings. When every test id is a canonical decimal integer ("0", "17", "-3"; not
"007" or "+3"), only the integers are kept (no text) and ids are matched as int64 by
binary search, several times faster than hashing strings; a predictions id that is not
canonical matches none of them. Otherwise Arrow's hash-based `index_in` matches the
strings. Both give the same positions, and the same text wherever an id is shown.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

Positions = NDArray[np.int64]  # index into the test rows, -1 for an id not among them
Places = NDArray[np.int32] | NDArray[np.intp]  # a permutation of the test rows
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
    """The test ids, in one of two forms; `locate` maps other ids to their positions.

    `integer`: every test id is a canonical integer, and only the integers are kept, sorted
    (8 bytes an id), and unless they ascend in the file already, the file row of each sorted
    id (`order`) and, once ids are needed in file order, the sorted place of each file
    row (`rank`), int32 below 2^31 ids: 4 bytes an id each. No text: at 100 M ids the
    text and its offsets were ~1.1 GiB. Other ids are kept as `text`, matched by Arrow's
    hash join. Anything that needs an id's text gets it from the integers a block at a time
    (`text_between` in file order, `text_blocks` in the order kept) or for a few rows
    (`text_at`); the two forms give the same rows, texts and errors."""

    text: pa.Array | None = None  # the ids in file order, when one is not a canonical integer
    sorted_ints: NDArray[np.int64] | None = None  # the canonical integer ids, ascending
    order: Places | None = None  # the file row of each sorted id; None: the ids ascend

    @classmethod
    def build(cls, ids: pa.Array) -> "IdIndex":
        ints = canonical_ints(ids)
        return cls(text=ids) if ints is None else cls.of_ints(ints)

    @classmethod
    def of_ints(cls, ints: NDArray[np.int64]) -> "IdIndex":
        """Canonical integer ids in file order, sorted in place: the array becomes the index
        (never a second copy of the ids; their order only if they do not ascend)."""
        if bool((ints[1:] > ints[:-1]).all()):
            return cls(sorted_ints=ints)
        return cls(sorted_ints=ints, order=_sorted_in_place(ints))

    @cached_property
    def rank(self) -> Places | None:
        """The sorted place of each file row (None when the ids ascend): built when ids are
        first needed in file order (fast_csv's first block, a refusal's examples), then kept."""
        if self.order is None:
            return None
        rank = np.empty_like(self.order)
        for start in range(0, len(rank), CANONICAL_BLOCK_ROWS):  # no n-long arange
            places = self.order[start : start + CANONICAL_BLOCK_ROWS]
            rank[places] = np.arange(start, start + len(places), dtype=rank.dtype)
        return rank

    @property
    def integer(self) -> bool:
        return self.sorted_ints is not None

    def __len__(self) -> int:
        return len(self.sorted_ints) if self.sorted_ints is not None else len(self._text)

    @property
    def _text(self) -> pa.Array:
        assert self.text is not None  # one of the two forms is always set
        return self.text

    def first_repeated(self) -> str | None:
        """An id that appears more than once, if any (for integer ids, the smallest)."""
        if self.sorted_ints is not None:
            same = np.flatnonzero(self.sorted_ints[1:] == self.sorted_ints[:-1])
            return str(self.sorted_ints[same[0]]) if len(same) else None
        if pc.count_distinct(self._text).as_py() == len(self._text):
            return None
        counts = pc.value_counts(self._text)
        repeated: str = counts.filter(pc.greater(counts.field("counts"), 1))[0]["values"].as_py()
        return repeated

    def locate(self, other: pa.Array) -> Positions:
        """The file row of each of `other`'s ids (a string array), -1 for one not among them."""
        if self.sorted_ints is None:
            found = pc.index_in(other, value_set=self._text).fill_null(-1)
            positions: Positions = found.to_numpy().astype(np.int64)
            return positions
        ints = canonical_ints(other)
        if ints is not None:
            return self._search(ints)
        # Some of `other` are not canonical integers: those match no test id; the rest do
        canonical = pc.match_substring_regex(other, _CANONICAL).fill_null(False)
        rows = np.flatnonzero(canonical.to_numpy(zero_copy_only=False))
        texts = other.filter(canonical)
        try:
            wanted = pc.cast(texts, pa.int64()).to_numpy()
        except pa.ArrowInvalid:  # a 19-digit id past int64: it matches no test id either
            values = [int(text) for text in texts.to_pylist()]
            fits = np.array([-(2**63) < value < 2**63 for value in values], dtype=np.bool_)
            rows, wanted = rows[fits], np.array(values, dtype=object)[fits].astype(np.int64)
        positions = np.full(len(other), -1, dtype=np.int64)
        positions[rows] = self._search(wanted)
        return positions

    def _search(self, ints: NDArray[np.int64]) -> Positions:
        sorted_ints = self.sorted_ints
        assert sorted_ints is not None
        if len(sorted_ints) == 0:
            return np.full(len(ints), -1, dtype=np.int64)
        queries = np.argsort(ints, kind="stable")  # sorted queries keep the search in cache
        wanted = ints[queries]
        slot = np.minimum(np.searchsorted(sorted_ints, wanted), len(sorted_ints) - 1)
        rows = slot if self.order is None else self.order[slot]
        found = np.where(sorted_ints[slot] == wanted, rows, -1)
        positions = np.empty(len(ints), dtype=np.int64)
        positions[queries] = found
        return positions

    def in_file_order(self, other: pa.Array) -> bool:
        """`other` (a string array) is exactly the test ids in their file order."""
        return len(other) == len(self) and (len(other) == 0 or self.in_order_at(other, 0))

    def in_order_at(self, other: pa.Array, start: int) -> bool:
        """Whether `other` (a string array) is exactly the test ids of the file rows from
        `start` on, in their order (a block of a file in the labels' order is placed
        without a search)."""
        if len(other) == 0 or start + len(other) > len(self):
            return False
        if self.sorted_ints is None:
            mine = self._text.slice(start, len(other))
            same_type = other if other.type == mine.type else other.cast(mine.type)
            return bool(same_type.equals(mine))
        if other[0].as_py() != str(self._ints_between(slice(start, start + 1))[0]):
            return False  # a block out of order: not converted here, and again by locate
        ints = canonical_ints(other)
        if ints is None:
            return False
        for first in range(0, len(ints), CANONICAL_BLOCK_ROWS):  # a block of ids at a time
            rows = slice(start + first, start + min(first + CANONICAL_BLOCK_ROWS, len(ints)))
            if not np.array_equal(ints[first : first + CANONICAL_BLOCK_ROWS],
                                  self._ints_between(rows)):  # fmt: skip
                return False
        return True

    def text_at(self, rows: NDArray[np.intp] | NDArray[np.int64]) -> list[str]:
        """The ids at these file rows (a few: for messages)."""
        if self.sorted_ints is None:
            return [self._text[int(row)].as_py() for row in rows]
        return [str(value) for value in self._ints_between(rows).tolist()]

    def text_between(self, start: int, stop: int) -> pa.Array:
        """The ids of the file rows [start, stop) as strings."""
        if self.sorted_ints is None:
            return self._text.slice(start, stop - start)
        return decimal_text(self._ints_between(slice(start, stop)))

    def _ints_between(
        self, rows: slice | NDArray[np.intp] | NDArray[np.int64]
    ) -> NDArray[np.int64]:
        assert self.sorted_ints is not None
        return self.sorted_ints[rows if self.rank is None else self.rank[rows]]

    def text_blocks(self, rows: int) -> Iterator[tuple[slice | Places, pa.Array]]:
        """Every id as a string, `rows` at a time, with the file rows they are at: in file
        order, or in sorted order for integer ids that do not ascend (no rank needed)."""
        for start in range(0, len(self), rows):
            stop = min(start + rows, len(self))
            if self.sorted_ints is None or self.order is None:
                yield slice(start, stop), self.text_between(start, stop)
            else:
                yield self.order[start:stop], decimal_text(self.sorted_ints[start:stop])

    def as_text(self) -> pa.Array:
        """All the ids as strings in file order (built whole for integer ids: for small sets
        and checks, not for scoring at scale)."""
        if self.sorted_ints is None:
            return self._text
        return decimal_text(self._ints_between(slice(None)))


_CANONICAL = r"^(0|-?[1-9][0-9]{0,18})$"  # what canonical_ints accepts, one id at a time


def _sorted_in_place(ints: NDArray[np.int64]) -> Places:
    """Sorts the ids in place; gives the file row of each sorted id. When the ids' span
    leaves room for a row number beside each (below 2^36 at 100 M ids), id and row are
    packed into one int64 and sorted together: only the rows (int32) are more memory. Else
    numpy's argsort, whose int64 result is 8 bytes an id more while it is narrowed."""
    size, low, high = len(ints), int(ints.min()), int(ints.max())
    shift = max(size - 1, 1).bit_length()
    if size >= 2**31 or high - low >= 2 ** (63 - shift):
        order = _narrowed(np.argsort(ints))
        ints.sort()
        return order
    for start in range(0, size, CANONICAL_BLOCK_ROWS):  # (id - low) << shift | row, in place
        block = ints[start : start + CANONICAL_BLOCK_ROWS]
        block -= low
        block <<= shift
        block |= np.arange(start, start + len(block), dtype=np.int64)
    ints.sort()
    rows = np.empty(size, dtype=np.int32)
    for start in range(0, size, CANONICAL_BLOCK_ROWS):  # unpacked, in place
        block = ints[start : start + CANONICAL_BLOCK_ROWS]
        rows[start : start + len(block)] = block & ((1 << shift) - 1)
        block >>= shift
        block += low
    return rows


def _narrowed(places: NDArray[np.intp]) -> Places:
    """A permutation as int32 when it fits (half the memory), in the array's own memory:
    each int32 is written over int64s already read, and the second half is given back."""
    if len(places) >= 2**31:
        return places
    narrow = places.view(np.int32)
    for start in range(0, len(places), CANONICAL_BLOCK_ROWS):  # the first block overlaps
        stop = min(start + CANONICAL_BLOCK_ROWS, len(places))  # (numpy copies it); then writes
        narrow[start:stop] = places[start:stop]  # end before the reads start
    del narrow
    size = len(places)
    places.resize((size + 1) // 2, refcheck=False)  # the same memory, shrunk in place
    halved: NDArray[np.int32] = places.view(np.int32)[:size]
    return halved


def decimal_text(ints: NDArray[np.int64]) -> pa.Array:
    """Integers as their canonical decimal strings (what canonical_ints read them from)."""
    return pc.cast(pa.array(ints, pa.int64()), pa.string())
