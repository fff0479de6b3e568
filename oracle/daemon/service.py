"""`coop oracle run`: the loop that follows, scores, attests, posts and pays.

`OracleService` composes the daemon's duties, one class each, sharing a `DaemonContext`:
- `Following` (following.py): applies confirmed chain steps (rewinding on a reorg) and
  adds a scoring job for every reveal of a served challenge;
- `Rescoring` (rescore.py): puts the jobs of a phase whose scorer or labels were corrected
  back to pending, so they are scored again under the correction;
- `Preparing` (preparing.py): loads an open phase's holdout before its first submission;
- `ScoreJobs` (score_jobs.py): scores the due submissions on scoring threads;
- `Attesting` (attesting.py): proposes and posts the next score batch of each challenge;
- `PhaseClosing` (phase_closing.py): reveals a holdout the owner left hidden, opens the
  private scores after a phase's reveal end, posts the rewards root;
- `Reviews` (reviews.py): answers peers' proposals on the HTTP server's threads;
- `Monitoring` (monitoring.py): /healthz and /metrics.
Every duty that posts does it through the one `Posting` (posting.py): whose turn it is,
the fail-over, the quorum, the send.

Each turn runs the loop duties in the order of `self.duties`; a new duty is a class with a
`name` and a `turn() -> bool` (True when it did something), appended there
(docs/oracle.md, "Adding a duty").

State is in SQLite (db.py); every step and every score is one transaction, so the process
can be killed at any point. Stopping: the first SIGINT/SIGTERM lets the current submission
finish and ends the loop; the second exits at once.
"""

import logging
import os
import signal
import sqlite3
import threading
from types import FrameType
from typing import Protocol

from requests.exceptions import RequestException
from web3.exceptions import Web3Exception

from oracle.chain.platform import Platform
from oracle.daemon.attesting import Attesting
from oracle.daemon.config import DaemonConfig
from oracle.daemon.context import DaemonContext
from oracle.daemon.following import Following
from oracle.daemon.monitoring import Monitoring
from oracle.daemon.peers import PeerClient
from oracle.daemon.phase_closing import PhaseClosing
from oracle.daemon.posting import Posting
from oracle.daemon.preparing import Preparing
from oracle.daemon.rescore import Rescoring
from oracle.daemon.reviews import Reviews
from oracle.daemon.score_jobs import ScoreJobs
from oracle.daemon.server import Handlers, OracleHttpServer
from oracle.errors import CoopError, RetryableError
from oracle.ipfs.store import ContentStore

log = logging.getLogger("oracle.daemon")


class Duty(Protocol):
    """One job of the loop, run once per turn."""

    name: str  # the label of its errors in the logs and /metrics

    def turn(self) -> bool:
        """Does what is due now; True when something was done (the loop goes on at once)."""
        ...


class OracleService:
    def __init__(self, config: DaemonConfig, platform: Platform, store: ContentStore) -> None:
        self.ctx = DaemonContext(config, platform, store)
        self.peers = PeerClient(config.peers, config.peer_timeout_seconds)
        self.posting = Posting(self.ctx, self.peers)
        self.following = Following(self.ctx, on_rewind=self.posting.forget)
        self.preparing = Preparing(self.ctx)
        self.scoring = ScoreJobs(self.ctx)
        self.duties: list[Duty] = [
            self.following,
            Rescoring(self.ctx, self.scoring),
            self.preparing,
            self.scoring,
            Attesting(self.ctx, self.posting),
            PhaseClosing(self.ctx, self.posting),
        ]
        self.reviews = Reviews(self.ctx)
        self.monitoring = Monitoring(self.ctx)
        self.server = OracleHttpServer(
            config.listen_host,
            config.listen_port,
            Handlers(
                health=self.monitoring.health,
                metrics=self.ctx.metrics.render,
                review_scores=self.reviews.review_scores,
                review_root=self.reviews.review_root,
                run_record=self.reviews.run_record,
            ),
        )

    def run(self) -> None:
        ctx = self.ctx
        self._install_signals()
        self.server.start()
        log.info(
            "oracle %s on chain %d: listening on http://%s:%d, data in %s, peers %s",
            ctx.address,
            ctx.chain_id,
            ctx.config.listen_host,
            self.server.port,
            ctx.config.data_dir,
            list(ctx.config.peers) or "none",
        )
        try:
            self.following.reconcile_jobs()
            while not ctx.stopping.is_set():
                busy = self.turn()
                self.monitoring.turn_done()
                if not busy:
                    ctx.stopping.wait(ctx.config.poll_seconds)
        finally:
            self.scoring.collect(block=True)  # the runs in hand finish and are stored
            log.info("oracle %s stopped", ctx.address)
            self.close()

    def close(self) -> None:
        self.server.stop()
        self.scoring.close()
        self.preparing.close()
        self.peers.close()
        self.ctx.close()

    def turn(self) -> bool:
        """One pass over every duty; True when something was done (loop again at once)."""
        busy = False
        for duty in self.duties:
            if self.ctx.stopping.is_set():
                break  # the scoring duty itself stops after the submission in hand
            try:
                busy = duty.turn() or busy
            except (RetryableError, RequestException, Web3Exception, OSError) as exc:
                self._error(duty.name, f"{type(exc).__name__}: {exc}")
            except CoopError as exc:
                self._error(duty.name, str(exc))
            except sqlite3.Error:
                raise  # the database is the one thing the daemon cannot work without
            except Exception:
                log.exception("%s failed; the loop goes on", duty.name)
                self.ctx.metrics.errors.labels(duty.name).inc()
        return busy

    def _error(self, duty: str, message: str) -> None:
        log.warning("%s: %s (tried again next turn)", duty, message)
        self.ctx.metrics.errors.labels(duty).inc()

    def _install_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        stopping = self.ctx.stopping

        def stop(signum: int, _frame: FrameType | None) -> None:
            if stopping.is_set():
                log.warning("second signal: exiting now")
                os._exit(128 + signum)
            log.info(
                "signal %d: stopping after the current job (send it again to stop at once)",
                signum,
            )
            stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
