"""The fast path for the usual predictions file: a large `id,prediction` CSV in test-set order.

Most submissions are one id column and one number column, rows in the order of the test
set. For those, one compiled pass over the bytes (numba) checks each row's id against the
test id at that position, byte for byte, and parses plain decimals (`-12.5`, `0.300000`:
at most 2^53 as an integer once the point is dropped, at most 22 digits after it) as that
integer divided by a power of ten: both are exact doubles, so the one division is correctly
rounded, the double that Arrow's parser gives. Numbers of any other spelling (`1e-3`, 17
significant digits, `+1`) are copied aside and converted by Arrow's own string-to-double
cast afterwards.

Anything else gives None and the file takes the general path (files.read_table and the id
alignment of predictions.py), which also words the refusals: another column layout, quotes,
spaces, empty cells or lines, letters, ids that differ from the test set's at any row (a
shuffled file stops at its first row), a row count that differs, gzip or Parquet.
Below FAST_CSV_BYTES the general path is as fast and numba is not even imported. From twice
that, two threads scan the two halves, cut at a line start whose test row `find_row`
locates near where its share of the bytes puts it.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from oracle.scoring.files import UTF8_BOM, Blob
from oracle.scoring.labels import Labels

FAST_CSV_BYTES = 4 * 2**20  # smaller files take the general path (no JIT, no numba import)


def aligned_values(
    data: Blob, id_column: str, prediction_column: str, labels: Labels
) -> NDArray[np.float64] | None:
    """The prediction of every test row, in test-set order, or None when the file is not a
    plain two-column CSV with exactly the test ids in their order (see the module doc)."""
    if len(data) < FAST_CSV_BYTES:
        return None
    body_start = _body_start(data, f"{id_column},{prediction_column}".encode())
    if body_start is None or labels.unquoted_ids is None:
        return None
    from oracle.scoring import compiled  # imports numba: only for large files

    body = np.frombuffer(data, dtype=np.uint8)
    values = np.empty(len(labels), dtype=np.float64)
    parts = _parts(data, body_start, labels, compiled.find_row)
    with ThreadPoolExecutor(len(parts), thread_name_prefix="coop-fastcsv") as pool:
        scans = [pool.submit(_scan_part, compiled, body, part, labels, values) for part in parts]
    return values if all(done.result() for done in scans) else None


@dataclass(frozen=True)
class _Part:
    start: int  # first byte
    end: int  # the byte after the part; the next part starts there
    first_row: int
    rows: int
    last: bool


def _parts(data: Blob, start: int, labels: Labels, find_row: Any) -> list[_Part]:
    """The body cut in two at the line start nearest its middle, when the test row there is
    found near where its share of the bytes puts it; else one part."""
    rows, size = len(labels), len(data) - start
    whole = [_Part(start, len(data), 0, rows, last=True)]
    cut = data.find(b"\n", start + size // 2) + 1
    if size < 2 * FAST_CSV_BYTES or (os.cpu_count() or 1) < 2 or not start < cut < len(data):
        return whole
    assert labels.unquoted_ids is not None
    id_offsets, id_bytes = labels.unquoted_ids
    guess = rows * (cut - start) // size
    body = np.frombuffer(data, dtype=np.uint8)
    row = int(find_row(body, cut, id_offsets, id_bytes, guess, max(1_000, rows // 20)))
    if row <= 0:
        return whole
    return [_Part(start, cut, 0, row, last=False), _Part(cut, len(data), row, rows - row, True)]


def _scan_part(
    compiled: Any, body: NDArray[np.uint8], part: _Part, labels: Labels, values: NDArray[np.float64]
) -> bool:
    """Scans one part into `values`; False when it is not in the fast shape. A part other
    than the last must end exactly where the next begins (no row skipped between)."""
    assert labels.unquoted_ids is not None
    id_offsets, id_bytes = labels.unquoted_ids
    out = values[part.first_row : part.first_row + part.rows]
    aside_rows = np.empty(part.rows, dtype=np.int64)
    aside_offsets = np.zeros(part.rows + 1, dtype=np.int64)
    aside_bytes = np.empty(part.end - part.start, dtype=np.uint8)  # pages touched if used
    outcome, aside, end = compiled.scan(
        body, part.start, part.end, part.last, id_offsets, id_bytes, part.first_row, out,
        aside_rows, aside_offsets, aside_bytes,
    )  # fmt: skip
    if outcome != compiled.DONE or (not part.last and end != part.end):
        return False
    if aside:
        spelled = pa.Array.from_buffers(
            pa.large_string(),
            aside,
            [None, pa.py_buffer(aside_offsets[: aside + 1]),
             pa.py_buffer(aside_bytes[: aside_offsets[aside]])],
        )  # fmt: skip
        try:
            converted = pc.cast(spelled, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return False  # not a number to Arrow either: the general path words the refusal
        out[aside_rows[:aside]] = converted.to_numpy()
    return True


def _body_start(data: Blob, header: bytes) -> int | None:
    """Where the rows begin, when the first line is exactly `header` (after a BOM)."""
    start = len(UTF8_BOM) if data[: len(UTF8_BOM)] == UTF8_BOM else 0
    end = start + len(header)
    if data[start:end] != header:
        return None
    if data[end : end + 1] == b"\n":
        return end + 1
    if data[end : end + 2] == b"\r\n":
        return end + 2
    return None
