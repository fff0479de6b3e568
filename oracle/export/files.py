"""Writing export tables: a folder of Parquet files, or the same files in one zip (the API's)."""

import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed, so one ledger always gives the same zip bytes


def parquet_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def write_folder(tables: dict[str, pa.Table], folder: Path) -> list[Path]:
    """Writes `<name>.parquet` for each table into `folder` (created if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = folder / f"{name}.parquet"
        path.write_bytes(parquet_bytes(table))
        written.append(path)
    return written


def zip_bytes(tables: dict[str, pa.Table]) -> bytes:
    """The same `<name>.parquet` files as write_folder, in one zip."""
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_STORED) as archive:
        for name, table in tables.items():
            archive.writestr(zipfile.ZipInfo(f"{name}.parquet", ZIP_TIME), parquet_bytes(table))
    return sink.getvalue()
