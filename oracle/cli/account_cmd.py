"""`coop account new|import|list|fund`: encrypted keystores for participants, owners and
oracles, and funding one on a development chain."""

import json
import sys
from decimal import Decimal

import click

from oracle.cli.context import ChainContext, chain_options, password_for_new_key
from oracle.errors import ConfigError
from oracle.keystore import KeystoreEntry, list_keys, new_key, save_key
from oracle.settings import load_settings
from oracle.types import WAD, address_problem

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.group("account")
def account() -> None:
    """Manage encrypted keystores (scrypt; the password is asked hidden or read from
    COOP_PASSWORD in scripts). Files live in COOP_KEYSTORE_DIR (default
    COOP_DATA_DIR/keystores, i.e. ~/.coop/keystores), the same from any folder.

    \b
    Examples:
      $ coop account new alice
      $ coop account import oracle1        # paste the key at the hidden prompt
      $ coop account list --json
      $ coop account fund alice            # dev chain: ETH for gas and tokens
    """


def _emit(entry: KeystoreEntry, verb: str, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"name": entry.name, "address": entry.address,
                               "keystore": str(entry.path)}))  # fmt: skip
    else:
        click.echo(f"{verb} account {entry.name}: {entry.address}\nKeystore: {entry.path}\n"
                   f"Sign with it: --account {entry.name}")  # fmt: skip


@account.command("new")
@click.argument("name")
@JSON_OPTION
def new(name: str, as_json: bool) -> None:
    """Create a fresh random key stored encrypted as NAME.

    \b
    Examples:
      $ coop account new alice                       # asks the password twice, hidden
      $ COOP_PASSWORD=... coop account new bot --json
    """
    entry = new_key(load_settings().keystore_dir, name, password_for_new_key())
    _emit(entry, "Created", as_json)


@account.command("import")
@click.argument("name")
@JSON_OPTION
def import_(name: str, as_json: bool) -> None:
    """Store an existing private key encrypted as NAME: asked with a hidden prompt, or read
    from the first line of stdin when a script pipes it in.

    \b
    Examples:
      $ coop account import oracle1
      $ COOP_PASSWORD=... coop account import bot --json < key.txt
    """
    if sys.stdin.isatty():
        key = click.prompt("Private key (hex)", hide_input=True)
    else:  # a script pipes the key in: no prompt, nothing echoed
        key = sys.stdin.readline()
    entry = save_key(load_settings().keystore_dir, name, key.strip(), password_for_new_key())
    _emit(entry, "Imported", as_json)


@account.command("list")
@JSON_OPTION
def list_(as_json: bool) -> None:
    """List stored accounts with their addresses.

    \b
    Example:
      $ coop account list --json
    """
    entries = list_keys(load_settings().keystore_dir)
    if as_json:
        click.echo(json.dumps([{"name": e.name, "address": e.address} for e in entries]))
    elif not entries:
        click.echo("No accounts yet: create one with `coop account new NAME`.")
    for e in entries if not as_json else []:
        click.echo(f"{e.name:20} {e.address}")


@account.command("fund")
@click.argument("who", metavar="NAME|ADDRESS")
@click.option("--eth", type=Decimal, default=Decimal(10), show_default=True,
              help="ETH to send (for gas, commit bonds, dispute bonds).")  # fmt: skip
@click.option("--tokens", type=Decimal, default=Decimal(5000), show_default=True,
              help="Reward tokens to mint (a bounty, a top-up).")  # fmt: skip
@chain_options
def fund(who: str, eth: Decimal, tokens: Decimal, **options: object) -> None:
    """Give a keystore account (or any address) ETH and reward tokens on a development
    chain (`make run`'s anvil, chain id 31337): the ETH comes from anvil's first account,
    which also owns the dev token and mints it. Refused on any other chain, where you
    fund an account from a wallet of your own.

    \b
    Examples:
      $ coop account new alice && coop account fund alice
      $ coop account fund 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --eth 1 --tokens 0
    """
    from oracle.devnet.faucet import describe
    from oracle.devnet.faucet import fund as send_funds

    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    problem = address_problem(who)
    if problem is None:
        address = who
    elif who.lower().startswith("0x"):
        raise ConfigError(f"{who!r} {problem}")
    else:
        known = {e.name: e.address for e in list_keys(ctx.settings.keystore_dir)}
        if who not in known:
            raise ConfigError(
                f"{who!r} is neither an address nor an account in {ctx.settings.keystore_dir} "
                f"(known: {', '.join(known) or 'none'}); create it with `coop account new {who}`"
            )
        address = known[who]
    funded = send_funds(ctx.platform, address, int(eth * WAD), int(tokens * WAD))
    ctx.emit(describe(funded), {"address": funded.address, "eth_wei": str(funded.eth_balance),
                                "tokens": str(funded.token_balance)})  # fmt: skip
