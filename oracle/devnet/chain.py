"""The chain of a local platform: a fresh anvil or geth --dev (or a given node), the contracts
deployed once, and the dev chain's clock moved on (anvil) or waited for (any other node).

A deployment file under the data dir is reused when the chain still has its contracts
(an anvil restarted from scratch does not), so `coop up` twice in a row on a live node
does not deploy twice. When the chain is new, what the data dir held for the previous one
(its index, the oracles' databases, holdout secrets, pending reveals) is moved to
`previous-chain/`, replacing the generation before: a fresh dev chain reuses the same addresses,
so stale files would otherwise be taken for the new chain's, and `make run` after
`make run` would pile up superseded holdout files.
"""

import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.deployment import Deployment
from oracle.chain.dev_chains import DEV_CHAIN_IDS, is_anvil, is_dev_chain
from oracle.chain.geth import start_geth
from oracle.chain.holdout_secrets import HOLDOUTS, load_secret
from oracle.chain.local_node import LocalNode
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.errors import ConfigError

Client = Literal["anvil", "geth"]
CLIENTS: tuple[Client, ...] = ("anvil", "geth")


@dataclass
class LocalChain:
    platform: Platform
    node: LocalNode | None  # None when attached to a node someone else runs
    deployment_file: Path
    deployed_now: bool

    @property
    def client(self) -> str:
        """What runs the chain: "anvil", "geth", or "node" for one someone else runs."""
        return self.node.client if self.node is not None else "node"

    @property
    def url(self) -> str:
        return str(self.platform.w3.provider.endpoint_uri)  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self.node is not None:
            self.node.stop()


def _still_deployed(w3: Web3, deployment: Deployment) -> bool:
    return (
        w3.eth.chain_id == deployment.chain_id
        and len(w3.eth.get_code(Web3.to_checksum_address(deployment.vault))) > 0
    )


def start_node(client: Client, port: int | None = None, block_seconds: int = 1) -> LocalNode:
    """A fresh development chain of `client` with a block every `block_seconds`."""
    if client == "geth":
        return start_geth(port=port, block_period=block_seconds)
    return start_anvil(port=port, block_time=block_seconds)


def open_local_chain(data_dir: Path, rpc_url: str | None = None, port: int | None = None,
                     client: Client = "anvil") -> LocalChain:  # fmt: skip
    """Starts `client` (on `port`, or a free one; 1-second blocks) unless `rpc_url` is
    given, and deploys unless a live deployment exists."""
    node = None
    if rpc_url is None:
        node = start_node(client, port)
        rpc_url = node.url
    try:
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
        if not w3.is_connected():
            raise ConfigError(f"no Ethereum node answers at {rpc_url}; start one or unset it")
        if not is_dev_chain(w3.eth.chain_id):
            raise ConfigError(
                f"{rpc_url} is chain {w3.eth.chain_id}; the local platform uses anvil's "
                f"development keys and only runs on a development chain "
                f"({', '.join(map(str, sorted(DEV_CHAIN_IDS)))})"
            )
        deployment_file = data_dir / "deployment.json"
        deployed_now = False
        if deployment_file.is_file() and _still_deployed(w3, Deployment.load(deployment_file)):
            deployment = Deployment.load(deployment_file)
        else:
            if deployment_file.is_file():
                retire_previous_chain(data_dir)
            deployment = deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0]))
            deployment.save(deployment_file)
            deployed_now = True
        return LocalChain(Platform.connect(w3, deployment), node, deployment_file, deployed_now)
    except BaseException:
        if node is not None:
            node.stop()
        raise


PREVIOUS = "previous-chain"
# What belongs to one chain: the API's index, the oracles' folders, the deployment, and
# the dev chain's holdout secrets and pending reveals.
CHAIN_FILES = ("index.sqlite3*", "oracle-*", "deployment.json",
               *(f"{folder}/{chain}-*" for folder in ("holdouts", "pending")
                 for chain in sorted(DEV_CHAIN_IDS)))  # fmt: skip


def retire_previous_chain(data_dir: Path) -> Path:
    """Moves the previous dev chain's files to DATA_DIR/previous-chain/ (one generation),
    with the labels copies that no remaining holdout secret names."""
    target = data_dir / PREVIOUS
    shutil.rmtree(target, ignore_errors=True)
    moved = [path for pattern in CHAIN_FILES for path in sorted(data_dir.glob(pattern))]
    holdouts = data_dir / HOLDOUTS
    kept = {_labels_file(p) for p in holdouts.glob("*.json") if p not in moved}
    moved += [p for p in holdouts.glob("labels-*") if p.name not in kept]
    for path in moved:
        destination = target / path.relative_to(data_dir)
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.replace(destination)
    return target


def _labels_file(secret: Path) -> str:
    try:
        return load_secret(secret).labels_file
    except (OSError, ValueError, TypeError):
        return ""


def reach_chain_time(w3: Web3, timestamp: int, timeout: float = 600.0) -> None:
    """Returns once the chain has a block at `timestamp` or later. anvil's clock is moved
    forward (evm_increaseTime, evm_mine: a dev convenience); any other node (geth --dev,
    whose blocks carry the wall clock's time) is waited for in real time."""
    latest = int(w3.eth.get_block("latest")["timestamp"])
    if latest >= timestamp:
        return
    if is_anvil(w3):
        w3.provider.make_request("evm_increaseTime", [timestamp - latest])  # type: ignore[arg-type]
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        return
    deadline = time.monotonic() + timeout
    while int(w3.eth.get_block("latest")["timestamp"]) < timestamp:
        if time.monotonic() > deadline:
            raise ConfigError(f"the chain made no block at or after {timestamp} in {timeout} s")
        time.sleep(0.5)
