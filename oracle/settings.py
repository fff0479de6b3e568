"""One settings object for every command: defaults < config file (TOML) < COOP_* environment.

A pydantic model filled from a file and the environment, in a few lines (not
pydantic-settings: docs/decisions.md, "eth-brownie is an extra").
Secrets (passwords, keys) are SecretStr so they never appear in logs or reprs.
"""

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, model_validator

from oracle.errors import ConfigError

ENV_PREFIX = "COOP_"
DEFAULT_CONFIG_FILE = Path("coop.toml")
# The port of `coop up`'s anvil, the default RPC URL's: not 8545, where brownie's
# development network attaches to whatever listens and reverts its snapshots there.
LOCAL_CHAIN_PORT = 8555
DEPLOYMENT_FILE = "deployment.json"  # what `coop up` writes into its data dir
KEYSTORES = "keystores"


def default_data_dir() -> Path:
    """~/.coop: the same folder from any working directory, and the one `coop up` uses."""
    return Path.home() / ".coop"


class Settings(BaseModel):
    """Every knob, with the default a newcomer on a laptop wants."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The defaults find the platform `coop up` (make run) starts with its own defaults:
    # anvil on port 8555, everything else under ~/.coop (docs/decisions.md, "Where things are").
    rpc_url: str = f"http://127.0.0.1:{LOCAL_CHAIN_PORT}"
    data_dir: Path = Field(default_factory=default_data_dir)
    deployment: Path = Path()  # default DATA_DIR/deployment.json
    keystore_dir: Path = Path()  # default DATA_DIR/keystores
    account: str | None = None  # keystore name used to sign transactions
    password: SecretStr | None = None  # keystore password for scripts (else prompted)
    private_key: SecretStr | None = None  # raw key for throw-away dev chains only
    # Blocks to stay behind the head; None: 0 on a dev chain, 12 elsewhere (dev_chains.py).
    confirmations: int | None = Field(default=None, ge=0)
    poll_seconds: float = Field(default=1.0, gt=0)
    ipfs_backend: str = Field(default="embedded", pattern="^(embedded|kubo|gateway)$")
    kubo_api: str = "http://127.0.0.1:5001"
    gateways: tuple[str, ...] = ()
    # Seconds one kubo or gateway call may take; an online node asked for a CID nobody
    # serves keeps looking until then (each call is tried 4 times, docs/ipfs.md).
    ipfs_timeout_seconds: float = Field(default=30.0, gt=0)
    oracle_shared_key: SecretStr | None = None  # derives private-score salts
    peers: tuple[str, ...] = ()  # peer oracles' base URLs
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8700, ge=0, le=65535)
    api_port: int = Field(default=8000, ge=0, le=65535)
    oracle_urls: tuple[str, ...] = ()  # oracles the API asks why a submission is not scored
    challenges: tuple[int, ...] = ()  # served challenge ids; empty = all
    ipfs_dir: Path | None = None  # the embedded block store; default DATA_DIR/ipfs

    runtime_dir: Path | None = None  # built code-submission runtimes; default DATA_DIR/runtimes

    @model_validator(mode="before")
    @classmethod
    def _paths_under_data_dir(cls, values: Any) -> Any:
        """The deployment and the keystores default to files under the data dir."""
        if isinstance(values, dict):
            data_dir = Path(values.get("data_dir") or default_data_dir())
            values = {"deployment": data_dir / DEPLOYMENT_FILE,
                      "keystore_dir": data_dir / KEYSTORES, **values}  # fmt: skip
        return values

    @property
    def ipfs_path(self) -> Path:
        return self.ipfs_dir or self.data_dir / "ipfs"

    @property
    def runtime_path(self) -> Path:
        """Where runtimes are built, one venv per digest (several oracles may share it)."""
        return self.runtime_dir or self.data_dir / "runtimes"

    # The oracle daemon (`coop oracle run`, docs/operator.md):
    holdout_dir: Path | None = None  # the owner's holdouts/ folder (secrets + labels copies)
    failover_seconds: float = Field(default=10.0, gt=0)  # next poster takes over after this
    # The owner's turn to reveal a phase's holdout after its reveal end; then an oracle holding
    # the secret (COOP_HOLDOUT_DIR) reveals it (docs/decisions.md).
    holdout_grace_seconds: float = Field(default=86400.0, ge=0)
    fetch_attempts: int = Field(default=3, ge=1)  # tries to fetch an artifact before a status
    fetch_retry_seconds: float = Field(default=5.0, ge=0)  # first wait between tries (doubles)
    peer_timeout_seconds: float = Field(default=5.0, gt=0)
    # Code submissions run at once, each in its own sandbox with the spec's CPU and memory
    # limits: at most the cores and memory the operator gives the oracle (docs/operator.md).
    code_runs: int = Field(default=1, ge=1, le=64)


def _from_env(environ: dict[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, field in Settings.model_fields.items():
        raw = environ.get(ENV_PREFIX + name.upper())
        if raw is None:
            continue
        is_tuple = "tuple" in str(field.annotation)
        values[name] = tuple(p.strip() for p in raw.split(",") if p.strip()) if is_tuple else raw
    return values


def load_settings(
    config_file: Path | None = None,
    environ: dict[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Settings from the file (COOP_CONFIG or ./coop.toml if present), then env, then overrides."""
    env = dict(os.environ if environ is None else environ)
    path = config_file or Path(env.get(ENV_PREFIX + "CONFIG", DEFAULT_CONFIG_FILE))
    values: dict[str, Any] = {}
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text()))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    elif config_file is not None:
        raise ConfigError(f"config file {path} does not exist")
    values.update(_from_env(env))
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(
            f"invalid settings ({problems}); fix {path} or the COOP_* environment variables"
        ) from None
