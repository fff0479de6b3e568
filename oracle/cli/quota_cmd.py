"""`coop quota release|extend`: no quota lost to the oracles (docs/participant.md)."""

from dataclasses import asdict
from typing import Any

import click

from oracle.chain.clock import chain_now, duration_text, time_text
from oracle.chain.quota import extend_for_outage, release_quota
from oracle.cli.context import ChainContext, chain_options


@click.group("quota")
def quota() -> None:
    """Win back what the oracles' failures cost: a cap slot, or a phase's last day."""


@quota.command("release")
@click.argument("submission_id", metavar="SUBMISSION", type=int)
@chain_options
def release(submission_id: int, **options: Any) -> None:
    """Free the daily-cap slot of SUBMISSION, which the oracles never scored in time.

    Anyone may send it once the challenge's scoring deadline has passed since the reveal
    (`coop status SUBMISSION` says when). The commit bond came back at the reveal already.

    \b
    Examples:
      $ coop quota release 7 --account alice
    """
    ctx = ChainContext.from_options(**options)
    done = release_quota(ctx.platform, ctx.sender, submission_id)
    freed = (
        f"it no longer counts against the daily cap of {done.submitter}"
        if done.slot_freed
        else "its commit was over a day old: it held no slot any more"
    )
    ctx.emit(f"Released submission {submission_id}: {freed} (tx {done.tx_hash})", asdict(done))


@quota.command("extend")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.argument("phase", type=int)
@click.argument("waiting_id", metavar="WAITING_SUBMISSION", type=int)
@chain_options
def extend(challenge_id: int, phase: int, waiting_id: int, **options: Any) -> None:
    """Extend PHASE of CHALLENGE by the oracles' outage, shown by WAITING_SUBMISSION.

    Allowed once per phase when a submission revealed before the commit end has waited
    unscored for at least the scoring deadline and the wait reaches into the last day of
    commits; both windows move later by the wait, capped by the challenge.

    \b
    Examples:
      $ coop quota extend 1 0 7 --account alice
    """
    ctx = ChainContext.from_options(**options)
    done = extend_for_outage(ctx.platform, ctx.sender, challenge_id, phase, waiting_id)
    now = chain_now(ctx.platform)
    ctx.emit(
        f"Extended phase {phase} of challenge {challenge_id} by {duration_text(done.extension)} "
        f"(submission {waiting_id} waited {duration_text(done.outage)}): commits now close "
        f"{time_text(done.commit_end, now)}, reveals {time_text(done.reveal_end, now)} "
        f"(tx {done.tx_hash})",
        asdict(done),
    )
