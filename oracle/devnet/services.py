"""The services of a local platform, as child processes: the API (with the web app and the
IPFS gateway) and three oracles that reach quorum 2.

The processes share one embedded block store (DATA_DIR/ipfs): participants add files
to it, the oracles read and verify every block against its CID, the oracles' reports land
in it and the API serves it as a verifiable gateway (/ipfs/CID) to everyone else.
"""

import secrets
import sys
from dataclasses import dataclass
from pathlib import Path

from oracle.chain.anvil import free_port
from oracle.daemon.cluster import LocalOracle, oracle_group
from oracle.devnet.processes import ProcessGroup
from oracle.settings import load_settings

COOP = [sys.executable, "-m", "oracle.cli"]


@dataclass(frozen=True)
class Service:
    name: str
    url: str


def start_api(group: ProcessGroup, data_dir: Path, rpc_url: str, deployment: Path,
              port: int | None = None, oracle_urls: tuple[str, ...] = ()) -> Service:  # fmt: skip
    port = port or free_port()
    env = {
        "COOP_RPC_URL": rpc_url,
        "COOP_DEPLOYMENT": str(deployment),
        "COOP_DATA_DIR": str(data_dir),
        "COOP_API_PORT": str(port),
        "COOP_ORACLE_URLS": ",".join(oracle_urls),
    }
    child = group.start("api", [*COOP, "api", "serve", "--port", str(port)], env)
    url = f"http://127.0.0.1:{port}"
    group.wait_http(child, f"{url}/v1/challenges")
    return Service("api", url)


def runtime_dir(data_dir: Path) -> Path:
    """Where the platform's oracles (and the demo's audit) build code runtimes: one build
    for all of them; COOP_RUNTIME_DIR, if set, is reused."""
    return load_settings().runtime_dir or data_dir / "runtimes"


def plan_oracles(
    data_dir: Path, rpc_url: str, deployment: Path, keys: tuple[str, ...], holdouts: Path,
) -> list[LocalOracle]:  # fmt: skip
    """One `coop oracle run` per key, not started yet; they share a key for private-score
    salts, and each has its port (so the API can be told where they answer)."""
    common = {
        "COOP_RPC_URL": rpc_url,
        "COOP_DEPLOYMENT": str(deployment),
        "COOP_ORACLE_SHARED_KEY": secrets.token_hex(32),
        "COOP_IPFS_DIR": str(data_dir / "ipfs"),
        "COOP_HOLDOUT_DIR": str(holdouts),
        "COOP_POLL_SECONDS": "0.5",
        "COOP_RUNTIME_DIR": str(runtime_dir(data_dir)),
    }
    return oracle_group(data_dir, list(keys), common)


def start_oracles(oracles: list[LocalOracle]) -> list[LocalOracle]:
    """Starts the oracles and waits until each answers /healthz (all stopped on failure)."""
    try:
        for oracle in oracles:
            oracle.start()
        for oracle in oracles:
            oracle.wait_healthy()
    except BaseException:
        for oracle in oracles:
            oracle.stop()
        raise
    return oracles
