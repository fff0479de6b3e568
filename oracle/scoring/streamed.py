"""A large predictions file, of any format and in any row order, read in blocks and lined up.

Each block of rows (files.stream_table_blocks: CSV, quoted or not, plain or
gzip-compressed, cut at line ends; Parquet in batches of rows; the file's pages let go of
as read) is checked (finite; for classification predictions.py's own check of
probabilities and multiclass sums) and put at its test rows. A block whose ids are the
test ids that come next (IdIndex.in_order_at: the block's ids compared with the kept
integers of those rows, or with the text ids) goes there as it is: a file in the labels'
order is never searched. Any other block,
against integer test ids, is matched with the sorted test ids by binary search
(IdIndex.locate). The test rows start as NaN: a row found already filled is an id given
twice, one still NaN at the end a missing id (a value read is finite). So a file of any
size is never resident whole, nor is its table: what grows with the test set is the
aligned predictions (8 bytes a row and class); the holdout's integer ids are kept sorted
from the load (8 bytes a row; 12, then 16 with the rank a file's first in-order block
builds, when the test ids do not ascend: oracle/scoring/ids.py).

Only a valid file is read this way to the end: at the first fault (a parse error, an empty
or non-finite value, an id unknown or given twice, a probability outside [0, 1] or a
multiclass row not summing to 1, a row count that differs) or a block it cannot place
(other ids than the next ones, with text test ids) it gives None and the general path of
predictions.py reads the file again and words the refusal, so a refusal's status and
reason are the same whichever path saw it. A refusal that concerns the file as a whole
(TOO_LARGE: a gzip bomb, Parquet metadata or columns over the limit) is the one the
general path gives, from the same code, and is raised here without reading the file again.
"""

from collections.abc import Callable

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from oracle.scoring.files import GZIP_MAGIC, Blob, CannotStream, stream_table_blocks
from oracle.scoring.labels import Labels
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ChallengeSpec, Task
from oracle.status import Status

Values = NDArray[np.float64]
STREAMED_FILE_BYTES = 64 * 2**20  # smaller files are read whole by the general path
GZIP_RATIO = 4  # gzip CSV of predictions inflates ~3x: from a quarter of the size it streams
BLOCK_BYTES = 16 * 2**20  # CSV bytes parsed per block (~1 M rows of `id,prediction`)


def streamed_values(
    spec: ChallengeSpec, data: Blob, labels: Labels, check: Callable[[Values, pa.Array], None]
) -> Values | None:
    """The predictions of every test row, in test-set order ((n,), or (n, k) for
    multiclass), or None when the file is not for this path (see the module doc) or has a
    fault (the general path words it). `check` is predictions.py's check of a block's
    values ((rows, k)) against the task (probabilities, sums), raising ArtifactRejected."""
    smallest = STREAMED_FILE_BYTES // (GZIP_RATIO if data[:2] == GZIP_MAGIC else 1)
    if len(data) < smallest:
        return None
    id_column, columns = spec.columns.id, spec.columns.prediction
    types = {id_column: pa.string(), **{c: pa.float64() for c in columns}}
    shape = (len(labels), len(columns)) if spec.task is Task.MULTICLASS else (len(labels),)
    values = np.full(shape, np.nan)  # NaN: no row yet (a row read is finite)
    rows = 0
    try:
        for table in stream_table_blocks(data, types, spec.max_uncompressed_bytes, BLOCK_BYTES):
            ids = table.column(id_column).combine_chunks()
            if ids.null_count or any(table.column(c).null_count for c in columns):
                return None
            numbers = _numbers(table, columns)
            del table
            if not np.isfinite(numbers).all():
                return None
            check(numbers, ids)
            flat = numbers[:, 0] if spec.task is not Task.MULTICLASS else numbers
            if not _place(labels, ids, rows, flat, values):
                return None
            rows += len(numbers)
    except CannotStream:
        return None
    except ArtifactRejected as exc:
        if exc.status is Status.TOO_LARGE:  # the general path's own refusal (module doc)
            raise
        return None
    if rows != len(labels) or np.isnan(values).any():  # an id twice in a block, one missing
        return None
    return values


def _numbers(table: pa.Table, columns: tuple[str, ...]) -> Values:
    """A block's predictions as (rows, k)."""
    if len(columns) == 1:
        single: Values = table.column(columns[0]).to_numpy()
        return single[:, np.newaxis]
    return np.column_stack([table.column(c).to_numpy() for c in columns])


def _place(labels: Labels, ids: pa.Array, rows: int, numbers: Values, values: Values) -> bool:
    """Puts a block's numbers at its ids' test rows (`rows` read before it); False when an
    id is unknown or given again, or the block cannot be placed without a search."""
    if labels.index.in_order_at(ids, rows):
        target = values[rows : rows + len(numbers)]
        if not np.isnan(target).all():
            return False  # an earlier block, out of order, gave one of these ids
        target[:] = numbers
        return True
    if not labels.index.integer:
        return False  # text ids: the general path matches them by hashing
    positions = labels.index.locate(ids)
    if (positions < 0).any() or not np.isnan(values[positions]).all():
        return False
    values[positions] = numbers
    return True
