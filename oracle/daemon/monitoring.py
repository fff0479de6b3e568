"""What operators see: /healthz (loop status, lag, jobs, waiting jobs) and /metrics' gauges.

`health` runs on the HTTP server's threads (with the server's own database connection);
`update_metrics` runs on the loop after each turn.
"""

import time

from oracle.daemon.context import DaemonContext
from oracle.health import HealthModel, WaitingModel

WAITING_SHOWN = 100  # waiting jobs listed in /healthz and /metrics


class Monitoring:
    def __init__(self, ctx: DaemonContext) -> None:
        self.ctx = ctx
        self.started = False
        self.last_turn = time.monotonic()

    def turn_done(self) -> None:
        """The loop finished a turn: the health says so, and the gauges are brought up to
        date."""
        self.started = True
        self.last_turn = time.monotonic()
        self.update_metrics()

    def health(self) -> HealthModel:
        ctx = self.ctx
        since = time.monotonic() - self.last_turn
        if ctx.stopping.is_set():
            status = "stopping"
        elif not self.started:
            status = "starting"
        elif since > max(30.0, 20 * ctx.config.poll_seconds):
            status = "stalled"
        else:
            status = "ok"
        last = ctx.chain.last_block
        with ctx.server_lock:
            jobs = ctx.server_jobs.counts()
            waiting = ctx.server_jobs.waiting()
        return HealthModel(
            status=status,
            oracle=ctx.address,
            last_block=last,
            lag_blocks=max(0, ctx.head - last),
            jobs=jobs,
            seconds_since_loop=round(since, 3),
            waiting=[
                WaitingModel(
                    submission_id=w.submission_id,
                    challenge_id=w.challenge_id,
                    reason=w.reason,
                    tries=w.waits,
                    next_try_in_seconds=round(max(0.0, w.next_try_at - time.time()), 1),
                )
                for w in waiting[:WAITING_SHOWN]
            ],
        )

    def update_metrics(self) -> None:
        ctx, metrics = self.ctx, self.ctx.metrics
        metrics.last_block.set(ctx.chain.last_block)
        metrics.lag_blocks.set(max(0, ctx.head - ctx.chain.last_block))
        for state, count in ctx.jobs.counts().items():
            metrics.jobs.labels(state).set(count)
        metrics.waiting.clear()
        for w in ctx.jobs.waiting()[:WAITING_SHOWN]:
            labels = (str(w.challenge_id), str(w.submission_id), w.reason)
            metrics.waiting.labels(*labels).set(w.waits)
