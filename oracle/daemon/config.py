"""The daemon's configuration, taken from the one Settings object (COOP_* env / coop.toml).

The signing key comes from an encrypted keystore (COOP_ACCOUNT, password from
COOP_PASSWORD or a hidden prompt) or, on throw-away dev chains, COOP_PRIVATE_KEY. It is
kept out of every repr and log line.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account

from oracle.errors import ConfigError
from oracle.keystore import unlock
from oracle.settings import Settings

DB_FILE = "oracle.sqlite"


@dataclass(frozen=True)
class DaemonConfig:
    rpc_url: str
    deployment: Path
    data_dir: Path
    private_key: str = field(repr=False)
    shared_key: bytes = field(repr=False)
    peers: tuple[str, ...]
    listen_host: str
    listen_port: int
    poll_seconds: float
    confirmations: int | None  # None: the chain's default (oracle/chain/dev_chains.py)
    failover_seconds: float
    fetch_attempts: int
    fetch_retry_seconds: float
    peer_timeout_seconds: float
    holdout_dir: Path | None
    challenges: tuple[int, ...]
    runtime_dir: Path
    holdout_grace_seconds: float = 86400.0
    code_runs: int = 1  # code submissions run at once

    @property
    def address(self) -> str:
        return str(Account.from_key(self.private_key).address)

    @property
    def db_path(self) -> Path:
        return self.data_dir / DB_FILE


def signing_key(settings: Settings, prompt: Callable[[str], str]) -> str:
    """The oracle's private key: a keystore unlocked with its password, or the dev key."""
    if settings.private_key is not None:
        return settings.private_key.get_secret_value()
    if settings.account is None:
        raise ConfigError(
            "the oracle has no key: set COOP_ACCOUNT to a keystore name (`coop account new "
            "NAME` makes one; password in COOP_PASSWORD or typed at the prompt), or "
            "COOP_PRIVATE_KEY on a throw-away dev chain"
        )
    password = (
        settings.password.get_secret_value()
        if settings.password is not None
        else prompt(f"Password for {settings.account}")
    )
    return "0x" + bytes(unlock(settings.keystore_dir, settings.account, password).key).hex()


def daemon_config(settings: Settings, private_key: str) -> DaemonConfig:
    if settings.oracle_shared_key is None or not settings.oracle_shared_key.get_secret_value():
        raise ConfigError(
            "COOP_ORACLE_SHARED_KEY is not set: the oracles of a challenge share one secret "
            "key that derives the private-score salts; ask the other operators for it"
        )
    return DaemonConfig(
        rpc_url=settings.rpc_url,
        deployment=settings.deployment,
        data_dir=settings.data_dir,
        private_key=private_key,
        shared_key=settings.oracle_shared_key.get_secret_value().encode(),
        peers=settings.peers,
        listen_host=settings.listen_host,
        listen_port=settings.listen_port,
        poll_seconds=settings.poll_seconds,
        confirmations=settings.confirmations,
        failover_seconds=settings.failover_seconds,
        fetch_attempts=settings.fetch_attempts,
        fetch_retry_seconds=settings.fetch_retry_seconds,
        peer_timeout_seconds=settings.peer_timeout_seconds,
        holdout_dir=settings.holdout_dir,
        holdout_grace_seconds=settings.holdout_grace_seconds,
        challenges=settings.challenges,
        runtime_dir=settings.runtime_path,
        code_runs=settings.code_runs,
    )
