"""Reading predictions and labels (CSV, gzip CSV, Parquet) into typed tables, or a status.

Every refusal is an ArtifactRejected carrying a Status and a sentence a participant can act
on; nothing here raises anything else for bad input.
"""

import io
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from oracle.errors import InvalidArtifact
from oracle.status import Status

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
MAX_EXPANSION = 20  # a gzip file may inflate to at most 20x the artifact size limit


class ArtifactRejected(InvalidArtifact):
    def __init__(self, status: Status, reason: str) -> None:
        super().__init__(f"{status.name.lower()}: {reason}")
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Table:
    ids: NDArray[Any]  # strings
    values: NDArray[np.float64]  # rows x columns


def _gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise ArtifactRejected(Status.UNREADABLE, f"gzip data is corrupt ({exc})") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise ArtifactRejected(
            Status.TOO_LARGE,
            f"decompresses to more than {limit} bytes (decompression bomb?); "
            "submit the plain CSV or a smaller file",
        )
    return out


def _arrow_table(data: bytes, id_col: str, value_cols: tuple[str, ...], limit: int) -> pa.Table:
    if data[:2] == GZIP_MAGIC:
        data = _gunzip(data, limit * MAX_EXPANSION)
    if not data.strip():
        raise ArtifactRejected(Status.UNREADABLE, "the file is empty")
    if data[:4] == PARQUET_MAGIC:
        try:
            return pq.read_table(pa.BufferReader(data))
        except (pa.ArrowException, OSError) as exc:
            raise ArtifactRejected(
                Status.UNREADABLE, f"not a readable Parquet file ({exc})"
            ) from None
    header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
    _check_columns(header, id_col, value_cols)
    types = {id_col: pa.string(), **{c: pa.float64() for c in value_cols}}
    try:
        return pa_csv.read_csv(
            io.BytesIO(data), convert_options=pa_csv.ConvertOptions(column_types=types)
        )
    except pa.ArrowInvalid as exc:
        message = str(exc)
        if "conversion" in message.lower() or "convert" in message.lower():
            raise ArtifactRejected(
                Status.WRONG_TYPE, f"a value is not a number ({message.splitlines()[0]})"
            ) from None
        raise ArtifactRejected(Status.UNREADABLE, f"not a readable CSV file ({message})") from None


def _check_columns(columns: list[str], id_col: str, value_cols: tuple[str, ...]) -> None:
    expected = [id_col, *value_cols]
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected]
    if missing or extra:
        raise ArtifactRejected(
            Status.WRONG_FORMAT,
            f"columns must be exactly {','.join(expected)}"
            + (f"; missing {','.join(missing)}" if missing else "")
            + (f"; unexpected {','.join(extra)}" if extra else ""),
        )


def read_table(data: bytes, id_col: str, value_cols: tuple[str, ...], max_bytes: int) -> Table:
    """The rows of a predictions or labels file, checked for format, ids and finiteness."""
    if len(data) > max_bytes:
        raise ArtifactRejected(
            Status.TOO_LARGE, f"{len(data)} bytes is over the challenge's limit of {max_bytes}"
        )
    table = _arrow_table(data, id_col, value_cols, max_bytes)
    _check_columns(table.column_names, id_col, value_cols)
    ids = np.asarray(table.column(id_col).cast(pa.string()).to_pylist(), dtype=object)
    try:
        columns = [table.column(c).cast(pa.float64()).to_numpy() for c in value_cols]
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ArtifactRejected(Status.WRONG_TYPE, f"a value is not a number ({exc})") from None
    values = np.column_stack(columns) if columns else np.empty((len(ids), 0))
    if any(i is None or i == "" for i in ids):
        raise ArtifactRejected(Status.WRONG_IDS, "a row has an empty id")
    finite = np.isfinite(values).all(axis=1)
    if not finite.all():
        bad = int(np.flatnonzero(~finite)[0])
        raise ArtifactRejected(
            Status.NOT_FINITE, f"row {bad + 1} has an empty, NaN or infinite value"
        )
    unique, counts = np.unique(ids.astype(str), return_counts=True)
    if (counts > 1).any():
        raise ArtifactRejected(Status.WRONG_IDS, f"id {str(unique[counts > 1][0])!r} appears twice")
    return Table(ids=ids.astype(str), values=values)


def align(labels: Table, predictions: Table) -> NDArray[np.float64]:
    """Prediction rows in the labels' id order; refuses missing, extra or miscounted ids."""
    if len(predictions.ids) != len(labels.ids):
        raise ArtifactRejected(
            Status.WRONG_ROW_COUNT,
            f"{len(predictions.ids)} rows; the challenge has {len(labels.ids)}",
        )
    order = np.argsort(predictions.ids)
    sorted_ids = predictions.ids[order]
    positions = np.searchsorted(sorted_ids, labels.ids)
    positions = np.clip(positions, 0, len(sorted_ids) - 1)
    found = sorted_ids[positions] == labels.ids
    if not found.all():
        missing = labels.ids[~found][0]
        raise ArtifactRejected(
            Status.WRONG_IDS, f"id {str(missing)!r} is missing (and others extra)"
        )
    return predictions.values[order[positions]]
