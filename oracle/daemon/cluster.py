"""Oracle daemons as local child processes (`coop oracle run`), for tests and benchmarks.

Each `LocalOracle` has its own data dir, port and log file, and is stopped by its own pid:
`kill()` is a kill -9, `stop()` a SIGTERM (graceful), `start()` starts it again on the same
data dir and port. `metric()` reads a value from its /metrics.
"""

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from oracle.chain.anvil import free_port
from oracle.errors import ConfigError

ORACLE_RUN = (sys.executable, "-m", "oracle.cli", "oracle", "run")


@dataclass
class LocalOracle:
    name: str
    data_dir: Path
    env: dict[str, str]
    port: int
    command: tuple[str, ...] = ORACLE_RUN  # what runs the daemon (tests may run a faulty one)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    starts: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "oracle.log"

    def start(self) -> None:
        if self.running:
            raise ConfigError(f"{self.name} is running already")
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        with self.log_path.open("ab") as log:
            log.write(f"--- start {self.starts} ---\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                list(self.command),
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait_healthy(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.running:
                raise ConfigError(f"{self.name} exited; see {self.log_path}:\n{self.tail()}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise ConfigError(f"{self.name} not healthy within {timeout:.0f} s:\n{self.tail()}")

    def kill(self) -> None:
        """kill -9: no chance to clean up."""
        if self.process is not None and self.running:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self, timeout: float = 20.0) -> int | None:
        """SIGTERM, then SIGKILL if it has not ended within `timeout`; the exit status."""
        if self.process is None:
            return None
        if self.running:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        return self.process.returncode

    def metrics_text(self) -> str:
        return httpx.get(self.url + "/metrics", timeout=5).text

    def metric(self, name: str, **labels: str) -> float:
        """The sum of the samples named `name` whose labels include `labels` (0 if none)."""
        total = 0.0
        for family in text_string_to_metric_families(self.metrics_text()):
            for sample in family.samples:
                if sample.name == name and all(
                    sample.labels.get(k) == v for k, v in labels.items()
                ):
                    total += sample.value
        return total

    def tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def oracle_group(
    base_dir: Path,
    keys: list[str],
    common_env: dict[str, str],
    extra_env: dict[int, dict[str, str]] | None = None,
) -> list[LocalOracle]:
    """One LocalOracle per key, each listing the others as peers (not started yet)."""
    ports = [free_port() for _ in keys]
    oracles = []
    for index, (key, port) in enumerate(zip(keys, ports, strict=True)):
        name = f"oracle-{index + 1}"
        peers = ",".join(f"http://127.0.0.1:{p}" for p in ports if p != port)
        env = {
            **common_env,
            "COOP_DATA_DIR": str(base_dir / name),
            "COOP_PRIVATE_KEY": key,
            "COOP_PEERS": peers,
            "COOP_LISTEN_PORT": str(port),
            **(extra_env or {}).get(index, {}),
        }
        oracles.append(LocalOracle(name, base_dir / name, env, port))
    return oracles
