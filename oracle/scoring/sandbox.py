"""Custom scorer programs, run in a bubblewrap sandbox with CPU, memory and time limits.

The sandbox sees only /usr, this Python and its packages (read-only), its inputs
(read-only, /in) and a private 64 MiB writable /tmp; it has no network (all namespaces
unshared), runs as `nobody` without capabilities, and dies with the oracle. `prlimit` sets
RLIMIT_CPU, RLIMIT_AS and RLIMIT_FSIZE; a wall-clock timeout kills the whole process group.
Whatever the scorer does becomes a score or ArtifactRejected(SCORER_FAILED or TIMEOUT).
A sandbox that cannot start at all is the oracle's problem: ConfigError.
"""

import contextlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oracle.errors import ConfigError
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ScorerSpec
from oracle.status import Status

RUNNER = Path(__file__).with_name("sandbox_runner.py")
OUTPUT_LIMIT = 16 * 2**20  # RLIMIT_FSIZE: any file the scorer writes, stdout included
TMP_BYTES = 64 * 2**20


@dataclass(frozen=True)
class SandboxLimits:
    cpu_seconds: float
    memory_mb: int
    wall_seconds: float

    @classmethod
    def of(cls, scorer: ScorerSpec) -> "SandboxLimits":
        return cls(scorer.cpu_seconds, scorer.memory_mb, scorer.wall_seconds)


def _system_binds() -> list[str]:
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    return [*args, "--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"]


def _python_binds() -> list[str]:
    """This interpreter, its standard library and the virtualenv with numpy, read-only."""
    prefixes = {sys.prefix, sys.base_prefix, str(Path(sys.executable).resolve().parents[1])}
    return [
        arg
        for p in sorted(prefixes)
        if not (p + "/").startswith("/usr/")
        for arg in ("--ro-bind", p, p)
    ]


def sandbox_command(inputs: Path, limits: SandboxLimits) -> list[str]:
    bwrap, prlimit = shutil.which("bwrap"), shutil.which("prlimit")
    if bwrap is None or prlimit is None:
        raise ConfigError("custom scorers need bubblewrap and prlimit: apt-get install bubblewrap")
    cpu = max(1, math.ceil(limits.cpu_seconds))
    memory = limits.memory_mb * 2**20
    return [
        prlimit,
        f"--cpu={cpu}:{cpu + 1}",
        f"--as={memory}:{memory}",
        f"--fsize={OUTPUT_LIMIT}:{OUTPUT_LIMIT}",
        "--core=0:0",
        "--",
        bwrap,
        "--unshare-all",
        "--unshare-user",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--die-with-parent",
        "--new-session",
        "--size",
        str(TMP_BYTES),
        "--tmpfs",
        "/tmp",
        *_system_binds(),
        *_python_binds(),
        "--ro-bind",
        str(inputs),
        "/in",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--remount-ro",
        "/",
        "--clearenv",
        "--setenv",
        "PATH",
        "/usr/bin:/bin",
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--setenv",
        "OPENBLAS_NUM_THREADS",
        "1",
        "--setenv",
        "OMP_NUM_THREADS",
        "1",
        "--chdir",
        "/tmp",
        sys.executable,
        "-I",
        "/in/runner.py",
        "/in",
    ]


def run_scorer(
    program: bytes,
    parts: Mapping[str, tuple[NDArray[Any], NDArray[Any]]],
    params: Mapping[str, Any],
    limits: SandboxLimits,
) -> dict[str, float]:
    """`score(y_true, y_pred, **params)` of the program for each named part, in one run."""
    with tempfile.TemporaryDirectory(prefix="coop-scorer-") as tmp:
        inputs = Path(tmp) / "in"
        inputs.mkdir()
        (inputs / "scorer.py").write_bytes(program)
        shutil.copyfile(RUNNER, inputs / "runner.py")
        manifest = {"parts": list(parts), "params": params}
        (inputs / "params.json").write_text(json.dumps(manifest, default=dict))
        for name, (y_true, y_pred) in parts.items():
            np.save(inputs / f"{name}.y_true.npy", y_true, allow_pickle=False)
            np.save(inputs / f"{name}.y_pred.npy", y_pred, allow_pickle=False)
        command = sandbox_command(inputs, limits)
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with out_path.open("wb") as out, err_path.open("wb") as err:
            code = _wait(
                subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=err,
                    start_new_session=True,
                ),
                limits,
            )
        with out_path.open("rb") as out, err_path.open("rb") as err:
            stdout = out.read(OUTPUT_LIMIT + 1)
            err.seek(max(0, err_path.stat().st_size - 4096))
            stderr = err.read().decode("utf-8", "replace")
    return _scores(code, stdout, stderr, limits, list(parts))


def _wait(process: subprocess.Popen[bytes], limits: SandboxLimits) -> int:
    try:
        return process.wait(timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        process.wait()
        raise ArtifactRejected(
            Status.TIMEOUT,
            f"the scorer ran longer than its {limits.wall_seconds:g} s wall-clock limit",
        ) from None
    finally:
        _kill_group(process)  # stragglers: bwrap's pid namespace dies with it anyway


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _scores(
    code: int, stdout: bytes, stderr: str, limits: SandboxLimits, parts: list[str]
) -> dict[str, float]:
    signalled = code - 128 if code > 128 else -code  # bwrap exits 128+N when its child dies of N
    if signalled in (signal.SIGXCPU, signal.SIGKILL):
        raise ArtifactRejected(
            Status.TIMEOUT, f"the scorer used more than its {limits.cpu_seconds:g} s of CPU time"
        )
    if signalled == signal.SIGXFSZ:
        raise ArtifactRejected(
            Status.SCORER_FAILED, f"the scorer wrote more than {OUTPUT_LIMIT} bytes"
        )
    lines = stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        report = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        report = {}
    if code != 0 or "scores" not in report:
        last = (stderr.strip().splitlines() or [f"exit status {code}"])[-1][:300]
        if not report and last.startswith("bwrap:"):
            raise ConfigError(f"the scorer sandbox cannot start on this machine: {last}")
        if report.get("kind") == "memory":
            raise ArtifactRejected(
                Status.SCORER_FAILED,
                f"the scorer ran out of memory (limit "
                f"{limits.memory_mb} MB): {report['error']}",
            )
        raise ArtifactRejected(
            Status.SCORER_FAILED, f"the scorer failed: {report.get('error', last)}"
        )
    scores = {part: float(report["scores"][part]) for part in parts}
    for part, value in scores.items():
        if not math.isfinite(value):
            raise ArtifactRejected(
                Status.SCORER_FAILED, f"the scorer returned {value!r} for the {part} rows"
            )
    return scores
