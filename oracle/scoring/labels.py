"""The owner's labels (the hidden targets of the test rows) and the holdout: labels + split.

An oracle loads the holdout once per phase (`load_holdout`, which checks the labels and the
split salt against the commitments) and scores every submission against it. Problems with
the labels are the owner's, so they raise InvalidHoldout instead of giving a status.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from eth_utils.crypto import keccak
from numpy.typing import NDArray

from oracle.errors import InvalidHoldout
from oracle.scoring.commitment import holdout_commitment
from oracle.scoring.files import load_bytes, read_table_blocks
from oracle.scoring.ids import (
    IdIndex,
    Offsets,
    canonical_ints,
    decimal_text,
    joined_strings,
    string_buffers,
)
from oracle.scoring.rejection import ArtifactRejected
from oracle.scoring.split import public_mask
from oracle.spec import ChallengeSpec, Task
from oracle.text import quote_value

MIN_ROWS_PER_PART = 2
MAX_LABELS_BYTES = 2**36
LABELS_BLOCK_BYTES = 64 * 2**20  # CSV bytes parsed per block (~5 M rows of `id,target`)
_QUOTED_BYTES = np.frombuffer(b',"\r\n', dtype=np.uint8)  # an id with one needs quotes


@dataclass(frozen=True, eq=False)
class Labels:
    """Test rows in file order: their targets (float, or class index) and their unique ids
    (`index`: for canonical integer ids only the integers are kept, not their text)."""

    y: NDArray[np.float64] | NDArray[np.int64]
    n_classes: int  # 0 for regression
    index: IdIndex

    def __len__(self) -> int:
        return len(self.y)

    @property
    def ids(self) -> pa.Array:
        """The ids as strings in file order, built whole for integer ids (for checks and
        small sets; scoring asks `index` for a few ids or a block)."""
        return self.index.as_text()

    @cached_property
    def _unquoted_text(self) -> tuple[Offsets, NDArray[np.uint8]] | None:
        """Text ids' offsets and bytes, or None when one needs quotes (computed once)."""
        offsets, text = string_buffers(self.index.as_text())
        quoted = any(bool((text == byte).any()) for byte in _QUOTED_BYTES)  # no np.isin copies
        return None if quoted else (offsets, text)

    def unquoted_ids_between(
        self, start: int, stop: int
    ) -> tuple[Offsets, NDArray[np.uint8]] | None:
        """The ids of the rows [start, stop) as a CSV writer leaves them (offsets from 0, one
        per row plus one, and bytes), or None when one of the test ids needs quotes (a comma,
        a quote or a line break in it). fast_csv compares predictions files with it, a block
        at a time."""
        if self.index.integer:  # digits and '-': never quoted
            return string_buffers(self.index.text_between(start, stop))
        whole = self._unquoted_text
        if whole is None:
            return None
        offsets, text = whole
        first, last = int(offsets[start]), int(offsets[stop])
        return offsets[start : stop + 1] - first, text[first:last]


@dataclass(frozen=True, eq=False)
class Holdout:
    """Labels with their public/private split under one split salt."""

    labels: Labels
    split_salt: bytes
    public: NDArray[np.bool_]

    @property
    def public_rows(self) -> int:
        return int(self.public.sum())

    @property
    def private_rows(self) -> int:
        return len(self.labels) - self.public_rows

    @cached_property
    def part_rows(self) -> Mapping[str, NDArray[np.intp]]:
        """Positions of the "public" and the "private" rows, ascending (computed once)."""
        return MappingProxyType(
            {"public": np.flatnonzero(self.public), "private": np.flatnonzero(~self.public)}
        )

    @cached_property
    def part_truth(self) -> Mapping[str, NDArray[np.float64] | NDArray[np.int64]]:
        """The targets of each part's rows, in row order (computed once)."""
        parts = self.part_rows.items()
        return MappingProxyType({name: self.labels.y[rows] for name, rows in parts})


def read_labels(spec: ChallengeSpec, data: bytes | str | os.PathLike[str]) -> Labels:
    """The labels file (`id,target` or the spec's columns; CSV, gzip CSV or Parquet), its
    bytes or its path. A plain CSV file is read in blocks of LABELS_BLOCK_BYTES (a path:
    mapped, its pages let go of as read), so what stays resident is the ids' text and
    offsets and the targets, not the file or its Arrow table."""
    classification = spec.task is not Task.REGRESSION
    target_type = pa.string() if classification else pa.float64()
    types = {spec.columns.id: pa.string(), spec.columns.target: target_type}
    ids = _IdBlocks()
    target_blocks: list[NDArray[np.float64] | NDArray[np.int64]] = []
    try:
        blob = load_bytes(data if isinstance(data, bytes) else os.fspath(data), MAX_LABELS_BYTES)
        for table in read_table_blocks(blob, types, MAX_LABELS_BYTES, LABELS_BLOCK_BYTES):
            block_ids = table.column(spec.columns.id).combine_chunks()
            target = table.column(spec.columns.target).combine_chunks()
            del table
            if block_ids.null_count or target.null_count:
                raise InvalidHoldout("the labels file has an empty id or target; fill it in")
            target_blocks.append(_targets(spec, target))
            ids.add(block_ids)
            del block_ids
            _release_freed()
    except ArtifactRejected as exc:
        raise InvalidHoldout(f"the labels file is unusable: {exc.reason}") from None
    y = _joined_numbers(target_blocks)
    index = ids.index()
    _release_freed()
    if len(y) == 0:
        raise InvalidHoldout("the labels file has no rows")
    repeated = index.first_repeated()
    if repeated is not None:
        raise InvalidHoldout(
            f"the labels file repeats the id {quote_value(repeated)}; ids are unique"
        )
    return Labels(y, len(spec.classes) if classification else 0, index)


