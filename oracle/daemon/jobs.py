"""Jobs: one row per revealed submission of a served challenge, and the states it goes through.

    pending ──score──► scored ──ScoreRecorded──► posted ──PrivateScoreRevealed──► opened
       │  ▲
       ▼  │ (holdout or spec now available)
     waiting

`pending` jobs are scored when their `next_try_at` has come (a failed fetch is tried again
later, within limits); `waiting` ones failed for a reason that is not the submitter's fault
(the holdout or spec is missing, or scoring raised an unexpected error) and are tried again
with backoff: WAIT_FIRST_SECONDS, doubling, at most WAIT_MAX_SECONDS. A waiting job is
left out of score batches (docs/oracle.md), so it never holds back the jobs behind it.
`posted` and `opened` follow confirmed events, so a rewind (reorg) moves them back, and
drops the jobs of submissions revealed in the rewound blocks: the new chain's reveals make
new jobs.
"""

import json
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from oracle.chain.attestation import ScoreItem
from oracle.chain.events import ChainEvent
from oracle.scoring.receipt import CodeReceipt

WAIT_FIRST_SECONDS = 3.0
WAIT_MAX_SECONDS = 60.0


def wait_seconds(waits: int) -> float:
    """How long a job waits after its `waits`-th failure in a row (1 → WAIT_FIRST_SECONDS)."""
    return min(WAIT_MAX_SECONDS, WAIT_FIRST_SECONDS * 2.0 ** min(max(waits - 1, 0), 16))


class JobState(StrEnum):
    PENDING = "pending"
    WAITING = "waiting"
    SCORED = "scored"
    POSTED = "posted"
    OPENED = "opened"


@dataclass(frozen=True)
class Job:
    submission_id: int
    challenge_id: int
    phase: int
    reveal_block: int
    artifact_cid: str
    state: JobState
    attempts: int
    note: str


@dataclass(frozen=True)
class WaitingJob:
    """An unscored job held back by a failure that is not the submitter's fault."""

    submission_id: int
    challenge_id: int
    reason: str
    waits: int
    next_try_at: float


@dataclass(frozen=True)
class ScoredJob:
    """A scored submission: the item this oracle signs, and the secret that opens it."""

    submission_id: int
    challenge_id: int
    phase: int
    reveal_block: int
    state: JobState
    item: ScoreItem
    private_wad: int
    salt: bytes
    scored_at: float


@dataclass(frozen=True)
class ScoreRecord:
    """What scoring produced for one job, written in one transaction."""

    status: int
    reason: str
    public_wad: int
    private_wad: int
    salt: bytes
    commitment: bytes
    report_digest: bytes
    seconds: float
    receipt: CodeReceipt | None = None  # the one in the report (a code submission's)
    run_outcome: str | None = None  # this oracle's own run's (run_outcome), kept as it was


@dataclass(frozen=True)
class OwnRun:
    """This oracle's run of a code submission: its outcome and the receipt it reports now
    (its own run's, or the NOT_REPRODUCIBLE one that lists every oracle's outcome)."""

    outcome: str
    receipt: CodeReceipt


NOTE_CHARS = 500  # a stored reason is cut to this length


