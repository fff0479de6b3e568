"""Scoring the due jobs on scoring threads, and storing each result in its own transaction.

`code_runs` jobs run at once (a code run waits on its sandbox while the loop goes on
attesting); a turn keeps at it for up to SCORING_SECONDS_PER_TURN while jobs finish. A
missing spec, holdout or scorer, or a fault that is not the submitter's, puts the job
back to wait; it blocks nothing behind it.
"""

import logging
import sqlite3
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from oracle.chain.publish import writable_backends
from oracle.coderun.record import run_record
from oracle.daemon.context import DaemonContext
from oracle.daemon.jobs import Job, JobState, note_text
from oracle.daemon.licence_check import licence_parents
from oracle.daemon.materials import MaterialMissing, PhaseMaterial
from oracle.daemon.scorer import Scored, TryAgain, score_job
from oracle.errors import IpfsError
from oracle.ipfs.store import replicate
from oracle.ledger.licences import LicenceSource
from oracle.scoring.score_report import NETWORK_STATUSES
from oracle.sqlite import transaction
from oracle.status import Status

log = logging.getLogger("oracle.daemon")

SCORING_SECONDS_PER_TURN = 2.0


class ScoreJobs:
    name = "score"

    def __init__(self, ctx: DaemonContext) -> None:
        self.ctx = ctx
        self.threads = ThreadPoolExecutor(ctx.config.code_runs, thread_name_prefix="score")
        self.in_flight: dict[int, tuple[Job, Future[Scored | TryAgain]]] = {}

    def close(self) -> None:
        self.threads.shutdown(wait=True, cancel_futures=True)

    def turn(self) -> bool:
        """Stores the results of finished scoring and starts the due jobs; True when a score
        was stored."""
        deadline = time.monotonic() + SCORING_SECONDS_PER_TURN
        done = 0
        while True:
            done += self.collect()
            self._start_due()
            left = deadline - time.monotonic()
            if self.ctx.stopping.is_set() or not self.in_flight or left <= 0:
                return done > 0
            futures = [future for _, future in self.in_flight.values()]
            wait(futures, timeout=left, return_when=FIRST_COMPLETED)

    def _start_due(self) -> None:
        free = self.ctx.config.code_runs - len(self.in_flight)
        if free <= 0 or self.ctx.stopping.is_set():
            return  # a graceful stop finishes the jobs in hand, never starts others
        due = self.ctx.jobs.due(time.time(), limit=free + len(self.in_flight))
        due = [job for job in due if job.submission_id not in self.in_flight][:free]
        if not due:
            return
        ledger = self.ctx.chain.ledger()
        missing: dict[tuple[int, int], str] = {}
        for job in due:
            key = (job.challenge_id, job.phase)
            try:
                if key in missing:
                    raise MaterialMissing(missing[key])
                challenge = ledger.challenges[job.challenge_id]
                material = self.ctx.materials.material(
                    job.challenge_id, challenge.phases[job.phase]
                )
                parents = licence_parents(ledger, self.ctx.materials, job)
                future = self.threads.submit(self._compute, job, material, parents)
                self.in_flight[job.submission_id] = (job, future)
            except MaterialMissing as exc:
                missing[key] = str(exc)
                self.ctx.warn_once(str(exc))
                self._hold(job, "material", str(exc))
            except sqlite3.Error:
                raise
            except Exception as exc:
                self._fault(job, exc)

    def collect(self, block: bool = False) -> int:
        """Stores every finished (or, with `block`, every started) job's result; the
        number of scores stored."""
        done = 0
        for submission_id, (job, future) in list(self.in_flight.items()):
            if not (block or future.done()):
                continue
            del self.in_flight[submission_id]
            try:
                done += self._store(job, future.result())
            except sqlite3.Error:
                raise
            except Exception as exc:
                self._fault(job, exc)
        return done

    def _fault(self, job: Job, exc: Exception) -> None:
        """Scoring raised: not the submitter's fault, so the job waits and blocks nothing."""
        reason = note_text(f"scoring failed here: {type(exc).__name__}: {exc}")
        log.warning(
            "submission %d (challenge %d): %s; it waits and is tried again later",
            job.submission_id,
            job.challenge_id,
            reason,
            exc_info=job.state is not JobState.WAITING,  # the traceback once
        )
        self._hold(job, "fault", reason)

    def _hold(self, job: Job, cause: str, reason: str) -> None:
        with transaction(self.ctx.db):
            self.ctx.jobs.hold(job.submission_id, time.time(), reason)
        self.ctx.metrics.waits.labels(cause).inc()

    def _compute(
        self, job: Job, material: PhaseMaterial, parents: tuple[LicenceSource, ...] = ()
    ) -> Scored | TryAgain:
        """Scores one job (on a scoring thread: it touches no database)."""
        log.info("scoring submission %d (challenge %d)", job.submission_id, job.challenge_id)
        config = self.ctx.config
        return score_job(
            job,
            material,
            self.ctx.store,
            self.ctx.keys,
            config.fetch_attempts,
            config.fetch_retry_seconds,
            config.runtime_dir,
            parents,
        )

    def _store(self, job: Job, outcome: Scored | TryAgain) -> int:
        """Stores one job's result; 1 when a score was stored, 0 when its fetch is tried
        later."""
        ctx = self.ctx
        if isinstance(outcome, TryAgain):
            ctx.metrics.fetch_retries.inc()
            log.warning(
                "submission %d: %s; trying again in %.1f s",
                job.submission_id,
                outcome.error,
                outcome.at - time.time(),
            )
            with transaction(ctx.db):
                ctx.jobs.retry_fetch(job.submission_id, outcome.at, outcome.error)
            return 0
        ctx.publish(outcome.report)
        record = None
        if outcome.run is not None:
            if outcome.run.predictions is not None:
                ctx.publish(outcome.run.predictions)  # the receipt's predictions_cid
            record = run_record(
                ctx.address, job.challenge_id, job.phase, job.submission_id, outcome.run
            ).to_bytes()
            ctx.publish(record)
        with transaction(ctx.db):
            ctx.jobs.save_score(job.submission_id, outcome.record)
            if record is not None:
                ctx.jobs.save_run_record(job.submission_id, record)
        status = Status(outcome.record.status)
        if status not in (*NETWORK_STATUSES, Status.TOO_LARGE):
            self._keep(job.artifact_cid)
        ctx.metrics.scored.labels(status.name).inc()
        ctx.metrics.scoring_seconds.observe(outcome.record.seconds)
        log.info(
            "scored submission %d (challenge %d phase %d): %s%s in %.3f s",
            job.submission_id,
            job.challenge_id,
            job.phase,
            status.name,
            f" public {outcome.record.public_wad}"
            if status is Status.VALID
            else f" ({outcome.record.reason})",
            outcome.record.seconds,
        )
        return 1

    def _keep(self, cid: str) -> None:
        """Pins a scored artifact on every writable IPFS backend, copying it into those that
        lack it (the embedded store, when kubo fetched it), so auditors can fetch it from
        this oracle later (best effort)."""
        for backend in writable_backends(self.ctx.store):
            try:
                if backend.has(cid):
                    backend.pin(cid)
                else:
                    replicate(self.ctx.store, backend, cid)
            except IpfsError as exc:
                log.warning("could not keep the artifact %s on %s: %s", cid, backend.name, exc)
