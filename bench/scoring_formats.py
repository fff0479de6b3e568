"""Predictions files of every format at scale, each read in blocks (oracle/scoring/streamed.py).

The same predictions, written as plain CSV, gzip-compressed CSV, CSV with every value
quoted and Parquet (row groups of 2^20 rows, integer ids), in the labels' order and
shuffled, scored one after the other in one fresh process holding the holdout (after one
warm-up submission): the time and the peak RSS (VmHWM, reset before each file) of each.
The plain CSV in the labels' order takes the compiled fast path (fast_csv.py); it is also
scored with that path turned off (`csv.in_order.block_path`), the measured reason the fast
path stays. The files in the labels' order go first: the first shuffled file makes the
holdout build and keep its sorted ids, which every later peak includes. Every file must
score the same to the bit.

COOP_BENCH_FORMAT_ROWS sets the size (default 10,000,000; 100,000,000 is the full Netflix
data, files of ~1.6 GB each: run it under `flock /tmp/coop-bigmem.lock`).
"""

import dataclasses
import gzip
import multiprocessing
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
from eth_utils.crypto import keccak

from bench.memory import peak_rss_mib
from bench.report import Row, record
from bench.scoring import SALT, SPEC, _scores, published_spec, write_big_files
from oracle.scoring import fast_csv, load_holdout, streamed
from oracle.scoring.fast_csv import FAST_CSV_BYTES
from oracle.scoring.files import GZIP_MAGIC
from oracle.spec import ChallengeSpec, SplitSpec, Task, load_spec

DEFAULT_ROWS = 10_000_000
COPY_BYTES = 16 * 2**20
COPY_ROWS = 1_000_000
PARQUET_ROW_GROUP = 2**20
FORMATS = ("csv", "gzip", "quoted", "parquet")
ORDERS = ("in_order", "shuffled")
BLOCK_PATH_CSV = "csv.in_order.block_path"  # the CSV in order with fast_csv turned off


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mib: float
    public: float
    private: float


def write_format_files(folder: Path, rows: int) -> tuple[Path, dict[tuple[str, str], Path]]:
    """labels.csv and the predictions in every format and order."""
    labels, in_order, shuffled = write_big_files(folder, rows)
    paths: dict[tuple[str, str], Path] = {}
    for order, csv in (("in_order", in_order), ("shuffled", shuffled)):
        paths["csv", order] = csv
        paths["gzip", order] = _gzipped(csv, folder / f"{order}.csv.gz")
        paths["quoted", order] = _quoted(csv, folder / f"{order}.quoted.csv")
        paths["parquet", order] = _parquet(csv, folder / f"{order}.parquet")
    return labels, paths


def _batches(csv: Path, id_type: pa.DataType) -> pa_csv.CSVStreamingReader:
    types = {"id": id_type, "prediction": pa.float64()}
    return pa_csv.open_csv(
        csv, read_options=pa_csv.ReadOptions(block_size=COPY_BYTES, use_threads=False),
        convert_options=pa_csv.ConvertOptions(column_types=types),
    )  # fmt: skip


def _gzipped(source: Path, target: Path) -> Path:
    """Level 1 (Arrow's default level took ~8 minutes a 1.6 GB file on the loaded machine)."""
    with source.open("rb") as data, gzip.open(target, "wb", compresslevel=1) as out:
        shutil.copyfileobj(data, out, COPY_BYTES)
    return target


def _quoted(source: Path, target: Path) -> Path:
    options = pa_csv.WriteOptions(quoting_style="all_valid")
    reader = _batches(source, pa.string())
    with pa_csv.CSVWriter(str(target), reader.schema, write_options=options) as writer:
        for batch in reader:
            writer.write_batch(batch)
    return target


def _parquet(source: Path, target: Path) -> Path:
    reader = _batches(source, pa.int64())
    with pq.ParquetWriter(str(target), reader.schema) as writer:
        for batch in reader:
            writer.write_table(pa.Table.from_batches([batch]), row_group_size=PARQUET_ROW_GROUP)
    return target


def _check_streamed(paths: dict[tuple[str, str], Path]) -> None:
    """Every file is large enough for the block path (smaller ones are read whole)."""
    for (fmt, _), path in paths.items():
        with path.open("rb") as handle:
            compressed = handle.read(2) == GZIP_MAGIC
        smallest = streamed.STREAMED_FILE_BYTES // (streamed.GZIP_RATIO if compressed else 1)
        assert path.stat().st_size >= smallest, f"{fmt} is read whole: use more rows"


