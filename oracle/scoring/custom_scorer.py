"""Custom scorer programs (a Python file pinned by CID in the spec), run in the sandbox.

The program sees its inputs read-only at /in: scorer.py, the runner, params.json and, per
part, y_true and y_pred as .npy files. The runner calls `score(y_true, y_pred, **params)`
for each part and writes /out/result.json; the oracle reads that file after every process
of the run is dead and accepts exactly one shape: {"scores": {part: real number}} with a
finite number (not a boolean) for each part. Everything else, and every limit hit, becomes
ArtifactRejected (SCORER_FAILED or TIMEOUT) with a bounded, escaped reason. A sandbox that
cannot start at all is the oracle's problem: ConfigError.
"""

import io
import json
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oracle.sandbox import Job, Limits, Outcome, Run, run_job, safe_text
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ScorerSpec
from oracle.status import Status

RUNNER = Path(__file__).with_name("custom_scorer_runner.py")
RESULT = "result.json"
REASON_CHARS = 300


def scorer_limits(scorer: ScorerSpec) -> Limits:
    return Limits(cpu_seconds=scorer.cpu_seconds, memory_mb=scorer.memory_mb,
                  wall_seconds=scorer.wall_seconds)  # fmt: skip


def run_scorer(
    program: bytes,
    parts: Mapping[str, tuple[NDArray[Any], NDArray[Any]]],
    params: Mapping[str, Any],
    limits: Limits,
) -> dict[str, float]:
    """`score(y_true, y_pred, **params)` of the program for each named part, in one run."""
    files: dict[str, bytes | Path] = {
        "/in/scorer.py": program,
        "/in/runner.py": RUNNER,
        "/in/params.json": json.dumps(
            {"parts": list(parts), "params": params}, default=dict
        ).encode(),  # fmt: skip
    }
    for name, (y_true, y_pred) in parts.items():
        files[f"/in/{name}.y_true.npy"] = _npy(y_true)
        files[f"/in/{name}.y_pred.npy"] = _npy(y_pred)
    job = Job(argv=(sys.executable, "-I", "/in/runner.py", "/in"), files=files,
              collect=(RESULT,))  # fmt: skip
    return _scores(run_job(job, limits), limits, list(parts))


def _npy(array: NDArray[Any]) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def _failed(why: str) -> ArtifactRejected:
    return ArtifactRejected(Status.SCORER_FAILED, safe_text(f"the scorer {why}", REASON_CHARS))


def _scores(run: Run, limits: Limits, parts: list[str]) -> dict[str, float]:
    if run.outcome is Outcome.WALL_TIMEOUT:
        raise ArtifactRejected(
            Status.TIMEOUT,
            f"the scorer ran longer than its {limits.wall_seconds:g} s wall-clock limit",
        )
    killed_by_rlimit = run.exit_code in (128 + 24, 128 + 9)  # SIGXCPU, or SIGKILL at the hard limit
    if run.outcome is Outcome.CPU_TIMEOUT or (
        killed_by_rlimit and run.usage.cpu_seconds >= limits.cpu_seconds
    ):
        raise ArtifactRejected(
            Status.TIMEOUT, f"the scorer used more than its {limits.cpu_seconds:g} s of CPU time"
        )
    if run.outcome is Outcome.OUT_OF_MEMORY:
        raise _failed(f"ran out of memory (limit {limits.memory_mb} MB)")
    if run.exit_code == 128 + 25:  # SIGXFSZ
        raise _failed(f"wrote a file larger than its {limits.file_mb} MB limit")
    try:
        report = json.loads(run.outputs[RESULT])
    except (KeyError, ValueError, RecursionError):
        last = run.last_log_line() or f"exit status {run.exit_code}"
        raise _failed(f"gave no result: {last}") from None
    if not isinstance(report, dict):
        raise _failed("wrote a result that is not a JSON object")
    if run.exit_code != 0 or "scores" not in report:
        error = report.get("error")
        if report.get("kind") == "memory":
            raise _failed(f"ran out of memory (limit {limits.memory_mb} MB): {error}")
        raise _failed(f"failed: {error if isinstance(error, str) else run.last_log_line()}")
    return _checked_scores(report["scores"], parts)


def _checked_scores(scores: object, parts: list[str]) -> dict[str, float]:
    if not isinstance(scores, dict) or sorted(scores) != sorted(parts):
        raise _failed(f"must return one score for each of {', '.join(parts)}")
    checked = {}
    for part in parts:
        value = scores[part]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _failed(f"returned {type(value).__name__} for the {part} rows, not a number")
        if not math.isfinite(value):
            raise _failed(f"returned {value!r} for the {part} rows")
        checked[part] = float(value)
    return checked
