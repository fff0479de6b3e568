"""Scoring speed on the Netflix-Prize-sized qualifying set, and CID hashing throughput.

Every contender runs in a fresh process of its own (so its peak RSS is its own), on the
same generated files, warm page cache, best of REPEATS:
- ours, per submission: `score_submission(spec, holdout, path)` with the phase's holdout
  prepared once beforehand, as the oracle daemon does (read, check and align the file,
  both parts' rmse, WADs);
- ours, cold: one run of the same plus reading the labels and hashing the split
  (`load_holdout`), as for the first submission of a phase;
- baseline: `pandas.read_csv` of the labels and the predictions, then scikit-learn's
  `mean_squared_error` on the public and the private rows (the split mask is handed to it
  precomputed; no validation, no id alignment).
Results must agree to 1e-12. CID hashing: `import_path` (CID only) and the embedded
store's `add_path` (blocks written) against `sha256sum` on the same file.
"""

import dataclasses
import math
import multiprocessing
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from eth_utils.crypto import keccak

from bench.report import Row, merge_rows
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.importer import import_path
from oracle.scoring import Holdout, load_holdout, score_submission
from oracle.spec import ChallengeSpec, SplitSpec, load_spec

ROWS = 2_817_131  # the Netflix Prize qualifying set
REPEATS = 3
SPEC = Path(__file__).resolve().parents[1] / "examples" / "specs" / "diabetes-regression.json"
SALT = bytes(range(32))
BASELINE = "pandas.read_csv(labels, predictions)+sklearn.mean_squared_error(public, private)"


@dataclass(frozen=True)
class Run:
    seconds: float  # best of REPEATS
    public: float
    private: float
    peak_rss_mib: float


def write_files(folder: Path) -> tuple[Path, Path]:
    """labels.csv (id,target: ratings 1-5) and predictions.csv (id,prediction), same order."""
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


def published_spec() -> ChallengeSpec:
    """The diabetes example spec as published with SALT, accepting a 2 GiB file."""
    spec = load_spec(SPEC)
    split = SplitSpec(spec.split.public_fraction, "0x" + keccak(SALT).hex())
    return dataclasses.replace(spec, split=split, max_artifact_bytes=2**31)


def _best(
    action: Callable[[], tuple[float, float]], repeats: int
) -> tuple[float, tuple[float, float]]:
    best, result = math.inf, (math.nan, math.nan)
    for _ in range(repeats):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def ours_per_submission(labels: Path, predictions: Path) -> Run:
    spec = published_spec()
    holdout = load_holdout(spec, labels.read_bytes(), SALT)

    def once() -> tuple[float, float]:
        return _scores(spec, holdout, predictions)

    return _finish(*_best(once, REPEATS))


def ours_cold(labels: Path, predictions: Path) -> Run:
    spec = published_spec()

    def once() -> tuple[float, float]:
        return _scores(spec, load_holdout(spec, labels.read_bytes(), SALT), predictions)

    return _finish(*_best(once, 1))


def _scores(spec: ChallengeSpec, holdout: Holdout, predictions: Path) -> tuple[float, float]:
    result = score_submission(spec, holdout, predictions)
    assert result.public_score is not None and result.private_score is not None, result.reason
    return result.public_score, result.private_score


def baseline(labels: Path, predictions: Path) -> Run:
    import pandas as pd
    from sklearn.metrics import mean_squared_error

    public = np.load(labels.with_name("public.npy"))  # the split, handed over precomputed

    def once() -> tuple[float, float]:
        truth = pd.read_csv(labels)["target"].to_numpy()
        pred = pd.read_csv(predictions)["prediction"].to_numpy()
        return (
            math.sqrt(mean_squared_error(truth[public], pred[public])),
            math.sqrt(mean_squared_error(truth[~public], pred[~public])),
        )

    return _finish(*_best(once, REPEATS))


def _finish(seconds: float, scores: tuple[float, float]) -> Run:
    return Run(seconds, scores[0], scores[1], _peak_rss_mib())


def _peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM). Not ru_maxrss: Linux carries that over from
    the parent that forked the worker, so every contender would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return math.nan


