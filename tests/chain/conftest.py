"""Fixtures for tests against a real anvil chain with the real compiled contracts."""

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.deployment import Deployment
from oracle.chain.platform import Platform


def run_brownie(
    anvil: Anvil, tmp_path: Path, *args: str, cwd: Path = REPO_ROOT, **env_vars: str
) -> subprocess.CompletedProcess[str]:
    """Runs `brownie run ARGS` in `cwd` against `anvil`, as a challenge owner would.

    brownie reads its networks from ~/.brownie; a private HOME points its development
    network at this anvil's port without touching the user's own brownie settings.
    """
    home = tmp_path / "home"
    data = home / ".brownie"
    if not (data / "network-config.yaml").exists():
        data.mkdir(parents=True)
        import brownie

        defaults = Path(brownie.__file__).parent / "data" / "network-config.yaml"
        networks = yaml.safe_load(defaults.read_text())
        for network in networks["development"]:
            if network["id"] == "development":
                network["cmd_settings"]["port"] = anvil.port
        (data / "network-config.yaml").write_text(yaml.safe_dump(networks))
    env = dict(os.environ, HOME=str(home), **env_vars)
    brownie_bin = Path(sys.executable).parent / "brownie"
    return subprocess.run(
        [str(brownie_bin), "run", *args, "--network", "development"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def brownie_deploy(anvil: Anvil, tmp_path: Path) -> Deployment:
    deployment_file = tmp_path / "deployment.json"
    result = run_brownie(
        anvil, tmp_path, "scripts/deploy.py", "main", str(deployment_file),
        COOP_DEPLOYER_KEY=ANVIL_KEYS[0],
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Deployed Coopetition on chain 31337" in result.stdout
    return Deployment.load(deployment_file)


@pytest.fixture
def brownie_run(anvil: Anvil, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """`brownie_run(*args, cwd=..., **env)` runs a brownie script against this test's anvil."""

    def run(*args: str, cwd: Path = REPO_ROOT, **env_vars: str) -> subprocess.CompletedProcess[str]:
        return run_brownie(anvil, tmp_path, *args, cwd=cwd, **env_vars)

    return run


@pytest.fixture
def platform(anvil: Anvil, tmp_path: Path) -> Platform:
    deployment = brownie_deploy(anvil, tmp_path)
    return Platform.connect(Web3(Web3.HTTPProvider(anvil.url)), deployment)