def note_text(text: str) -> str:
    """A reason as stored and shown: control characters escaped, at most NOTE_CHARS long
    (it may quote a file's bytes, and goes to JSON, /metrics and terminals)."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: NOTE_CHARS * 2])
    return shown if len(shown) <= NOTE_CHARS else shown[: NOTE_CHARS - 1] + "…"


_SCORED_COLUMNS = (
    "submission_id, challenge_id, phase, reveal_block, state, status, public_wad, "
    "commitment, report_digest, private_wad, salt, scored_at"
)


def _scored(row: tuple[Any, ...]) -> ScoredJob:
    sid, cid, phase, block, state, status, public, commitment, digest, private, salt, at = row
    item = ScoreItem(int(sid), int(status), int(public), bytes(commitment), bytes(digest))
    return ScoredJob(
        int(sid),
        int(cid),
        int(phase),
        int(block),
        JobState(state),
        item,
        int(private),
        bytes(salt),
        float(at),
    )


class JobStore:
    """The `jobs` table; every write happens in the caller's transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(
        self,
        submission_id: int,
        challenge_id: int,
        phase: int,
        reveal_block: int,
        artifact_cid: str,
    ) -> None:
        self.db.execute(
            "INSERT OR IGNORE INTO jobs (submission_id, challenge_id, phase, reveal_block, "
            "artifact_cid, state) VALUES (?, ?, ?, ?, ?, ?)",
            (submission_id, challenge_id, phase, reveal_block, artifact_cid, JobState.PENDING),
        )

    def follow(self, events: tuple[ChainEvent, ...]) -> None:
        """Moves jobs to posted / opened as their ScoreRecorded / PrivateScoreRevealed arrive."""
        for e in events:
            if e.name == "ScoreRecorded":
                self.db.execute(
                    "UPDATE jobs SET state = ?, posted_seq = ?, posted_block = ? "
                    "WHERE submission_id = ? AND state != ?",
                    (
                        JobState.POSTED,
                        int(e["seq"]),
                        e.block_number,
                        int(e["submissionId"]),
                        JobState.OPENED,
                    ),
                )
            elif e.name == "PrivateScoreRevealed":
                self.db.execute(
                    "UPDATE jobs SET state = ?, opened_block = ? WHERE submission_id = ? "
                    "AND state = ?",
                    (JobState.OPENED, e.block_number, int(e["submissionId"]), JobState.POSTED),
                )

    def rewind(self, to_block: int) -> int:
        """Forgets what blocks after `to_block` said; returns the number of jobs dropped."""
        dropped = self.db.execute("DELETE FROM jobs WHERE reveal_block > ?", (to_block,)).rowcount
        self.db.execute(
            "UPDATE jobs SET state = ?, opened_block = NULL WHERE opened_block > ?",
            (JobState.POSTED, to_block),
        )
        self.db.execute(
            "UPDATE jobs SET state = CASE WHEN status IS NULL THEN ? ELSE ? END, "
            "posted_seq = NULL, posted_block = NULL WHERE posted_block > ?",
            (JobState.PENDING, JobState.SCORED, to_block),
        )
        self.db.execute("DELETE FROM proposals WHERE cut_block > ?", (to_block,))
        return int(dropped)

    def due(self, now: float, limit: int = 1000) -> list[Job]:
        """Unscored jobs whose time has come (a job posted by others is scored too, so this
        oracle can check and open it), oldest reveal first."""
        rows = self.db.execute(
            "SELECT submission_id, challenge_id, phase, reveal_block, artifact_cid, state, "
            "attempts, note FROM jobs WHERE status IS NULL AND next_try_at <= ? "
            "ORDER BY reveal_block, submission_id LIMIT ?",
            (now, limit),
        ).fetchall()
        return [Job(r[0], r[1], r[2], r[3], r[4], JobState(r[5]), r[6], r[7]) for r in rows]

    def save_score(self, submission_id: int, record: ScoreRecord) -> None:
        self.db.execute(
            "UPDATE jobs SET state = CASE WHEN state IN (?, ?) THEN ? ELSE state END, "
            "status = ?, reason = ?, public_wad = ?, private_wad = ?, salt = ?, commitment = ?, "
            "report_digest = ?, scored_at = ?, scoring_seconds = ?, note = '', waits = 0, "
            "receipt = ?, run_outcome = ? WHERE submission_id = ? AND status IS NULL",
            (
                JobState.PENDING,
                JobState.WAITING,
                JobState.SCORED,
                *self._score_values(record),
                record.run_outcome,
                submission_id,
            ),
        )

    def replace_score(self, submission_id: int, record: ScoreRecord) -> bool:
        """Replaces the score of a job not posted yet (its run's outcome stays); False when
        it is posted already or has no score."""
        return bool(
            self.db.execute(
                "UPDATE jobs SET status = ?, reason = ?, public_wad = ?, private_wad = ?, "
                "salt = ?, commitment = ?, report_digest = ?, scored_at = ?, "
                "scoring_seconds = ?, receipt = ? WHERE submission_id = ? AND state = ?",
                (*self._score_values(record), submission_id, JobState.SCORED),
            ).rowcount
        )

    @staticmethod
    def _score_values(record: ScoreRecord) -> tuple[object, ...]:
        receipt = None if record.receipt is None else json.dumps(record.receipt.as_json())
        return (record.status, record.reason, str(record.public_wad), str(record.private_wad),
                record.salt, record.commitment, record.report_digest, time.time(),
                record.seconds, receipt)  # fmt: skip

    def save_run_record(self, submission_id: int, record: bytes) -> None:
        self.db.execute(
            "UPDATE jobs SET run_record = ? WHERE submission_id = ?",
            (record.decode(), submission_id),
        )

    def run_record(self, submission_id: int) -> bytes | None:
        """This oracle's record of its run of a code submission (None: no run here)."""
        row = self.db.execute(
            "SELECT run_record FROM jobs WHERE submission_id = ?", (submission_id,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0]).encode()

    def runs(self, challenge_id: int) -> dict[int, OwnRun]:
        """This oracle's runs of the challenge's code submissions, by submission id."""
        rows = self.db.execute(
            "SELECT submission_id, run_outcome, receipt FROM jobs WHERE challenge_id = ? "
            "AND run_outcome IS NOT NULL AND receipt IS NOT NULL",
            (challenge_id,),
        ).fetchall()
        return {
            int(sid): OwnRun(str(outcome), CodeReceipt.from_json(json.loads(receipt)))
            for sid, outcome, receipt in rows
        }

    def retry_fetch(self, submission_id: int, at: float, note: str) -> None:
        """Puts a job whose artifact could not be fetched back until `at` (one attempt more)."""
        self.db.execute(
            "UPDATE jobs SET state = CASE WHEN state = ? THEN ? ELSE state END, "
            "next_try_at = ?, note = ?, attempts = attempts + 1 "
            "WHERE submission_id = ? AND status IS NULL",
            (JobState.WAITING, JobState.PENDING, at, note_text(note), submission_id),
        )

    def hold(self, submission_id: int, now: float, reason: str) -> float:
        """Moves an unscored job to `waiting` with `reason` and the next backoff step;
        returns the seconds until it is tried again."""
        row = self.db.execute(
            "SELECT waits FROM jobs WHERE submission_id = ?", (submission_id,)
        ).fetchone()
        delay = wait_seconds(0 if row is None else int(row[0]) + 1)
        self.db.execute(
            "UPDATE jobs SET state = CASE WHEN state IN (?, ?) THEN ? ELSE state END, "
            "next_try_at = ?, note = ?, waits = waits + 1 "
            "WHERE submission_id = ? AND status IS NULL",
            (
                JobState.PENDING,
                JobState.WAITING,
                JobState.WAITING,
                now + delay,
                note_text(reason),
                submission_id,
            ),
        )
        return delay

    def waiting(self, challenge_id: int | None = None) -> list[WaitingJob]:
        """The waiting jobs (of one challenge, or all), oldest reveal first."""
        where = "state = ? AND status IS NULL"
        args: tuple[object, ...] = (JobState.WAITING,)
        if challenge_id is not None:
            where, args = where + " AND challenge_id = ?", (*args, challenge_id)
        rows = self.db.execute(
            "SELECT submission_id, challenge_id, note, waits, next_try_at FROM jobs "
            f"WHERE {where} ORDER BY reveal_block, submission_id",
            args,
        ).fetchall()
        return [WaitingJob(int(a), int(b), str(c), int(d), float(e)) for a, b, c, d, e in rows]

    def rescore(self, submission_id: int) -> None:
        """Forgets a score not yet on chain so that it is computed again (fresh attempts)."""
        self.db.execute(
            "UPDATE jobs SET state = ?, attempts = 0, next_try_at = 0, status = NULL "
            "WHERE submission_id = ? AND state = ?",
            (JobState.PENDING, submission_id, JobState.SCORED),
        )

    def scored(self, challenge_id: int | None = None) -> dict[int, ScoredJob]:
        """Every job with a score (scored, posted or opened), by submission id."""
        where = "status IS NOT NULL" + ("" if challenge_id is None else " AND challenge_id = ?")
        args: tuple[int, ...] = () if challenge_id is None else (challenge_id,)
        rows = self.db.execute(f"SELECT {_SCORED_COLUMNS} FROM jobs WHERE {where}", args)
        return {job.submission_id: job for job in map(_scored, rows.fetchall())}

    def unscored(self, challenge_id: int) -> list[tuple[int, int]]:
        """(submission id, reveal block) of the jobs of a challenge that have no score yet."""
        rows = self.db.execute(
            "SELECT submission_id, reveal_block FROM jobs WHERE challenge_id = ? "
            "AND status IS NULL",
            (challenge_id,),
        ).fetchall()
        return [(int(a), int(b)) for a, b in rows]

    def counts(self) -> dict[str, int]:
        counts = {state.value: 0 for state in JobState}
        for state, n in self.db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state"):
            counts[str(state)] = int(n)
        return counts

    def get(self, submission_id: int) -> Job | None:
        row = self.db.execute(
            "SELECT submission_id, challenge_id, phase, reveal_block, artifact_cid, state, "
            "attempts, note FROM jobs WHERE submission_id = ?",
            (submission_id,),
        ).fetchone()
        if row is None:
            return None
        return Job(row[0], row[1], row[2], row[3], row[4], JobState(row[5]), row[6], row[7])
