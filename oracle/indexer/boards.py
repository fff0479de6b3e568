"""Leaderboards and improvements kept in SQLite, the same rules as oracle/ledger/boards.py.

- Public board: each participant's released best (their last BestReleased).
- Private board: per phase, each participant's best opened private score of a submission a
  quorum scored valid; a tie keeps the lower submission id.
- Improvements: releases that beat the challenge's running best (from the baseline).
- Participants: who committed to a challenge, how often (for counts without a scan).

Each is updated as its event is written, and recomputed from the fact tables after a
rewind (`recompute`); both paths give the same rows (tests/indexer checks it).
"""

import sqlite3
from dataclasses import dataclass

from oracle.status import Status


@dataclass(frozen=True)
class Release:
    challenge_id: int
    participant: str
    submission_id: int
    score: int
    rank_key: str
    block: int
    log_index: int


def record_commit(db: sqlite3.Connection, challenge_id: int, submitter: str, block: int) -> None:
    db.execute(
        "INSERT INTO participants VALUES (?, ?, 1, ?) ON CONFLICT (challenge_id, submitter) "
        "DO UPDATE SET submissions = submissions + 1",
        (challenge_id, submitter, block),
    )


def record_release(db: sqlite3.Connection, release: Release) -> None:
    """A participant's public best moved: replace their board row, note an improvement."""
    db.execute(
        "INSERT OR REPLACE INTO public_board VALUES (?, ?, ?, ?, ?, ?)",
        (release.challenge_id, release.participant, release.submission_id,
         str(release.score), release.rank_key, release.block),
    )  # fmt: skip
    running = _running_best(db, release.challenge_id)
    if running is None:
        return
    best, higher_is_better = running
    if release.score > best if higher_is_better else release.score < best:
        db.execute(
            "INSERT INTO improvements VALUES (?, ?, ?, ?, ?, ?, ?)",
            (release.challenge_id, release.submission_id, release.participant, str(best),
             str(release.score), release.block, release.log_index),
        )  # fmt: skip


def _running_best(db: sqlite3.Connection, challenge_id: int) -> tuple[int, bool] | None:
    """(best public score so far or the baseline, higher_is_better); None if no challenge."""
    row = db.execute(
        "SELECT c.higher_is_better, coalesce((SELECT score FROM improvements i "
        "WHERE i.challenge_id = c.challenge_id ORDER BY block DESC, log_index DESC LIMIT 1), "
        "c.baseline) FROM challenges c WHERE c.challenge_id = ?",
        (challenge_id,),
    ).fetchone()
    return None if row is None else (int(row[1]), bool(row[0]))


def record_private_score(
    db: sqlite3.Connection, submission_id: int, score: int, key: str, block: int
) -> None:
    """An opened private score enters the private board if its submission is valid and best."""
    row = db.execute(
        "SELECT s.challenge_id, s.phase, s.submitter FROM submissions s "
        "JOIN scores sc USING (submission_id) WHERE s.submission_id = ? AND sc.status = ?",
        (submission_id, int(Status.VALID)),
    ).fetchone()
    if row is None:
        return
    challenge_id, phase, submitter = row
    held = db.execute(
        "SELECT rank_key, submission_id FROM private_board "
        "WHERE challenge_id = ? AND phase = ? AND participant = ?",
        (challenge_id, phase, submitter),
    ).fetchone()
    if held is not None and (held[0], held[1]) <= (key, submission_id):
        return
    db.execute(
        "INSERT OR REPLACE INTO private_board VALUES (?, ?, ?, ?, ?, ?, ?)",
        (challenge_id, phase, submitter, submission_id, str(score), key, block),
    )


def recompute(db: sqlite3.Connection) -> None:
    """Rebuilds participants and both boards from the fact tables (improvements only need
    their rows past the fork deleted: each depends on the releases before it alone)."""
    db.execute("DELETE FROM participants")
    db.execute(
        "INSERT INTO participants SELECT challenge_id, submitter, count(*), min(block) "
        "FROM submissions GROUP BY challenge_id, submitter"
    )
    db.execute("DELETE FROM public_board")
    db.execute(
        "INSERT INTO public_board SELECT challenge_id, participant, submission_id, score, "
        "rank_key, block FROM (SELECT *, row_number() OVER (PARTITION BY challenge_id, "
        "participant ORDER BY block DESC, log_index DESC) AS newest FROM releases) "
        "WHERE newest = 1"
    )
    db.execute("DELETE FROM private_board")
    db.execute(
        "INSERT INTO private_board SELECT challenge_id, phase, submitter, submission_id, "
        "score, rank_key, block FROM (SELECT s.challenge_id, s.phase, s.submitter, "
        "p.submission_id, p.score, p.rank_key, p.block, row_number() OVER (PARTITION BY "
        "s.challenge_id, s.phase, s.submitter ORDER BY p.rank_key, p.submission_id) AS best "
        "FROM private_scores p JOIN submissions s USING (submission_id) "
        "JOIN scores sc USING (submission_id) WHERE sc.status = ?) WHERE best = 1",
        (int(Status.VALID),),
    )
