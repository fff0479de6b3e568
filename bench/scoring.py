"""Scoring speed on the Netflix-Prize-sized qualifying set, and CID hashing throughput.

Baselines run side by side in the same process: pandas.read_csv + scikit-learn's
mean_squared_error for scoring; `sha256sum` on the same file for CID hashing.
"""

import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from bench.report import Row, merge_rows
from oracle.ipfs.importer import import_path
from oracle.scoring.engine import read_labels, score_submission
from oracle.spec import load_spec

ROWS = 2_817_131  # the Netflix Prize qualifying set
SPEC = Path(__file__).resolve().parents[1] / "examples" / "specs" / "diabetes-regression.json"


def timed(fn: Callable[[], Any]) -> tuple[float, Any, float]:
    """(seconds, result, the process's peak RSS in MiB so far: it only grows)."""
    start = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - start
    return seconds, result, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_files(folder: Path) -> tuple[Path, Path]:
    rng = np.random.default_rng(0)
    ids = np.arange(ROWS)
    truth = rng.integers(1, 6, ROWS).astype(np.float64)
    pred = np.clip(truth + rng.normal(0, 0.9, ROWS), 1, 5)
    labels, preds = folder / "labels.csv", folder / "predictions.csv"
    for path, column, values in ((labels, "target", truth), (preds, "prediction", pred)):
        with path.open("w") as out:
            out.write(f"id,{column}\n")
            np.savetxt(out, np.column_stack([ids, values]), fmt=["%d", "%.6f"], delimiter=",")
    return labels, preds


def main() -> None:
    import pandas as pd
    from sklearn.metrics import mean_squared_error

    with tempfile.TemporaryDirectory() as tmp:
        print(f"  writing {ROWS:,} rows ...")
        labels_path, preds_path = write_files(Path(tmp))
        spec = load_spec(SPEC)
        import dataclasses

        spec = dataclasses.replace(spec, max_artifact_bytes=2**31)
        labels = read_labels(spec, labels_path.read_bytes())

        def baseline() -> float:
            t = pd.read_csv(labels_path)
            p = pd.read_csv(preds_path)
            return float(np.sqrt(mean_squared_error(t["target"], p["prediction"])))

        def ours() -> object:
            return score_submission(spec, labels, preds_path.read_bytes(), bytes(32))

        # Baseline first: the peak RSS only grows, so ours is reported as the larger of both.
        print("  pandas + scikit-learn ...")
        base_s, base_value, base_mem = timed(baseline)
        print("  coop scoring (read, validate, align, split, score both splits) ...")
        ours_s, result, ours_mem = timed(ours)
        assert result.valid, result.reason  # type: ignore[attr-defined]

        size_mb = preds_path.stat().st_size / 1e6
        start = time.perf_counter()
        import_path(preds_path)
        cid_s = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(["sha256sum", str(preds_path)], check=True, capture_output=True)
        sha_s = time.perf_counter() - start
    rows = [
        Row(
            "scoring.rmse_2817131_rows.seconds",
            round(ours_s, 3),
            "s",
            "pandas.read_csv+sklearn.mean_squared_error",
            round(base_s, 3),
            "ratio <= 0.2 (5x faster)",
        ),  # fmt: skip
        Row(
            "scoring.rmse_2817131_rows.peak_rss_mib",
            round(ours_mem, 1),
            "MiB",
            "pandas.read_csv+sklearn.mean_squared_error",
            round(base_mem, 1),
        ),  # fmt: skip
        Row(
            "ipfs.cid_throughput",
            round(size_mb / cid_s, 1),
            "MB/s",
            "sha256sum",
            round(size_mb / sha_s, 1),
        ),  # fmt: skip
    ]
    merge_rows(rows)
    print(f"  ours {ours_s:.2f} s vs baseline {base_s:.2f} s (rmse {base_value:.6f});"
          f" CID {size_mb / cid_s:.0f} MB/s vs sha256sum {size_mb / sha_s:.0f} MB/s")  # fmt: skip
