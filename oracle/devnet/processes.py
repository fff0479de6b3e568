"""Child processes that `coop up` and `coop demo` start, each stopped by its own pid.

Every child gets a log file; `wait_http` blocks until a child answers on a URL (or says
why it could not start, with the end of its log); `restart` starts a stopped child again
with the same command, appending to its log. `stop_all` ends them in reverse order:
SIGTERM, then SIGKILL after a grace period, so nothing is left running.
"""

import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from oracle.errors import ConfigError

GRACE_SECONDS = 10.0


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    argv: list[str]
    env: dict[str, str]

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return ""


@dataclass
class ProcessGroup:
    log_dir: Path
    children: list[Child] = field(default_factory=list)

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> Child:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_dir / f"{name}.log"
        log.write_bytes(b"")
        child = Child(name, _spawn(argv, env or {}, log), log, argv, env or {})
        self.children.append(child)
        return child

    def restart(self, child: Child) -> None:
        """Starts a child that stopped again, with the same command and environment."""
        if child.process.poll() is None:
            raise ConfigError(f"{child.name} is running already")
        child.process = _spawn(child.argv, child.env, child.log)

    def wait_http(self, child: Child, url: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if child.process.poll() is not None:
                raise ConfigError(
                    f"{child.name} exited with status {child.process.returncode} while "
                    f"starting; the end of {child.log}:\n{child.tail()}"
                )
            try:
                if httpx.get(url, timeout=1).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise ConfigError(f"{child.name} did not answer on {url} within {timeout:.0f} s; "
                          f"see {child.log}")  # fmt: skip

    def stop_all(self) -> None:
        for child in reversed(self.children):
            if child.process.poll() is None:
                child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in reversed(self.children):
            remaining = max(0.1, deadline - time.monotonic())
            try:
                child.process.wait(timeout=remaining)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        self.children.clear()


def _spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(
            argv,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env={**os.environ, **env},
            start_new_session=True,  # Ctrl-C reaches us only; we stop the children
        )
