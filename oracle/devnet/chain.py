"""The chain of a local platform: a fresh anvil (or a given node), the contracts deployed once.

A deployment file under the data dir is reused when the chain still has its contracts
(an anvil restarted from scratch does not), so `coop up` twice in a row on a live node
does not deploy twice. When the chain is new, what the data dir held for the previous one
(its index, the oracles' databases, holdout secrets, pending reveals) is moved to
`previous-chain/`, replacing the generation before: a fresh anvil reuses the same addresses,
so stale files would otherwise be taken for the new chain's, and `make run` after
`make run` would pile up superseded holdout files.
"""

import shutil
from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil, start_anvil
from oracle.chain.deployment import Deployment
from oracle.chain.holdout_secrets import HOLDOUTS, load_secret
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.errors import ConfigError

DEV_CHAIN_ID = 31337


@dataclass
class LocalChain:
    platform: Platform
    anvil: Anvil | None  # None when attached to a node someone else runs
    deployment_file: Path
    deployed_now: bool

    @property
    def url(self) -> str:
        return str(self.platform.w3.provider.endpoint_uri)  # type: ignore[attr-defined]

    def stop(self) -> None:
        if self.anvil is not None:
            self.anvil.stop()


def _still_deployed(w3: Web3, deployment: Deployment) -> bool:
    return (
        w3.eth.chain_id == deployment.chain_id
        and len(w3.eth.get_code(Web3.to_checksum_address(deployment.vault))) > 0
    )


def open_local_chain(data_dir: Path, rpc_url: str | None = None, block_time: float | None = 1.0,
                     port: int | None = None) -> LocalChain:  # fmt: skip
    """Starts anvil (on `port`, or a free one) unless `rpc_url` is given, and deploys unless
    a live deployment exists."""
    anvil = None
    if rpc_url is None:
        anvil = start_anvil(port=port, block_time=block_time)
        rpc_url = anvil.url
    try:
        w3 = Web3(Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": 30}))
        if not w3.is_connected():
            raise ConfigError(f"no Ethereum node answers at {rpc_url}; start one or unset it")
        if w3.eth.chain_id != DEV_CHAIN_ID:
            raise ConfigError(
                f"{rpc_url} is chain {w3.eth.chain_id}; the local platform uses anvil's "
                f"development keys and only runs on a development chain ({DEV_CHAIN_ID})"
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
        return LocalChain(Platform.connect(w3, deployment), anvil, deployment_file, deployed_now)
    except BaseException:
        if anvil is not None:
            anvil.stop()
        raise


PREVIOUS = "previous-chain"
# What belongs to one chain: the API's index, the oracles' folders, the deployment, and
# the dev chain's holdout secrets and pending reveals.
CHAIN_FILES = ("index.sqlite3*", "oracle-*", "deployment.json", "holdouts/31337-*",
               "pending/31337-*")  # fmt: skip


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


def travel(w3: Web3, seconds: int) -> None:
    """Moves a development chain's clock forward and mines a block at the new time."""
    w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
