"""`coop status SUBMISSION`: where a submission is, and its place in the scoring queue."""

import json
from pathlib import Path

import click

from oracle.artifact_manifest import DeclaredLicence
from oracle.cli.context import ChainContext, chain_options
from oracle.errors import CoopError
from oracle.ledger.licences import SpecReader, shown_licence
from oracle.ledger.model import Ledger, Submission
from oracle.ledger.queue import RECENT, Pending, ScoredTimes, ScoringQueue, scoring_queue
from oracle.ledger.quota import quota_state, quota_text
from oracle.ledger.replay import read_ledger
from oracle.status import Status
from oracle.types import plural


class UnknownSubmission(CoopError, LookupError):
    """No Committed event names the submission."""


@click.command("status")
@click.argument("submission_id", type=int)
@chain_options
def status(submission_id: int, config: Path | None, rpc_url: str | None,
           deployment: Path | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Show SUBMISSION's state and, while the oracles have not scored it, its queue place.

    \b
    The oracles take revealed submissions oldest reveal first, across challenges; the
    estimate is the recent time per scored submission (the last 20 scores on chain)
    times the place, less the time already waited.

    \b
    Examples:
      coop status 3
      coop status 3 --json
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    ledger = read_ledger(ctx.platform)
    sub = ledger.submissions.get(submission_id)
    if sub is None:
        raise UnknownSubmission(
            f"no submission {submission_id} on this chain yet (the last is "
            f"{max(ledger.submissions, default=0)}); check the id"
        )
    times = _BlockTimes(ctx)
    queue = _queue(ledger, times)
    place = queue.place_of(submission_id)
    state = "scored" if sub.score else "revealed" if sub.reveal else "committed"
    licence = shown_licence(ledger, ctx.content_store, sub, SpecReader(ctx.content_store))
    quota = quota_state(ledger, sub, times)
    if as_json:
        click.echo(json.dumps({
            "submission_id": submission_id, "challenge_id": sub.challenge_id,
            "phase": sub.phase, "state": state,
            "status": None if sub.score is None else Status(sub.score.status).name,
            "queue": None if place is None else vars(place),
            "licence": None if licence is None else licence.spdx,
            "seconds_per_submission": queue.seconds_per_submission,
            "quota": None if quota is None else vars(quota),
        }))  # fmt: skip
        return
    click.echo(_text(sub, state, queue, licence))
    if quota is not None:
        click.echo(quota_text(quota, times(-1)))


class _BlockTimes:
    def __init__(self, ctx: ChainContext) -> None:
        self.w3 = ctx.platform.w3
        self.seen: dict[int, int] = {}

    def __call__(self, block: int) -> int:
        """The block's timestamp; -1: the latest block's (what "now" is on the chain)."""
        if block not in self.seen:
            found = self.w3.eth.get_block("latest" if block == -1 else block)
            self.seen[block] = int(found["timestamp"])
        return self.seen[block]


def _queue(ledger: Ledger, at: _BlockTimes) -> ScoringQueue:
    pending, scored = [], []
    for s in ledger.submissions.values():
        if s.reveal is not None and s.score is None:
            pending.append(Pending(s.submission_id, s.challenge_id, s.phase, s.reveal.block,
                                   at(s.reveal.block)))  # fmt: skip
        elif s.reveal is not None and s.score is not None:
            scored.append(s)
    recent = sorted(scored, key=lambda s: s.score.position if s.score else (0, 0))[-RECENT:]
    times = [ScoredTimes(at(s.reveal.block), at(s.score.block))
             for s in recent if s.reveal and s.score]  # fmt: skip
    return scoring_queue(pending, times, at(-1))


def _text(sub: Submission, state: str, queue: ScoringQueue,
          licence: DeclaredLicence | None) -> str:  # fmt: skip
    lines = [f"Submission {sub.submission_id} (challenge {sub.challenge_id}, phase {sub.phase}): "
             f"{state}"]  # fmt: skip
    if sub.reveal is not None:
        lines.append(f"  artifact {sub.reveal.artifact_cid}")
    if licence is not None:
        where = "named in its coop-source.json" if licence.declared else "the challenge's default"
        lines.append(f"  licence  {licence.spdx} ({where})")
    if sub.score is not None:
        lines.append(f"  status   {Status(sub.score.status).name} (batch {sub.score.seq}, "
                     f"block {sub.score.block})")  # fmt: skip
    place = queue.place_of(sub.submission_id)
    if place is not None:
        wait = ("no estimate yet (fewer than 2 submissions scored)"
                if place.estimate_seconds is None
                else f"about {_duration(place.estimate_seconds)} left")  # fmt: skip
        lines.append(f"  queue    {place.position} of {len(queue.places)} "
                     f"(waited {_duration(place.waited_seconds)}; {wait})")  # fmt: skip
        if queue.seconds_per_submission is not None:
            lines.append(f"           the last {plural(queue.based_on, 'score')} took "
                         f"{queue.seconds_per_submission:.0f} s per submission")  # fmt: skip
    elif state == "committed":
        lines.append("  not revealed yet: the oracles queue it once it is revealed")
    return "\n".join(lines)


def _duration(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} s"
    minutes = seconds // 60
    return f"{minutes} min" if minutes < 120 else f"{minutes // 60} h {minutes % 60} min"
