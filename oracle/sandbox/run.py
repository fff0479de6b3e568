"""Run one program in the sandbox and report what happened: outcome, resources, log, outputs.

The caller describes a Job (argv, the read-only files it sees, its environment, the /out
files to bring back) and its Limits; `run_job` returns a Run, whatever the program does.
Only a sandbox that cannot start on this machine raises (ConfigError): that is the
operator's problem, never the program's.
"""

import contextlib
import enum
import json
import os
import select
import stat
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from oracle.errors import ConfigError
from oracle.sandbox.cgroup import RunCgroup
from oracle.sandbox.command import inner_command, stage_command, this_python_prefixes
from oracle.sandbox.limits import MIB, Limits
from oracle.sandbox.seccomp import filter_bpf
from oracle.sandbox.text import safe_text

RESERVED_TOPS = {"bin", "dev", "etc", "lib", "lib32", "lib64", "out", "proc", "run", "sbin",
                 "sys", "tmp", "usr", "var"}  # fmt: skip
BASE_ENV = {
    "PATH": "/usr/bin:/bin",
    "HOME": "/tmp",
    "LANG": "C.UTF-8",
    "PYTHONDONTWRITEBYTECODE": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
POLL_SECONDS = 0.02
LOG_HEAD_BYTES = 4096


class Outcome(enum.Enum):
    EXITED = "exited"  # the program ended by itself; see Run.exit_code
    WALL_TIMEOUT = "wall_timeout"
    CPU_TIMEOUT = "cpu_timeout"
    OUT_OF_MEMORY = "out_of_memory"


@dataclass(frozen=True)
class Job:
    """argv runs with `workdir` as its working directory; `files` maps sandbox paths
    (`/in/train.csv`, `/code`, ...) to bytes or to a host file or folder, all read-only;
    `collect` names the files of /out to bring back (regular files only)."""

    argv: tuple[str, ...]
    files: Mapping[str, bytes | Path]
    workdir: str = "/tmp"
    env: Mapping[str, str] = field(default_factory=dict)
    collect: tuple[str, ...] = ()
    runtime: tuple[Path, ...] = field(default_factory=lambda: tuple(this_python_prefixes()))


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    peak_memory_mb: float
    wall_seconds: float


@dataclass(frozen=True)
class Run:
    outcome: Outcome
    exit_code: int | None  # 128 + N when the program died of signal N
    log: str  # stdout and stderr, escaped; the head and the tail when it was longer
    usage: Usage
    outputs: Mapping[str, bytes]  # the collected /out files that exist and are regular files

    @property
    def succeeded(self) -> bool:
        return self.outcome is Outcome.EXITED and self.exit_code == 0

    def last_log_line(self, limit: int = 300) -> str:
        lines = [line for line in self.log.splitlines() if line.strip()]
        return safe_text(lines[-1], limit) if lines else ""


def run_job(job: Job, limits: Limits) -> Run:
    """Run `job` within `limits`; every process it starts is gone when this returns."""
    with tempfile.TemporaryDirectory(prefix="coop-sandbox-", dir="/tmp") as tmp:
        stage = Path(tmp)
        stage.chmod(0o711)  # the sandbox uid passes through to the mounts below, nothing more
        tops, in_bytes = _stage_files(stage / "view", job.files)
        for name in ("in", "out"):
            (stage / name).mkdir()
        for i in range(1, len(job.runtime) + 1):
            (stage / "rt" / str(i)).mkdir(parents=True)
        (stage / "seccomp.bpf").write_bytes(filter_bpf())
        env = {**BASE_ENV, **job.env}
        inner = inner_command(list(job.argv), tops, stage, job.workdir, env,
                              list(job.runtime), limits)  # fmt: skip
        cgroup = RunCgroup(limits)
        try:
            command = stage_command(stage, in_bytes, limits, list(job.runtime),
                                    cgroup.procs_files, inner)  # fmt: skip
            return _supervise(command, stage, job, limits, cgroup)
        finally:
            cgroup.kill()
            cgroup.remove()


def _stage_files(view: Path, files: Mapping[str, bytes | Path]) -> tuple[list[str], int]:
    """Lay the job's files out under `view` (host files linked, not copied); their size."""
    total, tops = 0, set()
    for where, what in files.items():
        parts = Path(where).parts
        if len(parts) < 2 or parts[0] != "/" or ".." in parts or parts[1] in RESERVED_TOPS:
            raise ValueError(f"sandbox path {where!r} must be absolute, below a folder of its own")
        tops.add(parts[1])
        target = view.joinpath(*parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(what, bytes):
            target.write_bytes(what)
            total += len(what) + 4096
        else:
            source = what.resolve(strict=True)
            for path in [source, *source.rglob("*")]:
                if path.is_symlink() or not (path.is_file() or path.is_dir()):
                    raise ValueError(f"{path} is not a plain file or folder; nothing staged")
                total += path.stat().st_size + 4096
            target.symlink_to(source)  # followed by the stage's copy, which found no other link
    return sorted(tops), total + MIB


class _LogReader(threading.Thread):
    """Drains the program's stdout+stderr pipe, keeping its head and its tail."""

    def __init__(self, fd: int, tail_bytes: int) -> None:
        super().__init__(daemon=True, name="coop-sandbox-log")
        self._fd, self._tail_bytes = fd, tail_bytes
        self.head, self.tail, self.total = b"", bytearray(), 0

    def run(self) -> None:
        with os.fdopen(self._fd, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                self.total += len(chunk)
                if len(self.head) < LOG_HEAD_BYTES:
                    room = LOG_HEAD_BYTES - len(self.head)
                    self.head += chunk[:room]
                    chunk = chunk[room:]
                self.tail += chunk
                del self.tail[: max(0, len(self.tail) - self._tail_bytes)]

    def text(self) -> str:
        skipped = self.total - len(self.head) - len(self.tail)
        middle = f"\n[... {skipped} bytes not kept ...]\n" if skipped > 0 else ""
        raw = self.head.decode("utf-8", "replace") + middle + self.tail.decode("utf-8", "replace")
        return safe_text(raw, len(raw) + 1, keep_newlines=True)


def _supervise(command: list[str], stage: Path, job: Job, limits: Limits, cgroup: RunCgroup) -> Run:
    log_read, log_write = os.pipe()
    reader = _LogReader(log_read, limits.log_bytes)
    started = time.monotonic()
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log_write,  # the program's stdout and stderr, and nothing else
            env={"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"},  # nothing of the oracle's
            cwd="/",
            start_new_session=True,
        )
    finally:
        os.close(log_write)
    reader.start()
    try:
        outcome, line = _watch(process, started, limits, cgroup)
        wall = time.monotonic() - started
        if line.startswith("fail "):
            raise ConfigError(f"the sandbox cannot start on this machine: {line[5:]}")
        code = _bwrap_exit_code(stage, reader)
        if outcome is Outcome.EXITED and code != 0 and cgroup.oom_killed():
            outcome = Outcome.OUT_OF_MEMORY
        outputs = _collect(process.pid, stage / "out", job.collect)
    finally:
        _end_stage(process)
    reader.join(timeout=5)
    usage = Usage(
        cpu_seconds=round(cgroup.cpu_seconds(), 3),
        peak_memory_mb=round(cgroup.peak_memory_bytes() / MIB, 1),
        wall_seconds=round(wall, 3),
    )
    return Run(outcome, code, reader.text(), usage, outputs)


def _watch(
    process: subprocess.Popen[bytes], started: float, limits: Limits, cgroup: RunCgroup
) -> tuple[Outcome, str]:
    """Wait for the stage's word ("done N" or "fail why"), killing the run at a limit."""
    assert process.stdout is not None
    outcome, deadline = Outcome.EXITED, None
    while True:
        ready, _, _ = select.select([process.stdout], [], [], POLL_SECONDS)
        if ready:
            line = process.stdout.readline().decode("utf-8", "replace").strip()
            if line.startswith(("done ", "fail ")) or not line:
                return outcome, line or "fail the stage ended without a word"
        now = time.monotonic()
        if deadline is None:
            if now - started > limits.wall_seconds:
                outcome = Outcome.WALL_TIMEOUT
            elif cgroup.cpu_seconds() > limits.cpu_seconds:
                outcome = Outcome.CPU_TIMEOUT
            if outcome is not Outcome.EXITED:
                cgroup.kill()
                deadline = now + 10
        elif now > deadline:
            raise ConfigError("the sandbox's stage did not finish after its program was killed")


def _bwrap_exit_code(stage: Path, reader: _LogReader) -> int:
    """bubblewrap's own account of the program's exit (a file the program cannot reach)."""
    status: dict[str, int] = {}
    with contextlib.suppress(OSError):
        for doc in (stage / "status.json").read_text().replace("}{", "}\n{").splitlines():
            with contextlib.suppress(ValueError):
                status.update(json.loads(doc))
    if "child-pid" not in status:  # the program never started: the log is bubblewrap's own
        reader.join(timeout=5)
        raise ConfigError(
            f"the sandbox cannot start on this machine: {safe_text(reader.text(), 300)}"
        )
    return int(status.get("exit-code", 128 + 9))  # no exit code: killed with bwrap itself


def _collect(stage_pid: int, out: Path, names: tuple[str, ...]) -> dict[str, bytes]:
    """Read the named /out files through the stage's view, never following a link."""
    outputs: dict[str, bytes] = {}
    try:
        folder = os.open(f"/proc/{stage_pid}/root{out}", os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise ConfigError(f"cannot read the sandbox's /out: {exc}") from exc
    try:
        for name in names:
            if "/" in name or name in ("", ".", ".."):
                raise ValueError(f"an output name is a plain file name, not {name!r}")
            flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
            try:
                fd = os.open(name, flags, dir_fd=folder)
            except OSError:
                continue  # missing, or a link: not an output
            with os.fdopen(fd, "rb") as handle:
                if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    outputs[name] = handle.read()
    finally:
        os.close(folder)
    return outputs


def _end_stage(process: subprocess.Popen[bytes]) -> None:
    """Let the stage go (it waits on stdin while /out is read), or end it."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, 9)
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
