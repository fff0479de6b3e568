"""Entry point of the `coop` command: the group that every subcommand hangs from.

A subcommand's module is imported only when that command runs or shows its help, so
`coop --help` answers at once: it lists the commands from COMMANDS, without loading
web3, pyarrow or FastAPI (tests/cli/test_help.py keeps the listed lines true).
"""

import importlib
from typing import Any

import click

from oracle.errors import CoopError

# name → (module:attribute of the command, the line `coop --help` shows for it)
COMMANDS: dict[str, tuple[str, str]] = {
    "account": ("oracle.cli.account_cmd:account", "Manage encrypted keystores (scrypt; the "
                "password is asked hidden or read from COOP_PASSWORD in scripts)."),
    "api": ("oracle.cli.api_cmd:api",
            "The HTTP API (REST under /v1, OpenAPI at /docs) and the web app."),
    "audit": ("oracle.cli.audit_cmd:audit",
              "Re-derive a challenge from public data and say whether the ledger holds up."),
    "challenge": ("oracle.cli.challenge_cmd:challenge", "Publish and run a challenge: create "
                  "it, add phases, reveal the holdout, see its state, refund, change oracles."),
    "cid": ("oracle.cli.cid_cmd:cid",
            "Print the CID of PATH (a file, a directory tree, or - for stdin)."),
    "claim": ("oracle.cli.claim_cmd:claim", "Claim your rewards from CHALLENGE once the "
              "dispute window of its root has passed."),
    "demo": ("oracle.cli.devnet_cmd:demo",
             "Play a challenge's whole life in a few minutes, on a private local chain."),
    "export": ("oracle.cli.export_cmd:export", "Write a challenge's public history as Parquet "
               "tables (docs/export.md), or its grades as CSV."),
    "fetch": ("oracle.cli.fetch_cmd:fetch",
              "Download SUBMISSION's files into DIR, verified against the CID revealed on chain."),
    "grant": ("oracle.cli.grant_cmd:grant", "Mini-grants: fund a pool paying the first N "
              "participants past a score, claim a grant, list pools, reclaim the rest."),
    "index": ("oracle.cli.index_cmd:index",
              "The index: platform events in SQLite, what the API and the web app read."),
    "leaderboard": ("oracle.cli.board_cmd:leaderboard",
                    "Show a challenge's leaderboard, best first, read from the chain's events."),
    "oracle": ("oracle.cli.oracle_cmd:oracle",
               "Run an oracle: follow the chain, score, sign with peers, post (docs/operator.md)."),
    "profile": ("oracle.cli.board_cmd:profile_cmd", "Show someone's contributions: submissions "
                "(with forks), improvements, reviews, claims."),
    "quota": ("oracle.cli.quota_cmd:quota",
              "Win back what the oracles' failures cost: a cap slot, or a phase's last day."),
    "receipt": ("oracle.cli.receipt_cmd:receipt",
                "Show the report SUBMISSION's score names on chain (its reportDigest), from IPFS."),
    "reveal": ("oracle.cli.participant_cmd:reveal_pending",
               "Finish submits that were committed but not revealed (found in the data dir)."),
    "review": ("oracle.cli.participant_cmd:review",
               "Review someone else's revealed submission (one review per reviewer)."),
    "rewards": ("oracle.cli.rewards_cmd:rewards", "Contest a rewards root and settle the "
                "contest: show, dispute, resolve, lapse, withdraw bonds."),
    "run": ("oracle.cli.run_cmd:run",
            "Run FOLDER/main.py locally in the oracles' sandbox, runtime and limits."),
    "runtime": ("oracle.cli.runtime_cmd:runtime", "The Python runtime code submissions run "
                "on: a lock file's digest, or its build."),
    "score": ("oracle.cli.score_cmd:score",
              "Score PREDICTIONS against LABELS with the metric and rules of SPEC."),
    "status": ("oracle.cli.status_cmd:status", "Show SUBMISSION's state and, while the "
               "oracles have not scored it, its queue place."),
    "submit": ("oracle.cli.participant_cmd:submit",
               "Add PATH (a predictions file or a folder) to IPFS, commit it, then reveal it."),
    "team": ("oracle.cli.team_cmd:team",
             "Form a team for a challenge: one shared daily cap, rewards split by agreed shares."),
    "up": ("oracle.cli.devnet_cmd:up", "Run the whole platform locally until Ctrl-C: chain, "
           "contracts, a demo challenge, the API with the web app, and three oracles."),
}  # fmt: skip


class UserError(click.ClickException):
    """A CoopError shown as one line with what to do; exit status 2, never a traceback."""

    exit_code = 2


class CoopGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name][0].split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, line) for name, (_, line) in sorted(COMMANDS.items())])

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
