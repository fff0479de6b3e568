"""Leaderboards and improvements kept in SQLite, the same rules as oracle/ledger/boards.py.

Boards are per phase: each phase is scored on its own holdout split under its own rules
(direction, baseline, target, eta: the phases table).
- Public board: per phase, each participant's released best by the Ladder within the
  phase (their first valid public score, then one that beats it by at least eta).
- Private board: per phase, each participant's best opened private score of a submission a
  quorum scored valid; a tie keeps the lower submission id.
- Improvements: per phase, released public scores that beat the phase's running best
  (which starts at the baseline).
- Participants: who committed to a challenge, how often (for counts without a scan).

Each is updated as its event is written, and recomputed from the fact tables after a
rewind (`recompute`); both paths give the same rows (tests/indexer checks it).
"""

import sqlite3

from oracle.indexer.encoding import rank_key
from oracle.status import Status


def record_commit(db: sqlite3.Connection, challenge_id: int, submitter: str, block: int) -> None:
    db.execute(
        "INSERT INTO participants VALUES (?, ?, 1, ?) ON CONFLICT (challenge_id, submitter) "
        "DO UPDATE SET submissions = submissions + 1",
        (challenge_id, submitter, block),
    )


def record_public_score(db: sqlite3.Connection, submission_id: int) -> None:
    """A valid public score enters its phase's board if it is the submitter's first there or
    beats their released best of the phase by at least eta (the Ladder, per phase); a
    released score that beats the phase's running best is an improvement."""
    row = db.execute(
        "SELECT s.challenge_id, s.phase, s.submitter, sc.public_score, sc.block, sc.log_index, "
        "p.higher_is_better, p.eta, p.baseline FROM scores sc "
        "JOIN submissions s USING (submission_id) "
        "JOIN phases p ON p.challenge_id = s.challenge_id AND p.phase = s.phase "
        "WHERE sc.submission_id = ? AND sc.status = ?",
        (submission_id, int(Status.VALID)),
    ).fetchone()
    if row is None:
        return
    challenge_id, phase, submitter, score_text, block, log_index, higher, eta, baseline = row
    score, higher_is_better = int(score_text), bool(higher)

    def gain(over: int) -> int:
        return score - over if higher_is_better else over - score

    held = db.execute(
        "SELECT score FROM public_board WHERE challenge_id = ? AND phase = ? AND participant = ?",
        (challenge_id, phase, submitter),
    ).fetchone()
    if held is not None and gain(int(held[0])) < int(eta):
        return
    db.execute(
        "INSERT OR REPLACE INTO public_board VALUES (?, ?, ?, ?, ?, ?, ?)",
        (challenge_id, phase, submitter, submission_id, str(score),
         rank_key(score, higher_is_better), block),
    )  # fmt: skip
    (running,) = db.execute(
        "SELECT coalesce((SELECT score FROM improvements WHERE challenge_id = ? AND phase = ? "
        "ORDER BY block DESC, log_index DESC LIMIT 1), ?)",
        (challenge_id, phase, baseline),
    ).fetchone()
    if gain(int(running)) > 0:
        db.execute(
            "INSERT INTO improvements VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (challenge_id, phase, submission_id, submitter, str(running), str(score), block,
             log_index),
        )  # fmt: skip


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
    """Rebuilds participants, both boards and the improvements from the fact tables."""
    db.execute("DELETE FROM participants")
    db.execute(
        "INSERT INTO participants SELECT challenge_id, submitter, count(*), min(block) "
        "FROM submissions GROUP BY challenge_id, submitter"
    )
    db.execute("DELETE FROM public_board")
    db.execute("DELETE FROM improvements")
    scored = db.execute(
        "SELECT submission_id FROM scores WHERE status = ? ORDER BY block, log_index",
        (int(Status.VALID),),
    ).fetchall()
    for (submission_id,) in scored:
        record_public_score(db, submission_id)
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
