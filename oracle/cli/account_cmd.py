"""`coop account new|import|list`: encrypted keystores for participants, owners and oracles."""

import click

from oracle.cli.context import password_for_new_key
from oracle.keystore import list_keys, new_key, save_key
from oracle.settings import load_settings


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


@account.command("new")
@click.argument("name")
def new(name: str) -> None:
    """Create a fresh random key stored encrypted as NAME."""
    entry = new_key(load_settings().keystore_dir, name, password_for_new_key())
    click.echo(f"Created account {entry.name}: {entry.address}\nKeystore: {entry.path}")


@account.command("import")
@click.argument("name")
def import_(name: str) -> None:
    """Store an existing private key (asked with a hidden prompt) encrypted as NAME."""
    key = click.prompt("Private key (hex)", hide_input=True)
    entry = save_key(load_settings().keystore_dir, name, key, password_for_new_key())
    click.echo(f"Imported account {entry.name}: {entry.address}")


@account.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def list_(as_json: bool) -> None:
    """List stored accounts with their addresses."""
    entries = list_keys(load_settings().keystore_dir)
    if as_json:
        import json

        click.echo(json.dumps([{"name": e.name, "address": e.address} for e in entries]))
    elif not entries:
        click.echo("No accounts yet: create one with `coop account new NAME`.")
    for e in entries if not as_json else []:
        click.echo(f"{e.name:20} {e.address}")
