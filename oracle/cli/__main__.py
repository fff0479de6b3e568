"""`python -m oracle.cli` runs `coop` (child processes use it: no PATH lookup needed)."""

from oracle.cli.main import cli

cli(prog_name="coop")
