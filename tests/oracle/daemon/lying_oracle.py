"""A lying oracle for the quorum tests: `coop oracle run` whose every valid public score is
off by N eta steps.

The lie is injected from the test side: run as a script, this wraps the daemon's scorer
before the daemon is imported, so the runtime package carries no fault setting. Start it
through `LocalOracle.command = command(eta_steps=N)`.
"""

import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from oracle.daemon import scorer
from oracle.status import Status


def command(eta_steps: int) -> tuple[str, ...]:
    """The command line that runs a lying oracle daemon (environment as for any oracle)."""
    return (sys.executable, str(Path(__file__).resolve()), str(eta_steps))


def lying(honest: Callable[..., Any], eta_steps: int) -> Callable[..., Any]:
    """`score_job`, except that a valid public score is off by `eta_steps` of the spec's eta."""

    def score_job(job: Any, material: Any, *rest: Any, **named: Any) -> Any:
        outcome = honest(job, material, *rest, **named)
        if isinstance(outcome, scorer.Scored) and outcome.record.status == Status.VALID:
            lie = outcome.record.public_wad + eta_steps * material.spec.eta_wad
            outcome = dataclasses.replace(
                outcome, record=dataclasses.replace(outcome.record, public_wad=lie)
            )
        return outcome

    return score_job


if __name__ == "__main__":
    scorer.score_job = lying(scorer.score_job, int(sys.argv[1]))
    from oracle.cli.main import cli

    cli(["oracle", "run"])