def _measure_all(labels: Path, files: list[tuple[str, Path]]) -> tuple[float, dict[str, Measured]]:
    """In a fresh process: the holdout loaded and one warm-up submission, then each file
    scored, VmHWM reset before each. Gives the RSS before the first measured file, and each
    file's time, peak and scores."""
    spec = dataclasses.replace(published_spec(), max_uncompressed_bytes=20 * 2**31)  # default
    holdout = load_holdout(spec, labels.read_bytes(), SALT)
    _scores(spec, holdout, files[0][1])  # numba's compiled sums loaded, as in a daemon
    resident = _rss_mib()
    measured = {}
    for name, path in files:
        fast_csv.FAST_CSV_BYTES = 2**62 if name == BLOCK_PATH_CSV else FAST_CSV_BYTES
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM starts again from VmRSS
        start = time.perf_counter()
        public, private = _scores(spec, holdout, path)
        measured[name] = Measured(time.perf_counter() - start, peak_rss_mib(), public, private)
    return resident, measured


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    rows = int(os.environ.get("COOP_BENCH_FORMAT_ROWS", DEFAULT_ROWS))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"  writing {rows:,} rows in {len(FORMATS)} formats, in order and shuffled ...")
        labels, paths = write_format_files(Path(tmp), rows)
        order = [(f"{fmt}.{o}", paths[fmt, o]) for o in ORDERS for fmt in FORMATS]
        order.insert(1, (BLOCK_PATH_CSV, paths["csv", "in_order"]))
        sizes = {name: path.stat().st_size / 1e6 for name, path in order}  # MB
        _check_streamed(paths)
        print("  scoring each in a fresh process holding the holdout ...")
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            resident, measured = pool.apply(_measure_all, (labels, order))
    load = os.getloadavg()[0]
    reference = measured["csv.in_order"]
    results: list[Row] = []
    for name, run in measured.items():
        assert (run.public, run.private) == (reference.public, reference.private), name  # bit
        above = (run.peak_rss_mib - resident) * 2**20 / rows
        print(f"  {name}: {sizes[name]:,.0f} MB, {run.seconds:.1f} s, peak "
              f"{run.peak_rss_mib:.0f} MiB ({above:.1f} bytes a row above the holdout's "
              f"{resident:.0f} MiB); load average {load:.1f}")  # fmt: skip
        results += _rows(rows, name, run, sizes[name], resident, load, reference)
    record(results)


def _rows(
    rows: int, name: str, run: Measured, size_mb: float, resident: float, load: float,
    fast: Measured,
) -> list[Row]:  # fmt: skip
    full = f"scoring.formats_{rows}_rows.{name}"
    how = "by fast_csv's compiled in-order pass" if name == "csv.in_order" else "in blocks"
    what = (f"one {size_mb:,.0f} MB predictions file ({name.replace('.', ', ')}) read {how}, "
            f"the holdout resident ({resident:.0f} MiB"
            + (", with its sorted ids once a shuffled file came" if "shuffled" in name else "")
            + ")")  # fmt: skip
    above = round((run.peak_rss_mib - resident) * 2**20 / rows, 1)
    bound = rows >= 100_000_000
    seconds = Row(f"{full}.seconds", round(run.seconds, 1), "s", "none", 0.0,
                  f"report only: {what}; load average {load:.1f}")  # fmt: skip
    if name == BLOCK_PATH_CSV:
        seconds = Row(f"{full}.seconds", round(run.seconds, 2), "s", "fast_csv, same file",
                      round(fast.seconds, 2), f"report only: {what}; the measured reason "
                      f"fast_csv stays (docs/scoring.md); load average {load:.1f}")  # fmt: skip
    return [
        Row(f"{full}.peak_rss_mib", round(run.peak_rss_mib, 1), "MiB",
            "4 GiB bound" if bound else "none", 4096.0 if bound else 0.0,
            ("ratio <= 1 (issue 18): " if bound else "report only: ")
            + f"{what}; same score to the bit as every other format; load average {load:.1f}"),
        Row(f"{full}.bytes_a_row_above_holdout", above, "B", "none", 0.0,
            f"report only: (peak RSS - RSS with the holdout loaded) / rows; {what}"),
        seconds,
    ]  # fmt: skip


SHAPES = {  # name: (example spec, rows as a fraction of COOP_BENCH_FORMAT_ROWS, text ids)
    "text_ids_rmse": ("diabetes-regression", 1, True),
    "binary_roc_auc": ("breast-cancer-binary", 1, False),
    "multiclass_log_loss_10_classes": ("digits-multiclass", 10, False),
}


