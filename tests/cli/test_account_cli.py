"""Keystores from the terminal: created or imported encrypted, listed, unlocked to sign."""

import json
import stat
from pathlib import Path

from click.testing import CliRunner, Result
from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.cli.main import cli
from oracle.keystore import unlock

PASSWORD = "s3cret horse battery"


def coop(tmp_path: Path, *args: str, stdin: str | None = None, **env: str) -> Result:
    base = {"COOP_KEYSTORE_DIR": str(tmp_path / "keys"), "COOP_CONFIG": str(tmp_path / "none")}
    return CliRunner().invoke(cli, list(args), env={**base, **env}, input=stdin)


def test_new_asks_the_password_hidden_twice_and_stores_the_key_encrypted(tmp_path: Path) -> None:
    result = coop(tmp_path, "account", "new", "alice", stdin=f"{PASSWORD}\n{PASSWORD}\n",
                  COOP_PASSWORD="")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output  # hidden input is not echoed
    assert "New password" in result.output and "Repeat for confirmation" in result.output
    path = tmp_path / "keys" / "alice.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    account = unlock(tmp_path / "keys", "alice", PASSWORD)
    assert account.address in result.output
    assert account.key.hex().removeprefix("0x") not in path.read_text()
    assert "--account alice" in result.output


def test_scripts_give_the_password_in_the_environment_and_read_json(tmp_path: Path) -> None:
    made = coop(tmp_path, "account", "new", "bot", "--json", COOP_PASSWORD=PASSWORD)
    assert made.exit_code == 0, made.output
    created = json.loads(made.output)
    imported = coop(tmp_path, "account", "import", "oracle1", "--json",
                    stdin=ANVIL_KEYS[7] + "\n", COOP_PASSWORD=PASSWORD)  # fmt: skip
    assert imported.exit_code == 0, imported.output
    oracle_address = Account.from_key(ANVIL_KEYS[7]).address
    assert json.loads(imported.output.splitlines()[-1])["address"] == oracle_address
    listed = json.loads(coop(tmp_path, "account", "list", "--json").output)
    assert listed == [{"name": "bot", "address": created["address"]},
                      {"name": "oracle1", "address": oracle_address}]  # fmt: skip
    assert unlock(tmp_path / "keys", "oracle1", PASSWORD).key.hex().removeprefix(
        "0x"
    ) == ANVIL_KEYS[7].removeprefix("0x")


def test_mistakes_are_refused_with_what_to_do(tmp_path: Path) -> None:
    assert "No accounts yet" in coop(tmp_path, "account", "list").output
    coop(tmp_path, "account", "new", "alice", COOP_PASSWORD=PASSWORD)
    again = coop(tmp_path, "account", "new", "alice", COOP_PASSWORD=PASSWORD)
    assert again.exit_code == 2 and "account 'alice' exists already" in again.output
    bad_key = coop(tmp_path, "account", "import", "eve", stdin="0x1234\n", COOP_PASSWORD=PASSWORD)
    assert bad_key.exit_code == 2 and "not a valid private key" in bad_key.output
    assert not (tmp_path / "keys" / "eve.json").exists()
    bad_name = coop(tmp_path, "account", "new", "../x", COOP_PASSWORD=PASSWORD)
    assert bad_name.exit_code == 2 and "invalid account name" in bad_name.output


def test_a_wrong_password_stops_a_signed_command(cli_env: dict[str, str]) -> None:
    runner = CliRunner()
    imported = runner.invoke(cli, ["account", "import", "alice"], env=cli_env,
                             input=ANVIL_KEYS[1] + "\n")  # fmt: skip
    assert imported.exit_code == 0, imported.output
    wrong = runner.invoke(cli, ["claim", "1", "--account", "alice"],
                          env={**cli_env, "COOP_PASSWORD": "not it"})  # fmt: skip
    assert wrong.exit_code == 2
    assert "wrong password for account 'alice'" in wrong.output
    unknown = runner.invoke(cli, ["claim", "1", "--account", "bob"], env=cli_env)
    assert unknown.exit_code == 2 and "no account named 'bob'" in unknown.output
