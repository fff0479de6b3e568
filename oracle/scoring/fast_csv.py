"""The fast path for the usual predictions file: a large `id,prediction` CSV in test-set order.

Most submissions are one id column and one number column, rows in the order of the test
set. For those, one compiled pass over the bytes (numba, READ_BLOCK_ROWS rows per call, the
mapped pages behind it let go of between calls, so a large file is never resident whole)
checks each row's id against the test id at that position, byte for byte, and parses plain
decimals (`-12.5`, `0.300000`: at most 2^53 as an integer once the point is dropped, at
most 22 digits after it) as that integer divided by a power of ten: both are exact
doubles, so the one division is correctly rounded, the double that Arrow's parser gives.
Numbers of any other spelling (`1e-3`, 17 significant digits, `+1`) are copied aside and
converted by Arrow's own string-to-double cast afterwards.

Anything else gives None and the file takes the general path (files.read_table and the id
alignment of predictions.py), which also words the refusals: another column layout, quotes,
spaces, empty cells or lines, letters, ids that differ from the test set's at any row (a
shuffled file stops at its first row), a row count that differs, gzip or Parquet. (A large
plain CSV in another order is then read in blocks by streamed.py, before the general path.)
Below FAST_CSV_BYTES the general path reads the file and numba is not even imported (its
~1 s of import and load, once per process, would outweigh what it saves).
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from oracle.scoring.files import UTF8_BOM, Blob, let_go
from oracle.scoring.labels import Labels

FAST_CSV_BYTES = 4 * 2**20  # smaller files take the general path (no JIT, no numba import)
READ_BLOCK_ROWS = 2**18  # rows read between two lettings-go of the pages read (~4 MiB here)


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
    id_offsets, id_bytes = labels.unquoted_ids
    body = np.frombuffer(data, dtype=np.uint8)
    rows = len(labels)
    values = np.empty(rows, dtype=np.float64)
    aside_rows = np.empty(rows, dtype=np.int64)
    aside_offsets = np.empty(rows + 1, dtype=np.int64)  # filled as numbers are put aside
    aside_offsets[0] = 0
    aside_bytes = np.empty(len(body) - body_start, dtype=np.uint8)  # pages touched if used
    from oracle.scoring.compiled import DONE, scan  # imports numba: only for large files

    pos, aside = body_start, 0
    for first in range(0, rows, READ_BLOCK_ROWS):  # the file is let go of as it is read
        block = np.array([first, min(first + READ_BLOCK_ROWS, rows)], dtype=np.int64)
        outcome, aside, pos = scan(body, pos, block, id_offsets, id_bytes, values, aside,
                                   aside_rows, aside_offsets, aside_bytes)  # fmt: skip
        if outcome != DONE:
            return None
        let_go(data, pos)
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
            return None  # not a number to Arrow either: the general path words the refusal
        values[aside_rows[:aside]] = converted.to_numpy()
    return values


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
