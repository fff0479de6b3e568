"""Checking a predictions table against the labels and lining it up with them.

The result is one float64 row per test row, in the labels' order: (n,) for regression and
binary (the probability of the positive class), (n, k) for multiclass (one probability per
class, each row summing to 1). Anything else is an ArtifactRejected with a status.
"""

import functools

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from oracle.scoring.fast_csv import aligned_values
from oracle.scoring.files import load_bytes, read_table
from oracle.scoring.ids import IdIndex
from oracle.scoring.labels import Labels
from oracle.scoring.rejection import ArtifactRejected
from oracle.scoring.streamed import streamed_values
from oracle.spec import ChallengeSpec, Task
from oracle.status import Status
from oracle.text import quote_value

SUM_TOLERANCE = 1e-6  # a multiclass probability row must sum to 1 within this
EXAMPLES = 3


def read_predictions(
    spec: ChallengeSpec, source: bytes | str, labels: Labels
) -> NDArray[np.float64]:
    """The predictions file (bytes or a path) checked and aligned to `labels`."""
    data = load_bytes(source, spec.max_artifact_bytes)
    if len(spec.columns.prediction) == 1 and spec.task is not Task.MULTICLASS:
        column = spec.columns.prediction[0]
        fast = aligned_values(data, spec.columns.id, column, labels)  # None: not its shape
        if fast is not None:
            check_values(spec, _finite(fast, column, labels.index)[:, np.newaxis], labels.index)
            return fast
    streamed = streamed_values(spec, data, labels, functools.partial(check_values, spec))
    if streamed is not None:  # None: not its shape, or a fault (worded below)
        return streamed
    types = {spec.columns.id: pa.string(), **{c: pa.float64() for c in spec.columns.prediction}}
    table = read_table(data, types, spec.max_uncompressed_bytes)
    ids = table.column(spec.columns.id).combine_chunks()
    columns = [_numbers(table.column(c).combine_chunks(), c, ids) for c in spec.columns.prediction]
    values = columns[0][:, np.newaxis] if len(columns) == 1 else np.column_stack(columns)
    order = _positions(ids, labels)
    check_values(spec, values, ids)
    aligned = values if order is None else _scatter(values, order, len(labels))
    return aligned[:, 0] if spec.task is not Task.MULTICLASS else aligned


def _quote(ids: pa.Array | IdIndex, rows: NDArray[np.intp]) -> str:
    """The first few ids at these rows: of a predictions table, or of the test rows."""
    shown_ids = (ids.text_at(rows[:EXAMPLES]) if isinstance(ids, IdIndex)
                 else [ids[int(i)].as_py() for i in rows[:EXAMPLES]])  # fmt: skip
    shown = ", ".join(quote_value(i) for i in shown_ids)
    return shown + (", ..." if len(rows) > EXAMPLES else "")


def _numbers(column: pa.Array, name: str, ids: pa.Array) -> NDArray[np.float64]:
    if column.null_count:
        rows = np.flatnonzero(column.is_null().to_numpy(zero_copy_only=False))
        raise ArtifactRejected(
            Status.WRONG_TYPE,
            f"column {quote_value(name)} is empty for id {_quote(ids, rows)}; fill it in",
        )
    return _finite(column.to_numpy().astype(np.float64, copy=False), name, ids)


def _finite(values: NDArray[np.float64], name: str, ids: pa.Array | IdIndex) -> NDArray[np.float64]:
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        raise ArtifactRejected(
            Status.NOT_FINITE,
            f"column {quote_value(name)} is {float(values[bad[0]])!r} for id {_quote(ids, bad)} "
            f"({len(bad)} NaN or infinite value(s)); every prediction must be a finite number",
        )
    return values


def _positions(ids: pa.Array, labels: Labels) -> NDArray[np.intp] | None:
    """Where each predictions row goes among the labels (None: already in the same order)."""
    if ids.null_count:
        raise ArtifactRejected(Status.WRONG_IDS, "a row has no id")
    expected = len(labels)
    if labels.index.in_file_order(ids):
        return None
    found = labels.index.locate(ids)
    unknown = np.flatnonzero(found < 0)
    positions = np.where(found < 0, expected, found).astype(np.intp)
    counts = np.bincount(positions, minlength=expected + 1)[:expected]
    missing = np.flatnonzero(counts == 0)
    repeated = np.flatnonzero(counts > 1)
    problems = []
    if len(missing):
        problems.append(f"{len(missing)} test id(s) missing, e.g. {_quote(labels.index, missing)}")
    if len(unknown):
        problems.append(f"{len(unknown)} id(s) not in the test set, e.g. {_quote(ids, unknown)}")
    if len(repeated):
        problems.append(
            f"id {_quote(labels.index, repeated)} appears {int(counts[repeated[0]])} times"
        )
    if len(ids) != expected:
        raise ArtifactRejected(
            Status.WRONG_ROW_COUNT,
            f"the file has {len(ids)} rows; the test set has {expected} ("
            + "; ".join(problems)
            + ")",
        )
    if problems:
        raise ArtifactRejected(Status.WRONG_IDS, "; ".join(problems))
    return positions


def _scatter(values: NDArray[np.float64], order: NDArray[np.intp], n: int) -> NDArray[np.float64]:
    aligned = np.empty((n, values.shape[1]), dtype=np.float64)
    aligned[order] = values
    return aligned


def check_values(spec: ChallengeSpec, values: NDArray[np.float64], ids: pa.Array | IdIndex) -> None:
    if spec.task is Task.REGRESSION:
        return
    outside = np.flatnonzero(((values < 0) | (values > 1)).any(axis=1))
    if len(outside):
        raise ArtifactRejected(
            Status.WRONG_TYPE,
            f"id {_quote(ids, outside)} has a prediction outside [0, 1]; predictions are "
            "probabilities"
            + (f" of class {spec.classes[1]!r}" if spec.task is Task.BINARY else ""),
        )
    if spec.task is Task.MULTICLASS:
        total = values[:, 0].copy()
        for column in range(1, values.shape[1]):  # left to right: the same sum on every CPU
            total += values[:, column]
        off = np.flatnonzero(np.abs(total - 1.0) > SUM_TOLERANCE)
        if len(off):
            raise ArtifactRejected(
                Status.WRONG_TYPE,
                f"the probabilities of id {_quote(ids, off)} sum to {float(total[off[0]])!r}; each "
                f"row must sum to 1 (within {SUM_TOLERANCE:g})",
            )
