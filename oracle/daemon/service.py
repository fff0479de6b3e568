"""`coop oracle run`: the loop that follows, scores, attests, posts and pays.

Each turn, in order: apply confirmed chain steps (rewinding on a reorg); score the due
submissions; propose and post the next score batch of each served challenge when it is
this oracle's turn; open private scores after a phase's reveal end; post the rewards root
after the holdout reveal. The HTTP server (server.py) runs on its own threads and answers
peers (signing only what this oracle computed itself) and operators (/healthz, /metrics).

State is in SQLite (db.py); every step and every score is one transaction, so the process
can be killed at any point. Stopping: the first SIGINT/SIGTERM lets the current submission
finish and ends the loop; the second exits at once.
"""

import logging
import os
import signal
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import replace
from types import FrameType

from requests.exceptions import RequestException
from web3.exceptions import Web3Exception

from oracle.chain.attestation import (
    Signature,
    ordered_signatures,
    reward_root_typed_data,
    score_batch_typed_data,
    sign_typed,
)
from oracle.chain.follower import Advance, Follower, Rewind, Step
from oracle.chain.holdout_secrets import secret_in
from oracle.chain.platform import Platform
from oracle.chain.publish import writable_backends
from oracle.chain.sender import Sender
from oracle.coderun.hidden_features import add_revealed_holdout
from oracle.coderun.record import run_record
from oracle.daemon.attest import (
    Refusal,
    choose_cut,
    form_proposal,
    judges_anywhere,
    last_seq,
    oracles_of,
    review_proposal,
)
from oracle.daemon.batching import Proposal, poster_for
from oracle.daemon.chain_log import ChainLog
from oracle.daemon.config import DaemonConfig
from oracle.daemon.db import open_db
from oracle.daemon.jobs import Job, JobState, JobStore, OwnRun, note_text
from oracle.daemon.materials import MaterialMissing, Materials, PhaseMaterial
from oracle.daemon.metrics import OracleMetrics
from oracle.daemon.peers import PeerAnswer, PeerClient
from oracle.daemon.phase_end import (
    form_root,
    holdouts_due,
    openings_due,
    review_root,
    roots_due,
)
from oracle.daemon.poster import ChainWriter, Outcome
from oracle.daemon.reproduce import (
    Mismatch,
    item_runs,
    not_reproducible_record,
    record_item,
    review_runs,
    widened,
)
from oracle.daemon.rescore import corrections_due, restart_corrected
from oracle.daemon.scorer import Scored, ScoringKeys, TryAgain, score_job
from oracle.daemon.server import Handlers, OracleHttpServer
from oracle.daemon.wire import (
    MismatchModel,
    ProposalModel,
    RefusalModel,
    RootProposalModel,
    SignatureModel,
)
from oracle.errors import CoopError, IpfsError, RetryableError
from oracle.health import HealthModel, WaitingModel
from oracle.ipfs.importer import import_bytes
from oracle.ipfs.store import ContentStore, replicate
from oracle.ledger.model import Challenge, Ledger
from oracle.scoring.score_report import NETWORK_STATUSES
from oracle.sqlite import transaction
from oracle.status import Status

log = logging.getLogger("oracle.daemon")

MAX_STEPS_PER_TURN = 20
SCORING_SECONDS_PER_TURN = 2.0
WAITING_SHOWN = 100  # waiting jobs listed in /healthz and /metrics


