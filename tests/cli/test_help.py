"""`coop --help` lists every command with its own words, without loading any of them."""

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from oracle.cli.main import COMMANDS, cli


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_line_is_the_commands_own_help(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None and command.name == name
    assert COMMANDS[name][1] == command.get_short_help_str(limit=1000)


def test_help_lists_every_command_without_importing_them() -> None:
    script = (
        "import sys\n"
        "from oracle.cli.main import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='coop')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('web3', 'pyarrow', 'fastapi', 'numpy') if m in sys.modules)\n"
        "print('loaded:', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    assert out.strip().endswith("loaded: []")
    for name in COMMANDS:
        assert f"\n  {name} " in out


def test_an_unknown_command_is_named() -> None:
    result = CliRunner().invoke(cli, ["sumbit"])
    assert result.exit_code == 2 and "No such command 'sumbit'" in result.output


@pytest.mark.parametrize(
    ("command", "taught"),
    [
        (["submit"], ["revealed before", "up to 8", "add up to 1", "--account NAME on the "
                      "command line", "COOP_PRIVATE_KEY", "daily commit cap", "commit bond"]),
        (["reveal"], ["--drop", "pending/dropped/", "reveal window closed", "another chain"]),
        (["audit"], ["COOP_GATEWAYS", "COOP_IPFS_BACKEND=kubo", "serves /ipfs"]),
        (["account", "fund"], ["development chain", "Refused on any other chain"]),
        (["up"], ["~/.coop", "8555", "PATH"]),
    ],
)  # fmt: skip
def test_help_teaches_what_a_newcomer_needs(command: list[str], taught: list[str]) -> None:
    text = " ".join(CliRunner().invoke(cli, [*command, "--help"]).output.split())
    for words in taught:
        assert words in text, f"`coop {' '.join(command)} --help` does not say {words!r}"
