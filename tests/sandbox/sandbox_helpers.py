"""Shared by the sandbox tests: running a program, the secrets planted, the host's state."""

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from oracle.sandbox import Job, Limits, Run, run_job
from oracle.sandbox.command import SANDBOX_UID

SECRETS = {
    "COOP_PASSWORD": "hunter2-sandbox-test-password",
    "COOP_ORACLE_SHARED_KEY": "shared-key-0123456789abcdef",
    "COOP_PRIVATE_KEY": "0x" + "ab" * 32,
}
SYSCTLS = ("kernel/core_pattern", "kernel/domainname", "vm/overcommit_ratio")
LIMITS = Limits(cpu_seconds=2, memory_mb=200, wall_seconds=20, processes=32)


def run_python(program: str, limits: Limits = LIMITS, argv_extra: tuple[str, ...] = ()) -> Run:
    """`program` run as /in/main.py with this interpreter, in the sandbox."""
    argv = (sys.executable, "-I", "/in/main.py", *argv_extra)
    return run_job(Job(argv=argv, files={"/in/main.py": program.encode()}), limits)


@dataclass(frozen=True)
class HostState:
    sysctls: dict[str, str]
    sandbox_pids: frozenset[int]
    key_users: str
    stage_dirs: frozenset[str]
    sandbox_mounts: int
    run_cgroups: frozenset[str]

    @classmethod
    def now(cls) -> "HostState":
        return cls(
            sysctls={name: Path("/proc/sys", name).read_text() for name in SYSCTLS},
            sandbox_pids=frozenset(_pids_of(SANDBOX_UID)),
            key_users=_key_users(),
            stage_dirs=frozenset(p.name for p in Path("/tmp").glob("coop-sandbox-*")),
            sandbox_mounts=Path("/proc/self/mountinfo").read_text().count("coop-"),
            run_cgroups=frozenset(
                str(path)
                for pattern in ("coop-sandbox/run-*", "*/coop-sandbox/run-*")
                for path in Path("/sys/fs/cgroup").glob(pattern)
                if path.name.startswith(f"run-{os.getpid()}-")
            ),
        )


def _pids_of(uid: int) -> list[int]:
    """Live processes of `uid` (a zombie is dead: bubblewrap's last ones wait for init)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid == uid and " Z " not in (entry / "stat").read_text():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _key_users() -> str:
    try:
        lines = Path("/proc/key-users").read_text().splitlines()
    except OSError:
        return ""
    return "\n".join(line for line in lines if line.split(":")[0].strip() == str(SANDBOX_UID))
