"""What chain commands share: options, settings, the platform and the signing account."""

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from eth_account import Account
from web3 import Web3

from oracle.chain.deployment import Deployment
from oracle.chain.phase_data import Progress
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.errors import ConfigError
from oracle.ipfs.fallback import open_content_store
from oracle.ipfs.store import ContentStore
from oracle.ipfs.transport import RetryPolicy
from oracle.keystore import list_keys, unlock
from oracle.settings import Settings, load_settings
from oracle.types import Address, wad_text

F = TypeVar("F", bound=Callable[..., Any])


def chain_options(fn: F) -> F:
    """Adds --config, --rpc-url, --deployment, --account and --json to a command."""
    options = [
        click.option("--config", type=click.Path(path_type=Path), help="TOML settings file."),
        click.option("--rpc-url", help="JSON-RPC endpoint [env COOP_RPC_URL]."),
        click.option(
            "--deployment",
            type=click.Path(path_type=Path),
            help="Deployment JSON [env COOP_DEPLOYMENT].",
        ),  # fmt: skip
        click.option(
            "--account",
            help="Keystore to sign with [env COOP_ACCOUNT]; on the command line it wins over "
            'COOP_PRIVATE_KEY (docs/participant.md, "Which account signs").',
        ),
        click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


@dataclass
class ChainContext:
    settings: Settings
    as_json: bool
    account_flag: str | None = None  # --account given on the command line

    @classmethod
    def from_options(cls, config: Path | None, rpc_url: str | None, deployment: Path | None,
                     account: str | None, as_json: bool) -> "ChainContext":  # fmt: skip
        settings = load_settings(config, rpc_url=rpc_url, deployment=deployment, account=account)
        return cls(settings, as_json, account)

    @functools.cached_property
    def platform(self) -> Platform:
        w3 = Web3(Web3.HTTPProvider(self.settings.rpc_url, request_kwargs={"timeout": 30}))
        if not w3.is_connected():
            raise ConfigError(
                f"no Ethereum node answers at {self.settings.rpc_url}; start one "
                "(`make run` starts anvil) or pass --rpc-url / set COOP_RPC_URL"
            )
        return Platform.connect(w3, Deployment.load(self.settings.deployment))

    @functools.cached_property
    def sender(self) -> Sender:
        """The signing account, chosen by one rule (docs/decisions.md, "Which account signs"):
        --account on the command line, else COOP_ACCOUNT or COOP_PRIVATE_KEY, never both.
        Says on stderr which address signs and where it came from."""
        choice = signer_choice(self.settings, self.account_flag)
        w3 = self.platform.w3
        if choice.keystore is None:
            sender = Sender.from_key(w3, choice.private_key)
        else:
            s = self.settings
            password = (
                s.password.get_secret_value()
                if s.password is not None
                else click.prompt(f"Password for {choice.keystore}", hide_input=True)
            )
            local = unlock(s.keystore_dir, choice.keystore, password)
            sender = Sender(w3, Address(local.address), local.key.hex())
        click.echo(f"… signing as {sender.address} ({choice.origin})", err=True)
        return sender

    def own_address(self) -> Address:
        """The address the signing account would have, without unlocking a keystore (its
        address is stored in clear): for commands that read on your behalf."""
        choice = signer_choice(self.settings, self.account_flag)
        if choice.keystore is None:
            return Address(Account.from_key(choice.private_key).address)
        known = {e.name: e.address for e in list_keys(self.settings.keystore_dir)}
        if choice.keystore not in known:
            unlock(self.settings.keystore_dir, choice.keystore, "")  # says what is missing
        return Address(known[choice.keystore])

    @functools.cached_property
    def content_store(self) -> ContentStore:
        """The IPFS stack from settings: the embedded store, then kubo / gateways if set."""
        s = self.settings
        kubo = s.kubo_api if s.ipfs_backend == "kubo" else None
        policy = RetryPolicy(timeout=s.ipfs_timeout_seconds)
        return open_content_store(s.ipfs_path, kubo_api=kubo, gateways=s.gateways, policy=policy)

    def emit(self, human: str, data: dict[str, Any]) -> None:
        click.echo(json.dumps(data, default=str) if self.as_json else human)


@dataclass(frozen=True)
class SignerChoice:
    keystore: str | None  # a keystore name, or None for the raw key
    private_key: str  # the raw key when keystore is None
    origin: str  # where the choice came from, said to the user


def signer_choice(settings: Settings, account_flag: str | None) -> SignerChoice:
    """--account on the command line wins; otherwise exactly one of COOP_ACCOUNT (or
    `account` in coop.toml) and COOP_PRIVATE_KEY (or `private_key`) may be set."""
    key = settings.private_key.get_secret_value() if settings.private_key else None
    ignored = "; COOP_PRIVATE_KEY is ignored" if key else ""
    if account_flag is not None:
        where = settings.keystore_dir / f"{account_flag}.json"
        return SignerChoice(account_flag, "", f"keystore {where}, from --account{ignored}")
    if settings.account is not None and key is not None:
        raise ConfigError(
            f"both a keystore account ({settings.account}, from COOP_ACCOUNT or coop.toml) and "
            "COOP_PRIVATE_KEY are set: pass --account NAME to sign with the keystore, or unset "
            'one of them (docs/participant.md, "Which account signs")'
        )
    if settings.account is not None:
        where = settings.keystore_dir / f"{settings.account}.json"
        return SignerChoice(settings.account, "", f"keystore {where}, from COOP_ACCOUNT")
    if key is not None:
        return SignerChoice(None, key, "the raw key in COOP_PRIVATE_KEY")
    raise ConfigError(
        "no account to sign with: pass --account NAME (see `coop account list`) "
        "or set COOP_ACCOUNT; create one with `coop account new NAME`"
    )


def password_for_new_key() -> str:
    from_env = os.environ.get("COOP_PASSWORD")
    if from_env:
        return from_env
    return str(click.prompt("New password", hide_input=True, confirmation_prompt=True))


def tokens(amount: int) -> str:
    """Base units (18 decimals) as whole tokens, trailing zeros dropped."""
    return wad_text(amount)


def progress(ctx: ChainContext) -> Progress:
    """Where a command says what it is doing: stderr, one line a step (silent with --json)."""
    if ctx.as_json:
        return lambda step: None
    return lambda step: click.echo(f"… {step}", err=True)
