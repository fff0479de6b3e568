"""An owner's world for the CLI tests: a fresh platform on anvil, the diabetes example's
files on disk (public data and the secret labels), and `coop` run against them."""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.devnet.datasets import example_files
from oracle.ipfs.embedded import EmbeddedStore
from oracle.types import WAD

EXAMPLE_SPEC = REPO_ROOT / "examples" / "specs" / "diabetes-regression.json"
OWNER_KEY = ANVIL_KEYS[0]  # deployer of the platform, so it may mint the reward token
MINTED = 10_000 * WAD
COMMIT_SECONDS = 1000
REVEAL_SECONDS = 1000


def last_json(result: Result) -> Any:
    """The JSON object a `--json` command printed last (progress goes to stderr before)."""
    return json.loads(result.output.strip().splitlines()[-1])


@dataclass
class OwnerWorld:
    platform: Platform
    root: Path
    env: dict[str, str]
    files: dict[str, bytes]
    data: Path  # public files + labels.csv
    spec: Path

    @property
    def w3(self) -> Web3:
        return self.platform.w3

    @property
    def owner(self) -> Sender:
        return Sender.from_key(self.w3, OWNER_KEY)

    @property
    def arbiter(self) -> Sender:
        """anvil account 6: whom `coop challenge create` names arbiter on a dev chain."""
        return Sender.from_key(self.w3, ANVIL_KEYS[6])

    @property
    def data_dir(self) -> Path:
        return Path(self.env["COOP_DATA_DIR"])

    @property
    def store(self) -> EmbeddedStore:
        return EmbeddedStore(self.data_dir / "ipfs")

    def coop(self, *args: str, stdin: str | None = None, **env: str | None) -> Result:
        return CliRunner().invoke(cli, list(args), env={**self.env, **env}, input=stdin)

    def create(self, *extra: str, **env: str) -> dict[str, Any]:
        """`coop challenge create` with the example and short windows; its JSON output."""
        result = self.coop(
            "challenge", "create", str(self.spec), "--data", str(self.data),
            "--commit-for", str(COMMIT_SECONDS), "--reveal-for", str(REVEAL_SECONDS),
            "--dispute-window", "10m", "--json", *extra, **env,
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        created: dict[str, Any] = last_json(result)
        return created

    def travel(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def balance(self, address: str) -> int:
        return int(self.platform.token.functions.balanceOf(address).call())


def make_world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    owner = Sender.from_key(w3, OWNER_KEY)
    deployment = deploy_platform(owner)
    deployment.save(tmp_path / "deployment.json")
    platform = Platform.connect(w3, deployment)
    owner.transact(platform.token.functions.mint(owner.address, MINTED))
    files = example_files("diabetes-regression")
    data = tmp_path / "diabetes"
    data.mkdir()
    for name, content in files.items():
        (data / name).write_bytes(content)
    spec = tmp_path / "spec.json"
    shutil.copy(EXAMPLE_SPEC, spec)
    env = {
        "COOP_RPC_URL": anvil.url,
        "COOP_DEPLOYMENT": str(tmp_path / "deployment.json"),
        "COOP_DATA_DIR": str(tmp_path / "owner"),
        "COOP_KEYSTORE_DIR": str(tmp_path / "keys"),
        "COOP_PRIVATE_KEY": OWNER_KEY,
        "COOP_CONFIG": str(tmp_path / "absent.toml"),
    }
    return OwnerWorld(platform, tmp_path, env, files, data, spec)