class _IdBlocks:
    """The labels' ids, a block at a time: as int64 while every id is a canonical integer
    (8 bytes an id, the block's text let go of), as text from the first one that is not
    (the integers read so far turned back into their text, which is exactly what was read)."""

    def __init__(self) -> None:
        self.ints: list[NDArray[np.int64]] | None = []
        self.text: list[pa.Array] = []

    def add(self, ids: pa.Array) -> None:
        if self.ints is not None:
            ints = canonical_ints(ids)
            if ints is not None:
                self.ints.append(ints)
                return
            self.text = [decimal_text(block) for block in self.ints]
            self.ints = None
        self.text.append(ids)

    def index(self) -> IdIndex:
        if self.ints is not None:
            return IdIndex.of_ints(_joined_numbers(self.ints))  # type: ignore[arg-type]
        return IdIndex(text=joined_strings(self.text))


def _targets(spec: ChallengeSpec, target: pa.Array) -> NDArray[np.float64] | NDArray[np.int64]:
    """A block's targets: floats, or each class's index in the spec's classes."""
    if spec.task is not Task.REGRESSION:
        class_of = pc.index_in(target, value_set=pa.array(spec.classes))
        if class_of.null_count:
            unknown = target.filter(class_of.is_null())[0].as_py()
            raise InvalidHoldout(
                f"the label {quote_value(unknown)} is not one of the spec's classes "
                f"{list(spec.classes)}; fix the labels file or the spec's classes"
            )
        classes: NDArray[np.int64] = class_of.to_numpy().astype(np.int64)
        return classes
    values = target.to_numpy()
    if not np.isfinite(values).all():
        raise InvalidHoldout("the labels file has a NaN or infinite target; fix it")
    floats: NDArray[np.float64] = values.astype(np.float64)
    return floats


def _joined_numbers(
    blocks: list[NDArray[np.float64] | NDArray[np.int64]],
) -> NDArray[np.float64] | NDArray[np.int64]:
    """The blocks end to end, each let go of once copied (never all twice in memory)."""
    if len(blocks) == 1:
        return blocks.pop()
    kind = blocks[0].dtype if blocks else np.float64
    joined = np.empty(sum(len(b) for b in blocks), dtype=kind)
    row = 0
    blocks.reverse()
    while blocks:
        block = blocks.pop()
        joined[row : row + len(block)] = block
        row += len(block)
        del block
    return joined


def split_holdout(spec: ChallengeSpec, labels: Labels, split_salt: bytes) -> Holdout:
    """The labels split by the salt; refuses a split that leaves a part unscorable."""
    return _split(labels, bytes(split_salt), spec.split.threshold, spec.classes)


@lru_cache(maxsize=4)
def _split(labels: Labels, salt: bytes, threshold: int, classes: tuple[str, ...]) -> Holdout:
    public = public_mask(labels.index, salt, threshold)
    public_rows = int(public.sum())
    for name, rows in (("public", public_rows), ("private", len(labels) - public_rows)):
        if rows < MIN_ROWS_PER_PART:
            raise InvalidHoldout(
                f"the {name} part has {rows} row(s) under this salt; it needs at "
                f"least {MIN_ROWS_PER_PART}: use more test rows or another public_fraction"
            )
        if labels.n_classes:
            part = public if name == "public" else ~public
            present = np.bincount(labels.y[part], minlength=labels.n_classes)
            if (present == 0).any():
                absent = classes[int(np.flatnonzero(present == 0)[0])]
                raise InvalidHoldout(
                    f"class {absent!r} has no row in the {name} part under this salt; every "
                    "class must appear in both parts: draw another split salt before publishing"
                )
    return Holdout(labels, salt, public)


def load_holdout(
    spec: ChallengeSpec, labels: bytes, split_salt: bytes, commitment: bytes | None = None
) -> Holdout:
    """Labels and split for scoring, after checking the salt against the spec's salt hash
    and, when given, both against the phase's on-chain holdout commitment."""
    if len(split_salt) != 32:
        raise InvalidHoldout(f"the split salt is 32 bytes, got {len(split_salt)}")
    if "0x" + keccak(split_salt).hex() != spec.split.salt_hash:
        raise InvalidHoldout(
            f"keccak256 of this split salt is not the spec's split.salt_hash "
            f"({spec.split.salt_hash}); use the salt drawn when the challenge was published"
        )
    if commitment is not None and holdout_commitment(labels, split_salt) != commitment:
        raise InvalidHoldout(
            f"these labels and split salt do not match the on-chain holdout commitment "
            f"0x{commitment.hex()}; use the exact labels file committed at publication"
        )
    holdout = split_holdout(spec, read_labels(spec, labels), split_salt)
    _release_freed()
    return holdout


def _release_freed() -> None:
    """Arrow's allocator keeps the pages its reader and casts freed (~110 MiB for 2.8 M
    rows) for reuse; the holdout stays for the whole phase, so they go back to the system."""
    pa.default_memory_pool().release_unused()
