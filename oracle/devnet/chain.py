"""The chain of a local platform: a fresh anvil (or a given node), the contracts deployed once.

A deployment file under the data dir is reused when the chain still has its contracts
(an anvil restarted from scratch does not), so `coop up` twice in a row on a live node
does not deploy twice.
"""

from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil, start_anvil
from oracle.chain.deployment import Deployment
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


def open_local_chain(data_dir: Path, rpc_url: str | None = None,
                     block_time: float | None = 1.0) -> LocalChain:  # fmt: skip
    """Starts anvil unless `rpc_url` is given, and deploys unless a live deployment exists."""
    anvil = None
    if rpc_url is None:
        anvil = start_anvil(block_time=block_time)
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
            deployment = deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0]))
            deployment.save(deployment_file)
            deployed_now = True
        return LocalChain(Platform.connect(w3, deployment), anvil, deployment_file, deployed_now)
    except BaseException:
        if anvil is not None:
            anvil.stop()
        raise


def travel(w3: Web3, seconds: int) -> None:
    """Moves a development chain's clock forward and mines a block at the new time."""
    w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
