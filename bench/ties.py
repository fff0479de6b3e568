"""Rank intervals (the ties step of `coop audit`, the board and shared prizes) at scale.

`private_intervals` rescores every entry on 1,000 bootstrap resamples of the private rows.
This bench times it (CPU seconds of this process) on COOP_BENCH_TIES_ENTRIES entries
(default 1,000; issue 18's size is 100,000) of the diabetes example challenge (its real
labels and split; each entry the labels plus its own normal noise, metric rmse, the
spec's 1,000 resamples), against the per-call path it replaced (`compute` on every
resample, timed on PER_CALL_ENTRIES entries), and extrapolates both to 100,000 entries.
The peak of numpy's allocations (tracemalloc) during a second run shows the memory held:
one block of entries' resample scores, not entries x resamples.
"""

import os
import time
import tracemalloc

import numpy as np

from bench.report import Row, record
from oracle.devnet.datasets import example_files, spec_path
from oracle.scoring.bootstrap import private_intervals, resample_rows
from oracle.scoring.labels import Holdout, read_labels, split_holdout
from oracle.scoring.metrics import compute
from oracle.spec import ChallengeSpec, load_spec

ENTRIES = int(os.environ.get("COOP_BENCH_TIES_ENTRIES", "1000"))
PER_CALL_ENTRIES = 20
AUDIT_ENTRIES = 100_000
TARGET_MINUTES = 10.0
SALT = bytes(range(32))


def _challenge() -> tuple[ChallengeSpec, Holdout, np.ndarray]:
    spec = load_spec(spec_path("diabetes-regression").read_bytes())
    holdout = split_holdout(
        spec, read_labels(spec, example_files("diabetes-regression")["labels.csv"]), SALT
    )
    truth = np.empty(len(holdout.public))
    for part in ("public", "private"):
        truth[holdout.part_rows[part]] = holdout.part_truth[part]
    return spec, holdout, truth


def _per_call_seconds(
    spec: ChallengeSpec, holdout: Holdout, predictions: list[np.ndarray]
) -> float:
    """CPU seconds of the replaced path: `compute` on every resample of every entry."""
    rows = holdout.part_rows["private"]
    truth = holdout.part_truth["private"]
    started = time.process_time()
    for draw in resample_rows(holdout.split_salt, len(rows), spec.ties.resamples):
        for y_pred in predictions:
            compute(spec.metric.name, truth[draw], y_pred[rows][draw], spec.metric.params)
    return time.process_time() - started


def main() -> None:
    spec, holdout, truth = _challenge()
    rng = np.random.default_rng(18)
    predictions = {
        e: truth + rng.normal(0, rng.uniform(20, 60), len(truth)) for e in range(ENTRIES)
    }
    started = time.process_time()
    intervals = private_intervals(spec, holdout, predictions)
    fast = (time.process_time() - started) / ENTRIES
    assert len(intervals) == ENTRIES
    per_call = (
        _per_call_seconds(spec, holdout, list(predictions.values())[:PER_CALL_ENTRIES])
        / PER_CALL_ENTRIES
    )
    tracemalloc.start()
    private_intervals(spec, holdout, predictions)
    peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rows = len(holdout.part_rows["private"])
    minutes = fast * AUDIT_ENTRIES / 60
    print(f"  {ENTRIES:,} entries, {rows} private rows, {spec.ties.resamples} resamples: "
          f"{fast * 1e3:.2f} ms/entry (per-call path {per_call * 1e3:.1f} ms/entry); "
          f"100,000: {minutes:.1f} min (per-call {per_call * AUDIT_ENTRIES / 60:.0f} min); "
          f"peak numpy memory {peak_mib:.0f} MiB; load {os.getloadavg()[0]:.1f}")  # fmt: skip
    result = [
        Row(f"ties.intervals_{ENTRIES}_entries.cpu_ms_per_entry", round(fast * 1e3, 3), "ms",
            "ties.per_call_path.cpu_ms_per_entry", round(per_call * 1e3, 2),
            f"ties step at 100,000 entries within the {TARGET_MINUTES:g}-minute audit: "
            f"{minutes:.1f} min at this rate ({rows} private rows, "
            f"{spec.ties.resamples} resamples)"),
        Row(f"ties.intervals_{ENTRIES}_entries.peak_mib", round(peak_mib, 1), "MiB",
            "ties.entries_x_resamples_array_at_100000.mib",
            round(AUDIT_ENTRIES * spec.ties.resamples * 8 / 2**20, 1),
            "bounded: one block of entries' resample scores, not entries x resamples"),
    ]  # fmt: skip
    record(result)


if __name__ == "__main__":
    main()
