"""A large CSV predictions file in any row order, read in blocks and lined up by id.

For one prediction column (regression, binary) against integer test ids: each block of
rows (files.read_table_blocks, the file's pages let go of as read) is matched with the
sorted test ids by binary search (IdIndex.locate) and its values put at their test rows, which
start as NaN: a row found already filled is an id given twice, one still NaN at the end a
missing id (a value read is finite). So a file of any size is never resident whole, nor is
its table: what grows with the test set is the aligned predictions (8 bytes a row) and the
holdout's sorted ids, built for the first such file of a phase (8 bytes a row, 16 unless
the test ids ascend).

Only a valid file is read this way to the end: at the first fault (a parse error, an empty
or non-finite value, an id unknown or given twice, a value outside [0, 1], a row count that
differs) it gives None and the general path of predictions.py reads the file again and
words the refusal, so a refusal's status and reason are the same whichever path saw it.
"""

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from oracle.scoring.files import Blob, read_table_blocks
from oracle.scoring.labels import Labels
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ChallengeSpec, Task

STREAMED_CSV_BYTES = 64 * 2**20  # smaller files are read whole by the general path
BLOCK_BYTES = 16 * 2**20  # CSV bytes parsed per block (~1 M rows of `id,prediction`)


def streamed_values(spec: ChallengeSpec, data: Blob, labels: Labels) -> NDArray[np.float64] | None:
    """The prediction of every test row, in test-set order, or None when the file is not
    for this path (see the module doc) or has a fault (the general path words it)."""
    if (len(data) < STREAMED_CSV_BYTES or not labels.index.integer
            or len(spec.columns.prediction) != 1 or spec.task is Task.MULTICLASS):  # fmt: skip
        return None
    id_column, column = spec.columns.id, spec.columns.prediction[0]
    types = {id_column: pa.string(), column: pa.float64()}
    values = np.full(len(labels), np.nan)  # NaN: no row yet (a row read is finite)
    rows = 0
    try:
        for table in read_table_blocks(data, types, spec.max_uncompressed_bytes, BLOCK_BYTES):
            ids, block = table.column(id_column), table.column(column)
            if ids.null_count or block.null_count:
                return None
            positions = labels.index.locate(ids.combine_chunks())
            numbers = block.to_numpy()
            del table, ids, block
            if not _fits(spec, numbers) or (positions < 0).any():
                return None
            if not np.isnan(values[positions]).all():
                return None  # an id given again
            values[positions] = numbers
            rows += len(positions)
    except ArtifactRejected:
        return None
    if rows != len(labels) or np.isnan(values).any():  # an id twice in a block, one missing
        return None
    return values


def _fits(spec: ChallengeSpec, numbers: NDArray[np.float64]) -> bool:
    """Finite, and a probability for a binary task."""
    if not np.isfinite(numbers).all():
        return False
    return spec.task is Task.REGRESSION or bool(((numbers >= 0) & (numbers <= 1)).all())
