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

from oracle.chain.phase_data import Progress
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.connection import open_platform, open_store
from oracle.ipfs.store import ContentStore
from oracle.keystore import list_keys, unlock
from oracle.settings import Settings, load_settings
from oracle.signer import open_sender, signer_choice
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
        return open_platform(self.settings)

    @functools.cached_property
    def sender(self) -> Sender:
        """The signing account, chosen by one rule (docs/decisions.md, "Which account signs"):
        --account on the command line, else COOP_ACCOUNT or COOP_PRIVATE_KEY, never both.
        Says on stderr which address signs and where it came from."""
        choice = signer_choice(self.settings, self.account_flag)
        s = self.settings
        password = None
        if choice.keystore is not None:
            password = (
                s.password.get_secret_value()
                if s.password is not None
                else click.prompt(f"Password for {choice.keystore}", hide_input=True)
            )
        sender = open_sender(self.platform.w3, s, choice, password)
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
        return open_store(self.settings)

    def emit(self, human: str, data: dict[str, Any]) -> None:
        click.echo(json.dumps(data, default=str) if self.as_json else human)


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
