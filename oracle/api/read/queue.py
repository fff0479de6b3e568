"""The scoring queue from the index: pending submissions in the oracles' order, with waits."""

import sqlite3

from oracle.api.models import QueuePlace, ScoringQueue
from oracle.api.read.common import chain_time
from oracle.ledger.queue import RECENT, Pending, ScoredTimes, scoring_queue

PENDING_SQL = (
    "SELECT s.submission_id, s.challenge_id, s.phase, r.block, coalesce(t.timestamp, 0) "
    "FROM reveals r JOIN submissions s USING (submission_id) "
    "LEFT JOIN scores sc USING (submission_id) LEFT JOIN block_times t ON t.block = r.block "
    "WHERE sc.submission_id IS NULL"
)
RECENT_SQL = (
    "SELECT coalesce(rt.timestamp, 0), coalesce(st.timestamp, 0) FROM scores sc "
    "JOIN reveals r USING (submission_id) LEFT JOIN block_times rt ON rt.block = r.block "
    "LEFT JOIN block_times st ON st.block = sc.block "
    "ORDER BY sc.block DESC, sc.log_index DESC LIMIT ?"
)


def queue(db: sqlite3.Connection, challenge_id: int | None = None) -> ScoringQueue:
    """The whole queue (positions count every challenge: the oracles take them in one
    order); `challenge_id` keeps only that challenge's places."""
    pending = [Pending(*row) for row in db.execute(PENDING_SQL)]
    recent = [ScoredTimes(*row) for row in db.execute(RECENT_SQL, (RECENT,))]
    now = chain_time(db)
    built = scoring_queue(pending, recent, now or 0)
    places = [
        QueuePlace(**vars(p))
        for p in built.places
        if challenge_id is None or p.challenge_id == challenge_id
    ]
    return ScoringQueue(pending=places, seconds_per_submission=built.seconds_per_submission,
                        based_on=built.based_on, now=now)  # fmt: skip


def place_of(db: sqlite3.Connection, submission_id: int) -> QueuePlace | None:
    return next((p for p in queue(db).pending if p.submission_id == submission_id), None)
