"""A lying oracle for the team tests: `coop oracle run` whose rewards pay a team's members
one by one, what each account earned, instead of splitting the team's pool by its shares.

The lie is injected from the test side, as in lying_oracle.py: run as a script, this wraps
the daemon's `phase_rewards` before the CLI is imported. Start it through
`LocalOracle.command = command()`.
"""

import dataclasses
import sys
from pathlib import Path
from typing import Any

from oracle.daemon import phase_end
from oracle.rewards.model import Leaf


def command() -> tuple[str, ...]:
    """The command line that runs a teamless oracle daemon (environment as for any oracle)."""
    return (sys.executable, str(Path(__file__).resolve()))


def one_by_one(*args: Any, **named: Any) -> Any:
    """The honest report with each account's own earnings as its leaf, and no team split."""
    report = honest(*args, **named)
    leaves = tuple(Leaf(a.account, a.total) for a in report.accounts if a.total)
    return dataclasses.replace(report, leaves=leaves, teams=())


honest = phase_end.phase_rewards

if __name__ == "__main__":
    phase_end.phase_rewards = one_by_one
    from oracle.cli.main import cli

    cli(["oracle", "run"])
