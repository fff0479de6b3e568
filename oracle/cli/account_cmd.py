"""`coop account new|import|list`: encrypted keystores for participants, owners and oracles."""

import json
import sys

import click

from oracle.cli.context import password_for_new_key
from oracle.keystore import KeystoreEntry, list_keys, new_key, save_key
from oracle.settings import load_settings

JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.group("account")
def account() -> None:
    """Manage encrypted keystores (scrypt; the password is asked hidden or read from
    COOP_PASSWORD in scripts). Files live in COOP_KEYSTORE_DIR (default .coop/keystores).

    \b
    Examples:
      $ coop account new alice
      $ coop account import oracle1        # paste the key at the hidden prompt
      $ coop account list --json
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
