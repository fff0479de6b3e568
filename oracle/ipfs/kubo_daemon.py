"""Start and stop a throw-away kubo daemon (tests, demos): private repo, loopback only.

`start_kubo` runs `ipfs init --profile test` in a fresh IPFS_PATH, lets the daemon pick
free 127.0.0.1 ports for the RPC API and the gateway, runs `ipfs daemon --offline` and
waits for "Daemon is ready". With `online=True` the node joins a private loopback network
instead: its swarm listens on a free 127.0.0.1 port, it has no bootstrap peers, no DHT,
no mDNS and no auto-configuration from the internet, so it exchanges blocks (bitswap)
only with the nodes it is told to `connect` to. `KuboDaemon.stop` ends exactly that
process, by its pid.
The binary comes from COOP_KUBO_BIN, else `.tools/bin/ipfs` in the repo, else PATH.
"""

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from oracle.errors import BackendUnavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = REPO_ROOT / ".tools" / "bin" / "ipfs"
_LISTENING = re.compile(r"^(RPC API|Gateway) server listening on /ip[46]/([^/]+)/tcp/(\d+)")


def find_kubo_binary() -> Path | None:
    """COOP_KUBO_BIN if set, else the repo's .tools/bin/ipfs, else `ipfs` on PATH."""
    configured = os.environ.get("COOP_KUBO_BIN")
    if configured:
        path = Path(configured)
        if not path.is_absolute():
            path = REPO_ROOT / path
        return path if path.is_file() else None
    if DEFAULT_BINARY.is_file():
        return DEFAULT_BINARY
    found = shutil.which("ipfs")
    return Path(found) if found else None


@dataclass
class KuboDaemon:
    """A running daemon started by `start_kubo`; `stop()` ends it."""

    binary: Path
    repo: Path
    api_url: str
    gateway_url: str
    process: "subprocess.Popen[bytes]"

    @property
    def pid(self) -> int:
        return self.process.pid

    def env(self) -> dict[str, str]:
        """Environment for running `ipfs` commands against this daemon's repo."""
        return {**os.environ, "IPFS_PATH": str(self.repo), "IPFS_TELEMETRY": "off"}

    def cli(self, *args: str, timeout: float = 60) -> str:
        """Run `ipfs <args>` against this daemon and return its stdout, stripped."""
        done = subprocess.run(
            [str(self.binary), *args],
            env=self.env(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise BackendUnavailable(f"ipfs {' '.join(args)} failed: {done.stderr.decode()}")
        return done.stdout.decode().strip()

    def swarm_address(self) -> str:
        """This node's loopback swarm multiaddr, with its peer id (/ip4/127.0.0.1/tcp/N/p2p/ID)."""
        identity = json.loads(self.cli("id"))
        loopback = [a for a in identity["Addresses"] or [] if a.startswith("/ip4/127.0.0.1/tcp/")]
        if not loopback:
            raise BackendUnavailable(f"kubo at {self.api_url} has no loopback swarm address")
        return str(loopback[0])

    def connect(self, other: "KuboDaemon") -> None:
        """`ipfs swarm connect` to `other` (both started online)."""
        self.cli("swarm", "connect", other.swarm_address())

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM the daemon (our own pid only), then SIGKILL if it does not exit in time."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)


def start_kubo(repo: Path, binary: Path | None = None, *, ready_timeout: float = 30,
               online: bool = False) -> KuboDaemon:  # fmt: skip
    """Initialise a repo in `repo` (an empty or missing dir) and start a daemon: offline,
    or on a private loopback network (`online`, see the module docstring)."""
    binary = binary or find_kubo_binary()
    if binary is None:
        raise BackendUnavailable(
            "kubo not found: build it (go install, see tools/kubo) into .tools/bin/ipfs, "
            "put `ipfs` on PATH or set COOP_KUBO_BIN"
        )
    repo.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "IPFS_PATH": str(repo), "IPFS_TELEMETRY": "off"}
    init = [str(binary), "init", "--profile", "test", "--empty-repo"]
    done = subprocess.run(init, env=env, capture_output=True, timeout=60, check=False)
    if done.returncode != 0:
        raise BackendUnavailable(f"ipfs init failed in {repo}: {done.stderr.decode()}")
    _listen_on_loopback(repo / "config", online)
    log_path = repo / "daemon.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(binary), "daemon", *(() if online else ("--offline",))],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        urls = _wait_until_ready(process, log_path, ready_timeout)
    except BaseException:
        process.kill()
        process.wait(10)
        raise
    return KuboDaemon(binary, repo, urls["RPC API"], urls["Gateway"], process)


def _listen_on_loopback(config_path: Path, online: bool) -> None:
    """API, gateway (and swarm when `online`) on 127.0.0.1 ports the daemon picks (free by
    construction); no bootstrap peers, no routing beyond the peers it is connected to."""
    config = json.loads(config_path.read_text())
    addresses = config.setdefault("Addresses", {})
    addresses["API"] = "/ip4/127.0.0.1/tcp/0"
    addresses["Gateway"] = "/ip4/127.0.0.1/tcp/0"
    addresses["Swarm"] = ["/ip4/127.0.0.1/tcp/0"] if online else []
    config["Bootstrap"] = []
    if online:
        config["Routing"] = {"Type": "none"}
        config["AutoConf"] = {"Enabled": False}
        config.setdefault("Discovery", {})["MDNS"] = {"Enabled": False}
    config_path.write_text(json.dumps(config, indent=2))


def _wait_until_ready(
    process: "subprocess.Popen[bytes]", log_path: Path, timeout: float
) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if "Daemon is ready" in text:
            urls = {}
            for line in text.splitlines():
                match = _LISTENING.match(line)
                if match:
                    urls[match.group(1)] = f"http://{match.group(2)}:{match.group(3)}"
            if {"RPC API", "Gateway"} <= urls.keys():
                return urls
            raise BackendUnavailable(f"kubo is ready but did not print its ports:\n{text}")
        if process.poll() is not None:
            raise BackendUnavailable(f"kubo daemon exited with {process.returncode}:\n{text}")
        time.sleep(0.05)
    raise BackendUnavailable(f"kubo daemon not ready after {timeout}s; log in {log_path}")
