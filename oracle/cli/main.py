"""Entry point of the `coop` command: the group that every subcommand hangs from."""

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coopetition")
def cli() -> None:
    """Coopetition: publish data-science challenges, submit, score, audit and get paid.

    Every command explains itself with --help; most take --json for scripts.
    """

from oracle.cli.cid_cmd import cid  # noqa: E402

cli.add_command(cid)
