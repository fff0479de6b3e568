"""One control group per sandboxed run: whole-run memory, process and CPU accounting, one kill.

Works on a pure cgroup v2 host (memory, pids in one hierarchy) and on a hybrid host whose
memory, pids and cpuacct controllers are still cgroup v1 (the unified v2 tree then only
gives `cgroup.kill`). Every process of the run joins the group before the sandbox starts,
so limits hold across processes and `kill()` ends everything the run started, whatever it
did to its own process tree. Creating groups needs root, or a delegated v2 group named by
COOP_SANDBOX_CGROUP (docs/operator.md).
"""

import contextlib
import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from oracle.errors import ConfigError
from oracle.sandbox.limits import Limits

PARENT_NAME = "coop-sandbox"
_counter = itertools.count()


@dataclass(frozen=True)
class _Mounts:
    unified: Path | None  # the cgroup2 mount
    v1: dict[str, Path]  # controller -> its cgroup v1 mount (hybrid hosts)

    @classmethod
    def read(cls) -> "_Mounts":
        unified, v1 = None, {}
        for line in Path("/proc/self/mounts").read_text().splitlines():
            _, where, kind, options, *_ = line.split()
            if kind == "cgroup2":
                unified = Path(where)
            elif kind == "cgroup":
                for option in options.split(","):
                    if option in ("memory", "pids", "cpuacct"):
                        v1[option] = Path(where)
        return cls(unified, v1)


def _write(path: Path, value: str) -> None:
    path.write_text(value)


def _read_int(path: Path, key: str | None = None) -> int:
    """A plain number file, or the value of `key` in a flat-keyed file (cpu.stat, memory.events)."""
    try:
        text = path.read_text()
    except OSError:
        return 0
    if key is None:
        return int(text.split()[0]) if text.strip() and text.split()[0].isdigit() else 0
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name == key:
            return int(value)
    return 0


class RunCgroup:
    """The control group of one run: limits set at creation, usage read, everything killed."""

    def __init__(self, limits: Limits) -> None:
        mounts = _Mounts.read()
        delegated = os.environ.get("COOP_SANDBOX_CGROUP")
        name = f"run-{os.getpid()}-{next(_counter)}"
        self._dirs: list[Path] = []
        self._v2: Path | None = None  # the v2 group (kill; memory/pids too on a pure v2 host)
        self._memory_v1: Path | None = None
        self._pids_v1: Path | None = None
        self._cpu_v1: Path | None = None
        try:
            if delegated:
                self._v2 = self._make(Path(delegated), name, v2=True)
            elif mounts.unified is not None:
                _enable_controllers(mounts.unified)
                self._v2 = self._make(mounts.unified / PARENT_NAME, name, v2=True)
            pure_v2 = self._v2 is not None and (self._v2 / "memory.max").exists()
            if not pure_v2:
                for controller in ("memory", "pids", "cpuacct"):
                    if controller not in mounts.v1:
                        raise ConfigError(
                            f"the sandbox needs the {controller} cgroup controller (cgroup v2, "
                            "or v1 on a hybrid host); docs/operator.md says what the host needs"
                        )
                self._memory_v1 = self._make(mounts.v1["memory"] / PARENT_NAME, name)
                self._pids_v1 = self._make(mounts.v1["pids"] / PARENT_NAME, name)
                self._cpu_v1 = self._make(mounts.v1["cpuacct"] / PARENT_NAME, name)
            self._set_limits(limits)
        except OSError as exc:
            self.remove()
            raise ConfigError(
                f"cannot create the sandbox's control group ({exc.strerror}: {exc.filename}): "
                "run the oracle as root, or set COOP_SANDBOX_CGROUP to a cgroup v2 folder "
                "delegated to this user (docs/operator.md)"
            ) from exc

    def _make(self, parent: Path, name: str, v2: bool = False) -> Path:
        if not parent.is_dir():
            parent.mkdir()
        if v2:
            _enable_controllers(parent)
        _remove_stale(parent)
        path = parent / name
        path.mkdir()
        self._dirs.append(path)
        return path

    def _set_limits(self, limits: Limits) -> None:
        memory, tasks = str(limits.memory_bytes), str(limits.processes)
        if self._memory_v1 is None:
            assert self._v2 is not None
            _write(self._v2 / "memory.max", memory)
            with contextlib.suppress(FileNotFoundError):  # no swap accounting: no swap to use
                _write(self._v2 / "memory.swap.max", "0")
            _write(self._v2 / "pids.max", tasks)
            return
        _write(self._memory_v1 / "memory.limit_in_bytes", memory)
        with contextlib.suppress(FileNotFoundError):  # memory + swap: forbids swapping
            _write(self._memory_v1 / "memory.memsw.limit_in_bytes", memory)
        assert self._pids_v1 is not None
        _write(self._pids_v1 / "pids.max", tasks)

    @property
    def procs_files(self) -> list[Path]:
        """Each hierarchy's `cgroup.procs`: a process writes its pid to all of them to join."""
        return [path / "cgroup.procs" for path in self._dirs]

    def cpu_seconds(self) -> float:
        if self._cpu_v1 is not None:
            return _read_int(self._cpu_v1 / "cpuacct.usage") / 1e9
        assert self._v2 is not None
        return _read_int(self._v2 / "cpu.stat", "usage_usec") / 1e6

    def oom_killed(self) -> bool:
        if self._memory_v1 is not None:
            events = self._memory_v1 / "memory.oom_control"
            return _read_int(events, "oom_kill") > 0
        assert self._v2 is not None
        return _read_int(self._v2 / "memory.events", "oom_kill") > 0

    def peak_memory_bytes(self) -> int:
        if self._memory_v1 is not None:
            return _read_int(self._memory_v1 / "memory.max_usage_in_bytes")
        assert self._v2 is not None
        return _read_int(self._v2 / "memory.peak")

    def members(self) -> list[int]:
        pids: set[int] = set()
        for procs in self.procs_files:
            with contextlib.suppress(OSError):
                pids.update(int(p) for p in procs.read_text().split())
        return sorted(pids)

    def kill(self) -> None:
        """SIGKILL every process of the run and wait until none is left (at most 5 s)."""
        if self._v2 is not None:
            with contextlib.suppress(OSError):
                _write(self._v2 / "cgroup.kill", "1")
        deadline = time.monotonic() + 5
        while (left := self.members()) and time.monotonic() < deadline:
            for pid in left:  # no cgroup.kill (a v1-only host), or a process still exiting
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)

    def remove(self) -> None:
        for path in reversed(self._dirs):
            with contextlib.suppress(OSError):
                path.rmdir()
        self._dirs = []


def _enable_controllers(parent: Path) -> None:
    """Let the run groups below `parent` have memory and pids limits (pure cgroup v2)."""
    available = (parent / "cgroup.controllers").read_text().split()
    wanted = [c for c in ("memory", "pids", "cpu") if c in available]
    enabled = (parent / "cgroup.subtree_control").read_text().split()
    missing = [c for c in wanted if c not in enabled]
    if missing:
        with contextlib.suppress(OSError):  # a hybrid host's v2 tree has none of them
            _write(parent / "cgroup.subtree_control", " ".join(f"+{c}" for c in missing))


def _remove_stale(parent: Path) -> None:
    """Groups of runs whose oracle died before cleaning up (empty groups are removable)."""
    for child in parent.glob("run-*"):
        pid = child.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            with contextlib.suppress(OSError):
                child.rmdir()
