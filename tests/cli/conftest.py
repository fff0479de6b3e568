"""Fixtures for CLI tests: a real anvil chain with the platform deployed and a challenge open."""

from pathlib import Path

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from tests.chain.chain_helpers import dev_challenge


@pytest.fixture
def deployed(anvil: Anvil, tmp_path: Path) -> tuple[Platform, Path]:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    deployment = deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0]))
    path = tmp_path / "deployment.json"
    deployment.save(path)
    platform = Platform.connect(w3, deployment)
    dev_challenge(platform, 1000, 2000)
    return platform, path


@pytest.fixture
def cli_env(anvil: Anvil, deployed: tuple[Platform, Path], tmp_path: Path) -> dict[str, str]:
    _, deployment = deployed
    return {
        "COOP_RPC_URL": anvil.url,
        "COOP_DEPLOYMENT": str(deployment),
        "COOP_DATA_DIR": str(tmp_path / "data"),
        "COOP_KEYSTORE_DIR": str(tmp_path / "keys"),
        "COOP_PASSWORD": "correct horse",
        "COOP_CONFIG": str(tmp_path / "absent.toml"),
    }
