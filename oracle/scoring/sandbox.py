"""Custom scorer programs run in a bubblewrap sandbox: no network, read-only system,
a private writable /tmp, CPU-time, memory and wall-clock limits.

A scorer is a Python file exposing `score(y_true, y_pred, **params) -> float`. Anything
that goes wrong inside becomes ArtifactRejected(SCORER_FAILED or TIMEOUT) with a reason;
the calling process never crashes or hangs because of it.
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oracle.scoring.files import ArtifactRejected
from oracle.status import Status

RUNNER = """
import json, sys
import numpy as np
sys.path.insert(0, "/tmp/in")
import scorer
y_true = np.load("/tmp/in/y_true.npy")
y_pred = np.load("/tmp/in/y_pred.npy")
params = json.load(open("/tmp/in/params.json"))
value = float(scorer.score(y_true, y_pred, **params))
print(json.dumps({"score": value}))
"""


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = 10.0
    memory_mb: int = 1024
    wall_seconds: float = 30.0


def _bwrap() -> str:
    binary = shutil.which("bwrap")
    if binary is None:
        raise ArtifactRejected(
            Status.SCORER_FAILED,
            "bubblewrap (bwrap) is not installed on this oracle; run `make setup`",
        )
    return binary


def _python_binds() -> list[str]:
    """Read-only binds that keep this Python (and its venv) visible when it lives under
    /tmp, which the sandbox replaces with a private tmpfs."""
    binds: list[str] = []
    for prefix in sorted(
        {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parents[1])}
    ):
        if Path(prefix).resolve().is_relative_to("/tmp"):
            binds += ["--ro-bind", prefix, prefix]
    return binds


def _limit(limits: Limits) -> None:
    cpu = max(1, int(limits.cpu_seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))


def run_scorer(program: bytes, y_true: NDArray[Any], y_pred: NDArray[Any],
               params: dict[str, Any], limits: Limits) -> float:  # fmt: skip
    """The float the program's `score` returns, computed inside the sandbox."""
    with tempfile.TemporaryDirectory(prefix="coop-scorer-") as tmp:
        inputs = Path(tmp)
        (inputs / "scorer.py").write_bytes(program)
        (inputs / "runner.py").write_text(RUNNER)
        np.save(inputs / "y_true.npy", y_true)
        np.save(inputs / "y_pred.npy", y_pred)
        (inputs / "params.json").write_text(json.dumps(params))
        cmd = [
            _bwrap(), "--ro-bind", "/", "/", "--tmpfs", "/tmp", *_python_binds(),
            "--ro-bind", str(inputs), "/tmp/in", "--dev", "/dev", "--proc", "/proc",
            "--unshare-all", "--die-with-parent", "--new-session", "--chdir", "/tmp",
            "--setenv", "PYTHONDONTWRITEBYTECODE", "1",
            sys.executable, "-I", "/tmp/in/runner.py",
        ]  # fmt: skip
        process = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=lambda: _limit(limits), start_new_session=True,
        )  # fmt: skip
        try:
            out, err = process.communicate(timeout=limits.wall_seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ArtifactRejected(
                Status.TIMEOUT, f"the scorer ran longer than {limits.wall_seconds:g} s"
            ) from None
    return _result(process.returncode, out, err, limits)


def _result(code: int, out: bytes, err: bytes, limits: Limits) -> float:
    # bwrap reports a child killed by signal N as exit status 128 + N.
    cpu_signals = {signal.SIGXCPU, signal.SIGKILL}
    if code in {-s for s in cpu_signals} | {128 + s for s in cpu_signals}:
        raise ArtifactRejected(
            Status.TIMEOUT, f"the scorer used more than {limits.cpu_seconds:g} s of CPU"
        )
    last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit status {code}"]
    if code != 0:
        if "MemoryError" in last[0]:
            reason = f"the scorer needed more than {limits.memory_mb} MB of memory"
        else:
            reason = f"the scorer failed: {last[0][:300]}"
        raise ArtifactRejected(Status.SCORER_FAILED, reason)
    try:
        value = float(json.loads(out.decode().strip().splitlines()[-1])["score"])
    except (ValueError, KeyError, IndexError):
        raise ArtifactRejected(Status.SCORER_FAILED, "the scorer printed no score") from None
    return value
