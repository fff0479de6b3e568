"""Entry point of the `coop` command: the group that every subcommand hangs from."""

from typing import Any

import click

from oracle.errors import CoopError


class UserError(click.ClickException):
    """A CoopError shown as one line with what to do; exit status 2, never a traceback."""

    exit_code = 2


class CoopGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoopError as exc:
            raise UserError(str(exc)) from None


@click.group(cls=CoopGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coopetition")
def cli() -> None:
    """Coopetition: publish data-science challenges, submit, score, audit and get paid.

    Every command explains itself with --help; most take --json for scripts.
    """


from oracle.cli.cid_cmd import cid  # noqa: E402

cli.add_command(cid)

from oracle.cli.account_cmd import account  # noqa: E402
from oracle.cli.participant_cmd import reveal_pending, review, submit  # noqa: E402
from oracle.cli.score_cmd import score  # noqa: E402

for command in (account, submit, reveal_pending, review, score):
    cli.add_command(command)

from oracle.cli.audit_cmd import audit  # noqa: E402
from oracle.cli.board_cmd import leaderboard, profile_cmd  # noqa: E402

for command in (audit, leaderboard, profile_cmd):
    cli.add_command(command)

from oracle.cli.api_cmd import api  # noqa: E402
from oracle.cli.index_cmd import index  # noqa: E402

for command in (api, index):
    cli.add_command(command)

from oracle.cli.challenge_cmd import challenge  # noqa: E402
from oracle.cli.claim_cmd import claim  # noqa: E402

for command in (challenge, claim):
    cli.add_command(command)

from oracle.cli.challenge_admin_cmd import refund_cmd, set_oracles_cmd  # noqa: E402
from oracle.cli.rewards_cmd import rewards  # noqa: E402

for command in (refund_cmd, set_oracles_cmd):
    challenge.add_command(command)
cli.add_command(rewards)

from oracle.cli.oracle_cmd import oracle  # noqa: E402

cli.add_command(oracle)

from oracle.cli.devnet_cmd import demo, up  # noqa: E402

for command in (up, demo):
    cli.add_command(command)