def _in_fresh_process(target: Callable[[Path, Path], Run], labels: Path, preds: Path) -> Run:
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        run: Run = pool.apply(target, (labels, preds))
    return run


def _throughput(path: Path) -> tuple[float, float, float]:
    """MB/s of import_path (CID only), EmbeddedStore.add_path and sha256sum, best of 3."""
    size_mb = path.stat().st_size / 1e6
    timings: dict[str, float] = {"cid": math.inf, "add": math.inf, "sha": math.inf}
    for _ in range(REPEATS):
        with tempfile.TemporaryDirectory() as store_dir:
            store = EmbeddedStore(Path(store_dir))
            actions: dict[str, Callable[[], object]] = {
                "cid": lambda: import_path(path),
                "add": lambda: store.add_path(path),  # noqa: B023 (called in this iteration)
                "sha": lambda: subprocess.run(["sha256sum", str(path)], check=True,
                                              capture_output=True),
            }  # fmt: skip
            for name, action in actions.items():
                start = time.perf_counter()
                action()
                timings[name] = min(timings[name], time.perf_counter() - start)
    return size_mb / timings["cid"], size_mb / timings["add"], size_mb / timings["sha"]


def _agree(ours: Run, reference: Run) -> None:
    for mine, theirs in ((ours.public, reference.public), (ours.private, reference.private)):
        assert abs(mine - theirs) <= 1e-12 * max(1.0, abs(theirs)), (mine, theirs)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print(f"  writing {ROWS:,} rows ...")
        labels, preds = write_files(Path(tmp))
        holdout = load_holdout(published_spec(), labels.read_bytes(), SALT)
        np.save(labels.with_name("public.npy"), holdout.public)
        del holdout
        print("  baseline: pandas.read_csv x2 + sklearn mean_squared_error (public, private)")
        base = _in_fresh_process(baseline, labels, preds)
        print("  ours, per submission (holdout prepared once per phase) ...")
        warm = _in_fresh_process(ours_per_submission, labels, preds)
        print("  ours, cold (read labels, hash the split, score) ...")
        cold = _in_fresh_process(ours_cold, labels, preds)
        _agree(warm, base)
        _agree(cold, base)
        print("  CID hashing vs sha256sum ...")
        cid_mbs, add_mbs, sha_mbs = _throughput(preds)
    name = "scoring.rmse_2817131_rows"
    rows = [
        Row(f"{name}.seconds", round(warm.seconds, 3), "s", BASELINE,
            round(base.seconds, 3), "ratio <= 0.2 (5x faster); per submission, holdout "
            "prepared once per phase"),
        Row(f"{name}.cold.seconds", round(cold.seconds, 3), "s", BASELINE,
            round(base.seconds, 3), "report only: labels read and split hashed once per phase"),
        Row(f"{name}.peak_rss_mib", round(warm.peak_rss_mib, 1), "MiB", BASELINE,
            round(base.peak_rss_mib, 1)),
        Row(f"{name}.cold.peak_rss_mib", round(cold.peak_rss_mib, 1), "MiB", BASELINE,
            round(base.peak_rss_mib, 1)),
        Row("ipfs.cid_throughput", round(cid_mbs, 1), "MB/s", "sha256sum", round(sha_mbs, 1)),
        Row("ipfs.embedded_add_throughput", round(add_mbs, 1), "MB/s", "sha256sum",
            round(sha_mbs, 1)),
    ]  # fmt: skip
    merge_rows(rows)
    print(f"  per submission {warm.seconds:.3f} s, cold {cold.seconds:.3f} s, baseline "
          f"{base.seconds:.3f} s ({base.seconds / warm.seconds:.1f}x, cold "
          f"{base.seconds / cold.seconds:.2f}x); rmse public {warm.public!r} private "
          f"{warm.private!r}; peak RSS {warm.peak_rss_mib:.0f} / {cold.peak_rss_mib:.0f} / "
          f"{base.peak_rss_mib:.0f} MiB; CID {cid_mbs:.0f} MB/s, add {add_mbs:.0f} MB/s, "
          f"sha256sum {sha_mbs:.0f} MB/s")  # fmt: skip