def shapes_main() -> None:
    """The files the block path reads whole or whose metric gathers a part: text test ids
    in another order (read whole, matched by hashing), roc_auc (sorts each part) and a
    10-class log_loss (rows a tenth, the file about as large): per-submission peak RSS
    above the process holding the holdout, in bytes a row, each in a fresh process."""
    rows = int(os.environ.get("COOP_BENCH_FORMAT_ROWS", DEFAULT_ROWS))
    results: list[Row] = []
    for name, (example, fraction, text_ids) in SHAPES.items():
        count = rows // fraction
        with tempfile.TemporaryDirectory() as tmp:
            print(f"  {name}: writing {count:,} rows ...")
            spec = _example_spec(example)
            labels, shuffled = _write_shape(Path(tmp), spec, count, text_ids)
            size_mb = shuffled.stat().st_size / 1e6
            with multiprocessing.get_context("spawn").Pool(1) as pool:
                resident, run = pool.apply(_measure_shape, (example, labels, shuffled))
        load = os.getloadavg()[0]
        above = (run.peak_rss_mib - resident) * 2**20 / count
        print(f"  {name}: {count:,} rows, {size_mb:,.0f} MB shuffled, {run.seconds:.1f} s, peak "
              f"{run.peak_rss_mib:.0f} MiB, {above:.1f} bytes a row above the {resident:.0f} "
              f"MiB held; load average {load:.1f}")  # fmt: skip
        what = (
            f"a {size_mb:,.0f} MB shuffled predictions file of {count:,} rows, the second "
            f"submission in a process holding the holdout ({resident:.0f} MiB)"
        )
        full = f"scoring.shapes_{count}_rows.{name}"
        results += [
            Row(f"{full}.peak_rss_mib", round(run.peak_rss_mib, 1), "MiB", "none", 0.0,
                f"report only: {what}; load average {load:.1f}"),
            Row(f"{full}.bytes_a_row", round(above, 1), "B", "none", 0.0,
                f"report only: (peak RSS - RSS held before it) / rows; {what}"),
            Row(f"{full}.seconds", round(run.seconds, 1), "s", "none", 0.0,
                f"report only: {what}; load average {load:.1f}"),
        ]  # fmt: skip
    record(results)


def _example_spec(example: str) -> ChallengeSpec:
    spec = load_spec(SPEC.with_name(f"{example}.json"))
    split = SplitSpec(spec.split.public_fraction, "0x" + keccak(SALT).hex())
    return dataclasses.replace(spec, split=split, max_artifact_bytes=2**31,
                               max_uncompressed_bytes=20 * 2**31)  # fmt: skip


def _write_shape(folder: Path, spec: ChallengeSpec, rows: int, text_ids: bool) -> tuple[Path, Path]:
    """labels.csv and shuffled.csv for the spec's task, written in blocks."""
    rng = np.random.default_rng(1)
    plain = pa_csv.WriteOptions(include_header=False, quoting_style="none")
    classes = len(spec.classes)
    labels, shuffled = folder / "labels.csv", folder / "shuffled.csv"
    order = rng.permutation(rows)
    columns = spec.columns
    with labels.open("wb") as truth_file, shuffled.open("wb") as predictions_file:
        truth_file.write(f"{columns.id},{columns.target}\n".encode())
        predictions_file.write((",".join([columns.id, *columns.prediction]) + "\n").encode())
        for start in range(0, rows, COPY_ROWS):
            ids = np.arange(start, min(start + COPY_ROWS, rows))
            shown = pa.array([f"u{i}" for i in ids]) if text_ids else pa.array(ids)
            target = rng.integers(0, classes, len(ids)) if classes else rng.normal(size=len(ids))
            pa_csv.write_csv(pa.table({"id": shown, "target": target}), truth_file, plain)
        for start in range(0, rows, COPY_ROWS):
            ids = order[start : start + COPY_ROWS]
            shown = pa.array([f"u{i}" for i in ids]) if text_ids else pa.array(ids)
            table = {"id": shown} | _predictions(rng, spec, len(ids))
            pa_csv.write_csv(pa.table(table), predictions_file, plain)
    return labels, shuffled


def _predictions(rng: np.random.Generator, spec: ChallengeSpec, count: int) -> dict[str, object]:
    names = spec.columns.prediction
    if spec.task is Task.MULTICLASS:  # rows summing to 1 (Arrow writes each double exactly)
        chances = rng.dirichlet(np.ones(len(names)), count)
        return {n: chances[:, k] for k, n in enumerate(names)}
    if spec.task is Task.BINARY:
        return {names[0]: np.round(rng.uniform(size=count), 6)}
    return {names[0]: np.round(rng.normal(size=count), 6)}


def _measure_shape(example: str, labels: Path, shuffled: Path) -> tuple[float, Measured]:
    """In a fresh process: the holdout, one submission (the sorted ids built, numba
    loaded), then the same file again with VmHWM reset: the RSS before it and its run."""
    spec = _example_spec(example)
    holdout = load_holdout(spec, labels.read_bytes(), SALT)
    _scores(spec, holdout, shuffled)
    resident = _rss_mib()
    Path("/proc/self/clear_refs").write_text("5")
    start = time.perf_counter()
    public, private = _scores(spec, holdout, shuffled)
    return resident, Measured(time.perf_counter() - start, peak_rss_mib(), public, private)