class OracleService:
    def __init__(self, config: DaemonConfig, platform: Platform, store: ContentStore) -> None:
        self.config = config
        self.store = store
        self.platform = platform
        w3 = platform.w3
        self.chain_id = int(w3.eth.chain_id)
        self.sender = Sender.from_key(w3, config.private_key)
        self.address = str(self.sender.address)
        self.db = open_db(config.db_path)
        self.chain = ChainLog(self.db, self.platform.deployment.block)
        self.jobs = JobStore(self.db)
        self.follower = Follower(self.platform, confirmations=config.confirmations)
        self.materials = Materials(store, config.holdout_dir)
        self.keys = ScoringKeys(self.chain_id, self.platform.score_board.address, config.shared_key)
        self.writer = ChainWriter(self.platform, self.sender)
        self.peers = PeerClient(config.peers, config.peer_timeout_seconds)
        self.scoring = ThreadPoolExecutor(config.code_runs, thread_name_prefix="score")
        self.in_flight: dict[int, tuple[Job, Future[Scored | TryAgain]]] = {}
        self.metrics = OracleMetrics()
        self.stopping = threading.Event()
        self.started = False
        self.last_turn = time.monotonic()
        self.head = 0
        self.due_since: dict[tuple[object, ...], float] = {}
        self.last_ask: dict[tuple[object, ...], float] = {}
        self.sent: dict[int, int] = {}  # challenge → highest seq seen posted, not yet confirmed
        self.landed: set[tuple[object, ...]] = set()  # openings and roots on chain, unconfirmed
        self._warned: set[str] = set()
        # The server threads read scores through their own connection, one review at a time.
        self._review_lock = threading.Lock()
        self._refetched: set[int] = set()
        self._review_jobs = JobStore(open_db(config.db_path))
        self.server = OracleHttpServer(
            config.listen_host,
            config.listen_port,
            Handlers(
                health=self.health,
                metrics=self.metrics.render,
                review_scores=self.review_scores,
                review_root=self.review_root_proposal,
                run_record=self.run_record,
            ),
        )

    # ---------------------------------------------------------------- the loop

    def run(self) -> None:
        self._install_signals()
        self.server.start()
        log.info(
            "oracle %s on chain %d: listening on http://%s:%d, data in %s, peers %s",
            self.address,
            self.chain_id,
            self.config.listen_host,
            self.server.port,
            self.config.data_dir,
            list(self.config.peers) or "none",
        )
        try:
            self._reconcile_jobs()
            while not self.stopping.is_set():
                busy = self.turn()
                self.started = True
                self.last_turn = time.monotonic()
                if not busy:
                    self.stopping.wait(self.config.poll_seconds)
        finally:
            self._collect(block=True)  # the runs in hand finish and are stored
            log.info("oracle %s stopped", self.address)
            self.close()

    def close(self) -> None:
        self.server.stop()
        self.scoring.shutdown(wait=True, cancel_futures=True)
        self.peers.close()
        self.db.close()
        self._review_jobs.db.close()

    def turn(self) -> bool:
        """One pass over every duty; True when something was done (loop again at once)."""
        busy = False
        duties: list[tuple[str, Callable[[], bool]]] = [
            ("follow", self.follow),
            ("rescore", self.rescore),
            ("score", self.score_due),
            ("attest", self.attest),
            ("phase_end", self.phase_end),
        ]
        for name, duty in duties:
            if self.stopping.is_set():
                break  # score_due itself stops after the submission in hand
            try:
                busy = duty() or busy
            except (RetryableError, RequestException, Web3Exception, OSError) as exc:
                self._error(name, f"{type(exc).__name__}: {exc}")
            except CoopError as exc:
                self._error(name, str(exc))
            except sqlite3.Error:
                raise  # the database is the one thing the daemon cannot work without
            except Exception:
                log.exception("%s failed; the loop goes on", name)
                self.metrics.errors.labels(name).inc()
        self._update_metrics()
        return busy

    def _error(self, duty: str, message: str) -> None:
        log.warning("%s: %s (tried again next turn)", duty, message)
        self.metrics.errors.labels(duty).inc()

    # ---------------------------------------------------------------- following

    def follow(self) -> bool:
        self.head = int(self.platform.w3.eth.block_number)
        moved = False
        for _ in range(MAX_STEPS_PER_TURN):
            if self.stopping.is_set():
                break
            step = self.follower.next_step(self.chain.cursor)
            if step is None:
                break
            self._apply(step)
            moved = True
        return moved

    def _apply(self, step: Step) -> None:
        try:
            with transaction(self.db):
                self.chain.write(step)
                self.chain.commit(step)
                if isinstance(step, Rewind):
                    dropped = self.jobs.rewind(step.to_block)
                else:
                    self._new_jobs(step)
        except BaseException:
            self.chain.reload()
            raise
        if isinstance(step, Rewind):
            self.metrics.rewinds.inc()
            self.materials.forget()
            self.due_since.clear()
            self.sent.clear()
            self.landed.clear()
            log.warning(
                "reorg: %s; %d job(s) of rewound reveals dropped, the new chain's "
                "reveals will be scored",
                step.reason,
                dropped,
            )
        elif isinstance(step, Advance) and step.events:
            log.debug(
                "read blocks %d-%d: %d event(s)",
                step.first_block,
                step.last_block,
                len(step.events),
            )
            if any(e.name in ("ChallengeCreated", "OraclesRotated") for e in step.events):
                self._reconcile_jobs()

    def _new_jobs(self, step: Advance) -> None:
        ledger = self.chain.ledger()
        for e in step.events:
            if e.name != "Revealed":
                continue
            submission = ledger.submissions[int(e["submissionId"])]
            if self._serves(ledger, submission.challenge_id):
                self.jobs.add(
                    submission.submission_id,
                    submission.challenge_id,
                    submission.phase,
                    e.block_number,
                    str(e["artifactCid"]),
                )
        self.jobs.follow(step.events)

    def _serves(self, ledger: Ledger, challenge_id: int) -> bool:
        challenge = ledger.challenges.get(challenge_id)
        if challenge is None or not challenge.oracle_sets:
            return False
        if self.config.challenges and challenge_id not in self.config.challenges:
            return False
        return self.address.lower() in judges_anywhere(challenge)

    def served(self, ledger: Ledger) -> list[int]:
        return [c for c in sorted(ledger.challenges) if self._serves(ledger, c)]

    def _reconcile_jobs(self) -> None:
        """A job for every revealed submission of a served challenge (after a start, or
        when this oracle joined a challenge), in the state the chain says it is in."""
        ledger = self.chain.ledger()
        served = set(self.served(ledger))
        with transaction(self.db):
            for s in ledger.submissions.values():
                if s.challenge_id in served and s.reveal is not None:
                    self.jobs.add(
                        s.submission_id,
                        s.challenge_id,
                        s.phase,
                        s.reveal.block,
                        s.reveal.artifact_cid,
                    )
            self.jobs.follow(
                tuple(
                    e
                    for e in self.chain.events()
                    if e.name in ("ScoreRecorded", "PrivateScoreRevealed")
                )
            )

    def rescore(self) -> bool:
        """Jobs of a corrected phase are scored again (rescore.py); the scores in hand land
        first, so none computed under the old correction is kept after the restart."""
        ledger = self.chain.ledger()
        served = self.served(ledger)
        if corrections_due(self.db, ledger, served):
            self._collect(block=True)
        with transaction(self.db):
            return restart_corrected(self.db, ledger, served) > 0

    # ---------------------------------------------------------------- scoring

    def score_due(self) -> bool:
        """Stores the results of finished scoring and starts the due jobs, `code_runs` at
        once on scoring threads (a code run waits on its sandbox while the loop goes on
        attesting); keeps at it for up to SCORING_SECONDS_PER_TURN while jobs finish."""
        deadline = time.monotonic() + SCORING_SECONDS_PER_TURN
        done = 0
        while True:
            done += self._collect()
            self._start_due()
            left = deadline - time.monotonic()
            if self.stopping.is_set() or not self.in_flight or left <= 0:
                return done > 0
            futures = [future for _, future in self.in_flight.values()]
            wait(futures, timeout=left, return_when=FIRST_COMPLETED)

    def _start_due(self) -> None:
        free = self.config.code_runs - len(self.in_flight)
        if free <= 0 or self.stopping.is_set():
            return  # a graceful stop finishes the jobs in hand, never starts others
        due = self.jobs.due(time.time(), limit=free + len(self.in_flight))
        due = [job for job in due if job.submission_id not in self.in_flight][:free]
        if not due:
            return
        ledger = self.chain.ledger()
        missing: dict[tuple[int, int], str] = {}
        for job in due:
            key = (job.challenge_id, job.phase)
            try:
                if key in missing:
                    raise MaterialMissing(missing[key])
                challenge = ledger.challenges[job.challenge_id]
                material = self.materials.material(job.challenge_id, challenge.phases[job.phase])
                future = self.scoring.submit(self._compute, job, material)
                self.in_flight[job.submission_id] = (job, future)
            except MaterialMissing as exc:
                missing[key] = str(exc)
                self._warn_once(str(exc))
                self._hold(job, "material", str(exc))
            except sqlite3.Error:
                raise
            except Exception as exc:
                self._fault(job, exc)

    def _collect(self, block: bool = False) -> int:
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
        with transaction(self.db):
            self.jobs.hold(job.submission_id, time.time(), reason)
        self.metrics.waits.labels(cause).inc()

    def _compute(self, job: Job, material: PhaseMaterial) -> Scored | TryAgain:
        """Scores one job (on a scoring thread: it touches no database)."""
        log.info("scoring submission %d (challenge %d)", job.submission_id, job.challenge_id)
        return score_job(
            job,
            material,
            self.store,
            self.keys,
            self.config.fetch_attempts,
            self.config.fetch_retry_seconds,
            self.config.runtime_dir,
        )

    def _store(self, job: Job, outcome: Scored | TryAgain) -> int:
        """Stores one job's result; 1 when a score was stored, 0 when its fetch is tried
        later."""
        if isinstance(outcome, TryAgain):
            self.metrics.fetch_retries.inc()
            log.warning(
                "submission %d: %s; trying again in %.1f s",
                job.submission_id,
                outcome.error,
                outcome.at - time.time(),
            )
            with transaction(self.db):
                self.jobs.retry_fetch(job.submission_id, outcome.at, outcome.error)
            return 0
        self._publish(outcome.report)
        record = None
        if outcome.run is not None:
            if outcome.run.predictions is not None:
                self._publish(outcome.run.predictions)  # the receipt's predictions_cid
            record = run_record(
                self.address, job.challenge_id, job.phase, job.submission_id, outcome.run
            ).to_bytes()
            self._publish(record)
        with transaction(self.db):
            self.jobs.save_score(job.submission_id, outcome.record)
            if record is not None:
                self.jobs.save_run_record(job.submission_id, record)
        status = Status(outcome.record.status)
        if status not in (*NETWORK_STATUSES, Status.TOO_LARGE):
            self._keep(job.artifact_cid)
        self.metrics.scored.labels(status.name).inc()
        self.metrics.scoring_seconds.observe(outcome.record.seconds)
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

    def _publish(self, data: bytes) -> None:
        """Adds and pins a report, labels or a run's predictions on every writable IPFS backend
        (best effort)."""
        for backend in writable_backends(self.store):
            try:
                backend.pin(str(backend.add_bytes(data).cid))
            except IpfsError as exc:
                log.warning("could not add a report to %s: %s", backend.name, exc)

    def _keep(self, cid: str) -> None:
        """Pins a scored artifact on every writable IPFS backend, copying it into those that
        lack it (the embedded store, when kubo fetched it), so auditors can fetch it from
        this oracle later (best effort)."""
        for backend in writable_backends(self.store):
            try:
                if backend.has(cid):
                    backend.pin(cid)
                else:
                    replicate(self.store, backend, cid)
            except IpfsError as exc:
                log.warning("could not keep the artifact %s on %s: %s", cid, backend.name, exc)

    def _warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            log.warning("%s", message)

    # ---------------------------------------------------------------- score batches

    def attest(self) -> bool:
        head = self.chain.ledger()
        busy = False
        for challenge_id in self.served(head):
            busy = self._attest_challenge(head, challenge_id) or busy
        return busy

    def _attest_challenge(self, head: Ledger, challenge_id: int) -> bool:
        challenge = head.challenges[challenge_id]
        own = self.jobs.scored(challenge_id)
        self.db.execute(
            "DELETE FROM proposals WHERE challenge_id = ? AND seq <= ?",
            (challenge_id, last_seq(challenge)),
        )
        proposal = self._stored_proposal(challenge_id, last_seq(challenge) + 1)
        if proposal is None:
            waiting = {w.submission_id for w in self.jobs.waiting(challenge_id)}
            cut = choose_cut(head, challenge_id, own, waiting)
            at_cut = self.chain.ledger(cut)
            if last_seq(at_cut.challenges[challenge_id]) != last_seq(challenge):
                return False  # a batch landed after the cut: wait until the rest is scored
            proposal = form_proposal(at_cut, challenge_id, own, waiting)
        if proposal is None:
            return False
        seq = proposal.batch.seq
        if self.sent.get(challenge_id, 0) >= seq:
            return False  # posted (by us or a peer we saw); wait for its event to confirm
        waited = time.monotonic() - self.due_since.setdefault(
            ("scores", challenge_id, seq), time.monotonic()
        )
        oracles = oracles_of(challenge, proposal.batch.phase)
        if self.address.lower() not in (o.lower() for o in oracles):
            return False  # this phase is judged by another version of the oracle set
        poster = poster_for(seq, oracles, waited, self.config.failover_seconds)
        if poster.lower() != self.address.lower() or not self._may_ask(("scores", challenge_id)):
            return False
        self._store_proposal(proposal)
        typed = score_batch_typed_data(
            proposal.batch, self.chain_id, self.platform.score_board.address
        )
        runs = self.jobs.runs(challenge_id)
        body = ProposalModel.of(
            proposal,
            {i.submission_id: item_runs(i, runs.get(i.submission_id)) for i in proposal.items},
        ).model_dump()
        signatures, answers = self._quorum(
            typed, "/v1/proposals", body, head.challenges[challenge_id], proposal.batch.phase
        )
        if signatures is None:
            self._not_reproducible(proposal, answers, runs)
            return False
        outcome = self.writer.post_scores(proposal, ordered_signatures(signatures))
        if outcome in (Outcome.POSTED, Outcome.ALREADY):
            self.sent[challenge_id] = seq
        if outcome is Outcome.POSTED:
            self.metrics.posts.labels("scores").inc()
            self.metrics.posted_items.inc(len(proposal.items))
        log.log(
            logging.DEBUG if outcome is Outcome.ALREADY else logging.INFO,
            "score batch %d of challenge %d (%d items, cut block %d): %s",
            seq,
            challenge_id,
            len(proposal.items),
            proposal.cut_block,
            outcome.value,
        )
        return outcome is Outcome.POSTED

    def _quorum(
        self,
        typed: dict[str, object],
        path: str,
        body: dict[str, object],
        challenge: Challenge,
        phase: int,
    ) -> tuple[list[Signature] | None, list[PeerAnswer]]:
        """Our signature and enough valid peer signatures for the phase's quorum (else None),
        and the peers' answers."""
        oracle_set = challenge.judges_of(phase)
        mine = sign_typed(typed, self.config.private_key)
        peer_sigs, answers = self.peers.collect(
            path, body, typed, oracle_set.oracles, oracle_set.quorum - 1
        )
        self._note_answers(answers)
        signatures = [mine, *(s for s in peer_sigs if s.signer.lower() != self.address.lower())]
        if len(signatures) < oracle_set.quorum:
            return None, answers
        return signatures, answers

    def _not_reproducible(
        self, proposal: Proposal, answers: list[PeerAnswer], runs: dict[int, OwnRun]
    ) -> None:
        """Peers whose runs of a code submission ended otherwise than ours: our item becomes
        NOT_REPRODUCIBLE listing every outcome, proposed afresh (oracle/daemon/reproduce.py)."""
        told: dict[int, set[str]] = {}
        for answer in answers:
            for m in answer.refusal.mismatches if answer.refusal is not None else ():
                told.setdefault(m.submission_id, set()).add(m.outcome)
        b = proposal.batch
        for item in proposal.items:
            own = runs.get(item.submission_id)
            outcomes = None if own is None else widened(item, own, told.get(item.submission_id, ()))
            if own is None or outcomes is None:
                continue
            record, report = not_reproducible_record(
                self.keys, b.challenge_id, b.phase, item.submission_id, own, outcomes
            )
            self._publish(report)
            with transaction(self.db):
                self.jobs.replace_score(item.submission_id, record)
                self.db.execute(
                    "DELETE FROM proposals WHERE challenge_id = ? AND seq = ?",
                    (b.challenge_id, b.seq),
                )
            log.info(
                "submission %d: the oracles' runs ended differently (%s); proposing it "
                "NOT_REPRODUCIBLE",
                item.submission_id,
                ", ".join(outcomes),
            )

    def _note_answers(self, answers: list[PeerAnswer]) -> None:
        for answer in answers:
            if answer.refusal is not None and not answer.refusal.retry:
                if answer.refusal.disagreements:
                    self.metrics.disagreements.labels("self").inc(answer.refusal.disagreements)
                log.warning("peer %s refused to sign: %s", answer.peer, answer.refusal.reason)
            elif answer.error is not None:
                log.info("peer %s did not answer: %s", answer.peer, answer.error)

    def _may_ask(self, key: tuple[object, ...]) -> bool:
        """At most one round of asks per key and poll interval (peers that said retry)."""
        now = time.monotonic()
        if now - self.last_ask.get(key, 0.0) < min(self.config.poll_seconds, 1.0):
            return False
        self.last_ask[key] = now
        return True

    def _stored_proposal(self, challenge_id: int, seq: int) -> Proposal | None:
        row = self.db.execute(
            "SELECT body FROM proposals WHERE challenge_id = ? AND seq = ?", (challenge_id, seq)
        ).fetchone()
        return None if row is None else ProposalModel.model_validate_json(row[0]).to_proposal()

    def _store_proposal(self, proposal: Proposal) -> None:
        b = proposal.batch
        body = ProposalModel.of(proposal).model_dump_json()
        with transaction(self.db):
            self.db.execute(
                "INSERT OR IGNORE INTO proposals (challenge_id, seq, cut_block, body) "
                "VALUES (?, ?, ?, ?)",
                (b.challenge_id, b.seq, proposal.cut_block, body),
            )

    # ---------------------------------------------------------------- phase end

    def phase_end(self) -> bool:
        head = self.chain.ledger()
        busy = False
        chain_time: int | None = None
        for challenge_id in self.served(head):
            challenge = head.challenges[challenge_id]
            hidden = [p for p in challenge.phases if p.holdout is None]
            if hidden:
                if chain_time is None:
                    chain_time = int(self.platform.w3.eth.get_block("latest")["timestamp"])
                grace = self.config.holdout_grace_seconds
                for phase in holdouts_due(head, challenge_id, chain_time, grace):
                    busy = self._reveal_holdout(challenge, phase) or busy
            unopened = [b for b in challenge.batches if self._unopened(head, challenge_id, b.seq)]
            if unopened:
                if chain_time is None:  # the latest block's, which the next tx's gas estimate sees
                    chain_time = int(self.platform.w3.eth.get_block("latest")["timestamp"])
                busy = self._open_private(head, challenge_id, chain_time) or busy
            for phase in roots_due(head, challenge_id):
                busy = self._post_root(head, challenge_id, phase) or busy
        return busy

    def _reveal_holdout(self, challenge: Challenge, phase: int) -> bool:
        """Reveals a phase's holdout the owner left hidden past the grace period, from the
        secret the owner handed this oracle (COOP_HOLDOUT_DIR)."""
        challenge_id = challenge.challenge_id
        key = ("holdout", challenge_id, phase)
        if key in self.landed:
            return False
        oracles = oracles_of(challenge, phase)
        waited = time.monotonic() - self.due_since.setdefault(key, time.monotonic())
        poster = poster_for(phase, oracles, waited, self.config.failover_seconds)
        if poster.lower() != self.address.lower() or not self._may_ask(key):
            return False
        commitment = challenge.phases[phase].holdout_commitment
        found = (
            secret_in(self.config.holdout_dir, commitment)
            if self.config.holdout_dir is not None
            else None
        )
        if found is None:
            self._warn_once(
                f"challenge {challenge_id} phase {phase}: the owner has not revealed the "
                f"holdout and no secret for commitment 0x{commitment.hex()} is in "
                f"COOP_HOLDOUT_DIR ({self.config.holdout_dir}); this oracle cannot reveal it"
            )
            return False
        path, secret = found
        labels = secret.labels(path.parent)
        hidden_features = secret.test_features(path.parent)
        if hidden_features is None:
            self._publish(labels)
            labels_cid = str(import_bytes(labels).cid)
        else:  # a folder with the labels and the hidden test features
            labels_cid = add_revealed_holdout(
                writable_backends(self.store), labels, hidden_features
            )
        outcome = self.writer.reveal_holdout(
            challenge_id, phase, labels_cid, secret.digest_bytes, secret.salt_bytes
        )
        if outcome in (Outcome.POSTED, Outcome.ALREADY):
            self.landed.add(key)
        log.info(
            "holdout of challenge %d phase %d (the owner did not reveal it): %s",
            challenge_id,
            phase,
            outcome.value,
        )
        return outcome is Outcome.POSTED

    def _unopened(self, ledger: Ledger, challenge_id: int, seq: int) -> bool:
        return any(
            s.private is None
            for s in ledger.submissions_of(challenge_id)
            if s.score is not None and s.score.seq == seq
        )

    def _open_private(self, head: Ledger, challenge_id: int, chain_time: int) -> bool:
        own = self.jobs.scored(challenge_id)
        challenge = head.challenges[challenge_id]
        busy = False
        for opening in openings_due(head, self.chain.events(), challenge_id, chain_time, own):
            key = ("private", challenge_id, opening.seq)
            waited = time.monotonic() - self.due_since.setdefault(key, time.monotonic())
            oracles = oracles_of(challenge, opening.phase)
            poster = poster_for(opening.seq, oracles, waited, self.config.failover_seconds)
            if key in self.landed:
                continue
            if poster.lower() != self.address.lower() or not self._may_ask(key):
                continue
            outcome = self.writer.open_private(opening)
            if outcome in (Outcome.POSTED, Outcome.ALREADY):
                self.landed.add(key)
            if outcome is Outcome.POSTED:
                self.metrics.posts.labels("private").inc()
                busy = True
            log.log(
                logging.DEBUG if outcome is Outcome.ALREADY else logging.INFO,
                "private scores of batch %d of challenge %d (%d items): %s",
                opening.seq,
                challenge_id,
                len(opening.items),
                outcome.value,
            )
        return busy

    def _post_root(self, head: Ledger, challenge_id: int, phase: int) -> bool:
        key = ("root", challenge_id, phase)
        challenge = head.challenges[challenge_id]
        seq = max((r.seq for r in challenge.roots), default=0) + 1
        waited = time.monotonic() - self.due_since.setdefault((*key, seq), time.monotonic())
        oracles = oracles_of(challenge, phase)
        if self.address.lower() not in (o.lower() for o in oracles):
            return False  # this phase is judged by another version of the oracle set
        poster = poster_for(seq, oracles, waited, self.config.failover_seconds)
        if (*key, seq) in self.landed:
            return False
        if poster.lower() != self.address.lower() or not self._may_ask(key):
            return False
        spec = self.materials.spec(challenge.phases[phase])
        proposal = form_root(head, challenge_id, phase, spec, self.store)
        if proposal is None:
            self._warn_once(
                f"challenge {challenge_id} phase {phase}: the rewards pay nobody; "
                "no root to post"
            )
            return False
        self._publish(proposal.report)
        typed = reward_root_typed_data(proposal.root, self.chain_id, self.platform.vault.address)
        body = RootProposalModel.of(
            proposal.cut_block, proposal.root, proposal.report_cid
        ).model_dump()
        signatures, _ = self._quorum(typed, "/v1/root-proposals", body, challenge, phase)
        if signatures is None:
            return False
        outcome = self.writer.post_root(
            proposal.root, proposal.report_cid, ordered_signatures(signatures)
        )
        if outcome in (Outcome.POSTED, Outcome.ALREADY):
            self.landed.add((*key, seq))
        if outcome is Outcome.POSTED:
            self.metrics.posts.labels("rewards").inc()
        log.log(
            logging.DEBUG if outcome is Outcome.ALREADY else logging.INFO,
            "rewards root of challenge %d phase %d (total %d, report %s): %s",
            challenge_id,
            phase,
            proposal.root.total,
            proposal.report_cid,
            outcome.value,
        )
        return outcome is Outcome.POSTED

    # ---------------------------------------------------------------- serving peers

    def review_scores(self, model: ProposalModel) -> SignatureModel | RefusalModel:
        with self._review_lock:
            proposal = model.to_proposal()
            b = proposal.batch
            read_up_to = self.chain.last_block
            if proposal.cut_block > read_up_to:
                return RefusalModel(
                    retry=True,
                    reason=f"this oracle has read blocks up to "
                    f"{read_up_to}, not yet {proposal.cut_block}",
                )
            ledger = self.chain.ledger(proposal.cut_block)
            if not self._serves(ledger, b.challenge_id):
                return RefusalModel(
                    retry=False,
                    reason=f"{self.address} does not serve " f"challenge {b.challenge_id}",
                )
            own = self._review_jobs.scored(b.challenge_id)
            runs = self._review_jobs.runs(b.challenge_id)
            proposed = [(item, m.runs) for item, m in zip(proposal.items, model.items, strict=True)]
            mismatches, agreed = review_runs(proposed, runs)
            if mismatches:
                return self._mismatch(b.challenge_id, mismatches)
            adopted = {
                sid: not_reproducible_record(
                    self.keys, b.challenge_id, b.phase, sid, runs[sid], outcomes
                )
                for sid, outcomes in agreed.items()
            }
            for sid, (record, _) in adopted.items():
                if sid in own:
                    own[sid] = replace(own[sid], item=record_item(sid, record))
            waiting = {w.submission_id for w in self._review_jobs.waiting(b.challenge_id)}
            result = review_proposal(proposal, ledger, read_up_to, own, waiting)
            if isinstance(result, Refusal):
                refetch = self._refetch(result)
                if refetch is not None:
                    return refetch
                return self._refusal(result, f"score batch {b.seq} of challenge {b.challenge_id}")
            for sid, (record, report) in adopted.items():
                self._publish(report)
                with transaction(self._review_jobs.db):
                    self._review_jobs.replace_score(sid, record)
            typed = score_batch_typed_data(
                result.batch, self.chain_id, self.platform.score_board.address
            )
            self.metrics.signatures.labels("scores").inc()
            return self._signature(typed)

    def _mismatch(self, challenge_id: int, mismatches: list[Mismatch]) -> RefusalModel:
        """Our runs of code submissions ended otherwise than the proposal says: not signed,
        our outcomes sent back so the poster can list them (NOT_REPRODUCIBLE)."""
        said = "; ".join(f"submission {m.submission_id}: {m.outcome}" for m in mismatches)
        log.info(
            "challenge %d: our runs ended otherwise than the proposal's (%s)", challenge_id, said
        )
        return RefusalModel(
            retry=True,
            reason=f"this oracle's runs ended otherwise ({said})",
            mismatches=[
                MismatchModel(submission_id=m.submission_id, outcome=m.outcome) for m in mismatches
            ],
        )

    def review_root_proposal(self, model: RootProposalModel) -> SignatureModel | RefusalModel:
        with self._review_lock:
            read_up_to = self.chain.last_block
            if model.cut_block > read_up_to:
                return RefusalModel(
                    retry=True,
                    reason=f"this oracle has read blocks up to "
                    f"{read_up_to}, not yet {model.cut_block}",
                )
            ledger = self.chain.ledger(model.cut_block)
            challenge = ledger.challenges.get(model.challenge_id)
            if (
                challenge is None
                or not self._serves(ledger, model.challenge_id)
                or not (0 <= model.phase < len(challenge.phases))
            ):
                return RefusalModel(retry=False, reason="not a phase of a challenge served here")
            try:
                spec = self.materials.spec(challenge.phases[model.phase])
            except MaterialMissing as exc:
                return RefusalModel(retry=True, reason=str(exc))
            result = review_root(
                model.to_root(),
                model.report_cid,
                model.cut_block,
                ledger,
                read_up_to,
                spec,
                self.store,
            )
            if isinstance(result, Refusal):
                return self._refusal(result, f"rewards root of challenge {model.challenge_id}")
            self._publish(result.report)
            typed = reward_root_typed_data(result.root, self.chain_id, self.platform.vault.address)
            self.metrics.signatures.labels("rewards").inc()
            return self._signature(typed)

    def _refetch(self, refusal: Refusal) -> RefusalModel | None:
        """A peer scored items that this oracle could not fetch: the content exists somewhere,
        so fetch it again (once per submission) before deciding, and ask for a retry."""
        again = [
            d.submission_id
            for d in refusal.disagreements
            if d.ours.status in NETWORK_STATUSES
            and d.theirs.status not in NETWORK_STATUSES
            and d.submission_id not in self._refetched
        ]
        if not again:
            return None
        self._refetched.update(again)
        with transaction(self._review_jobs.db):
            for submission_id in again:
                self._review_jobs.rescore(submission_id)
        log.info(
            "a peer scored submissions %s that this oracle could not fetch; fetching them " "again",
            again,
        )
        return RefusalModel(retry=True, reason=f"fetching submissions {again} again")

    def _refusal(self, refusal: Refusal, what: str) -> RefusalModel:
        if refusal.disagreements:
            self.metrics.disagreements.labels("peer").inc(len(refusal.disagreements))
            for d in refusal.disagreements:
                log.warning("DISAGREEMENT, not signing %s: %s", what, d.describe())
        elif not refusal.retry:
            log.warning("not signing %s: %s", what, refusal.reason)
        return RefusalModel(
            retry=refusal.retry, reason=refusal.reason, disagreements=len(refusal.disagreements)
        )

    def _signature(self, typed: dict[str, object]) -> SignatureModel:
        signed = sign_typed(typed, self.config.private_key)
        return SignatureModel(signer=signed.signer, signature="0x" + signed.signature.hex())

    # ---------------------------------------------------------------- operators

    def run_record(self, submission_id: int) -> bytes | None:
        with self._review_lock:
            return self._review_jobs.run_record(submission_id)

    def health(self) -> HealthModel:
        since = time.monotonic() - self.last_turn
        if self.stopping.is_set():
            status = "stopping"
        elif not self.started:
            status = "starting"
        elif since > max(30.0, 20 * self.config.poll_seconds):
            status = "stalled"
        else:
            status = "ok"
        last = self.chain.last_block
        with self._review_lock:
            jobs = self._review_jobs.counts()
            waiting = self._review_jobs.waiting()
        return HealthModel(
            status=status,
            oracle=self.address,
            last_block=last,
            lag_blocks=max(0, self.head - last),
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

    def _update_metrics(self) -> None:
        self.metrics.last_block.set(self.chain.last_block)
        self.metrics.lag_blocks.set(max(0, self.head - self.chain.last_block))
        for state, count in self.jobs.counts().items():
            self.metrics.jobs.labels(state).set(count)
        self.metrics.waiting.clear()
        for w in self.jobs.waiting()[:WAITING_SHOWN]:
            labels = (str(w.challenge_id), str(w.submission_id), w.reason)
            self.metrics.waiting.labels(*labels).set(w.waits)

    # ---------------------------------------------------------------- signals

    def _install_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return

        def stop(signum: int, _frame: FrameType | None) -> None:
            if self.stopping.is_set():
                log.warning("second signal: exiting now")
                os._exit(128 + signum)
            log.info(
                "signal %d: stopping after the current job (send it again to stop at " "once)",
                signum,
            )
            self.stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
