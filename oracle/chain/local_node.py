"""An Ethereum node process this program started on a loopback port (anvil or geth):
free ports, waiting until it answers JSON-RPC, and stopping exactly that process."""

import socket
import subprocess
import time
from dataclasses import dataclass, field

import httpx

from oracle.errors import ConfigError


def port_is_free(port: int) -> bool:
    """Whether nothing listens on 127.0.0.1:`port` (so a node may take it)."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LocalNode:
    """A node process this program started; `stop()` ends exactly that process."""

    port: int
    process: subprocess.Popen[bytes] = field(repr=False)

    client = "node"  # what `coop up` calls it: "anvil", "geth"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def startup_error(self) -> str:
        """What the node said before it exited (its stderr)."""
        return self.process.stderr.read().decode().strip() if self.process.stderr else ""

    def wait_until_answering(self, timeout: float = 30.0) -> None:
        """Returns once the node answers `eth_chainId`; stops it and raises ConfigError if it
        exits or stays silent for `timeout` seconds."""
        deadline = time.monotonic() + timeout
        body = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.startup_error()
                raise ConfigError(f"{self.client} exited at start (port {self.port}): {err}")
            try:
                httpx.post(self.url, json=body, timeout=1).raise_for_status()
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.stop()
        raise ConfigError(f"{self.client} did not answer on {self.url} within {timeout:.0f} s")
