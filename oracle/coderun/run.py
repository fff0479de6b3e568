"""Run a code submission once: main.py in the sandbox, its predictions and a status back.

The folder is the read-only working directory (/code), the inputs are read-only under /in,
/out starts empty; the program runs as `python main.py` on the challenge's runtime with
COOP_SEED, PYTHONHASHSEED=0 and one BLAS thread. What it leaves in /out/predictions.csv
(or .parquet) is read after every process of it is dead; the caller scores those bytes
exactly as a submitted predictions file.
"""

import re
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.coderun.folder import check_code_folder
from oracle.runtime import Runtime
from oracle.sandbox import Job, Limits, Outcome, Run, run_job, safe_text
from oracle.scoring.rejection import ArtifactRejected
from oracle.status import Status
from oracle.submission_spec import CodeLimits

OUTPUTS = ("predictions.csv", "predictions.parquet")
REASON_CHARS = 300
_EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|Interrupt|Warning))\b")


@dataclass(frozen=True)
class CodeRun:
    """What one run gave: a status and reason (VALID only means "it wrote predictions")."""

    status: Status
    reason: str
    predictions: bytes | None
    predictions_name: str | None
    exception: str | None  # the type of the exception that ended it, e.g. "ValueError"
    run: Run | None  # None when the folder was refused before anything ran


def code_seed(chain_id: int, challenge_id: int, phase: int, submission_id: int) -> int:
    """COOP_SEED: the first 4 bytes of keccak256(chain id, challenge, phase, submission)."""
    packed = b"".join(n.to_bytes(32, "big") for n in (chain_id, challenge_id, phase, submission_id))
    return int.from_bytes(keccak(packed)[:4], "big")


def sandbox_limits(limits: CodeLimits) -> Limits:
    return Limits(cpu_seconds=limits.cpu_seconds, wall_seconds=limits.wall_seconds,
                  memory_mb=limits.memory_mb, out_mb=limits.output_mb,
                  file_mb=limits.output_mb, log_bytes=limits.log_kb * 1024)  # fmt: skip


def run_code(
    folder: Path,
    limits: CodeLimits,
    inputs: Mapping[str, bytes | Path],
    runtime: Runtime,
    seed: int,
    max_folder_bytes: int,
) -> CodeRun:
    """Run main.py of `folder`; a refused folder or a failed run is a status, not an error."""
    try:
        check_code_folder(folder, max_folder_bytes)
    except ArtifactRejected as refused:
        return CodeRun(refused.status, refused.reason, None, None, None, None)
    job = Job(
        argv=(str(runtime.python), "-I", "-X", "faulthandler", "main.py"),
        files={"/code": folder, **inputs},
        workdir="/code",
        env={"COOP_SEED": str(seed), "PYTHONHASHSEED": "0", "PYTHONUNBUFFERED": "1"},
        collect=OUTPUTS,
        runtime=runtime.binds,
    )
    return _outcome(run_job(job, sandbox_limits(limits)), limits)


def _outcome(run: Run, limits: CodeLimits) -> CodeRun:
    exception = _exception_type(run.log)

    def status(code: Status, why: str) -> CodeRun:
        return CodeRun(code, safe_text(why, REASON_CHARS), None, None, exception, run)

    if run.outcome is Outcome.WALL_TIMEOUT:
        why = f"ran longer than its {limits.wall_seconds:g} s wall-clock limit"
        return status(Status.TIMEOUT, f"main.py {why}")
    if run.outcome is Outcome.CPU_TIMEOUT:
        why = f"used more than its {limits.cpu_seconds:g} s of CPU time (all its processes)"
        return status(Status.TIMEOUT, f"main.py {why}")
    if run.outcome is Outcome.OUT_OF_MEMORY or exception == "MemoryError":
        why = f"held more than its {limits.memory_mb} MB of memory (processes and files together)"
        return status(Status.OUT_OF_MEMORY, f"main.py {why}")
    if run.exit_code != 0:
        raised = f" ({exception})" if exception else ""
        return status(Status.RUN_FAILED, f"main.py {_how_it_ended(run.exit_code)}{raised}")
    written = [name for name in OUTPUTS if name in run.outputs]
    if not written:
        why = "ended without writing /out/predictions.csv or /out/predictions.parquet"
        return status(Status.NO_OUTPUT, f"main.py {why}")
    if len(written) > 1:
        why = "wrote both predictions.csv and predictions.parquet; write one of them"
        return status(Status.WRONG_FORMAT, f"main.py {why}")
    name = written[0]
    return CodeRun(Status.VALID, "", run.outputs[name], name, None, run)


def _how_it_ended(code: int | None) -> str:
    if code is not None and code > 128:
        try:
            return f"was killed by {signal.Signals(code - 128).name}"
        except ValueError:
            pass
    return f"exited with status {code}"


def _exception_type(log: str) -> str | None:
    """The exception Python reported last in the log (a traceback's or a SyntaxError's)."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    match = _EXCEPTION.match(lines[-1]) if lines else None
    return match.group(1).rsplit(".", 1)[-1] if match else None
