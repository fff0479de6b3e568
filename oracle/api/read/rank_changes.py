"""A corrected phase's rank changes, from the index (the same rule as `coop leaderboard
--changes`: oracle/ledger/rank_changes.py)."""

import sqlite3

from oracle.api.models import RankChange, RankChanges, Score
from oracle.api.read.common import challenge_exists, latest_phase, phase_exists
from oracle.ledger.rank_changes import Standing, changes
from oracle.status import Status
from oracle.types import Address


def _int(value: object) -> int | None:
    return None if value is None else int(str(value))


def _standings(rows: list[tuple[object, ...]]) -> list[Standing]:
    return [
        Standing(int(str(sid)), Address(str(who)), _int(status), _int(public), _int(private))
        for sid, who, status, public, private in rows
    ]


def _status(code: int | None) -> str:
    return "unscored" if code is None else Status(code).name


def rank_changes(db: sqlite3.Connection, challenge_id: int, phase: int | None) -> RankChanges:
    challenge_exists(db, challenge_id)
    phase = latest_phase(db, challenge_id) if phase is None else phase
    phase_exists(db, challenge_id, phase)
    (higher,) = db.execute(
        "SELECT higher_is_better FROM phases WHERE challenge_id = ? AND phase = ?",
        (challenge_id, phase),
    ).fetchone()
    latest = db.execute(
        "SELECT correction, reason_cid FROM corrections WHERE challenge_id = ? AND phase = ? "
        "ORDER BY correction DESC LIMIT 1",
        (challenge_id, phase),
    ).fetchone()
    if latest is None:
        return RankChanges(challenge_id=challenge_id, phase=phase, correction=0,
                           reason_cid=None, ranked_by="public", items=[])  # fmt: skip
    correction, reason_cid = int(latest[0]), str(latest[1])
    old = db.execute(
        "SELECT x.submission_id, s.submitter, x.status, x.public_score, x.private_score "
        "FROM superseded_scores x JOIN submissions s USING (submission_id) "
        "WHERE s.challenge_id = ? AND s.phase = ? AND x.correction = ?",
        (challenge_id, phase, correction - 1),
    ).fetchall()
    new = db.execute(
        "SELECT s.submission_id, s.submitter, sc.status, sc.public_score, p.score "
        "FROM submissions s JOIN reveals USING (submission_id) "
        "LEFT JOIN scores sc USING (submission_id) "
        "LEFT JOIN private_scores p USING (submission_id) "
        "WHERE s.challenge_id = ? AND s.phase = ?",
        (challenge_id, phase),
    ).fetchall()
    found = changes(phase, correction, _standings(old), _standings(new), bool(higher))
    return RankChanges(
        challenge_id=challenge_id, phase=phase, correction=correction, reason_cid=reason_cid,
        ranked_by="private" if found.by == "private" else "public",
        items=[RankChange(
            submission_id=c.submission_id, participant=c.participant,
            old_rank=c.old_rank, new_rank=c.new_rank,
            old_status=_status(c.old_status), new_status=_status(c.new_status),
            old_score=None if c.old_score is None else Score.of(c.old_score),
            new_score=None if c.new_score is None else Score.of(c.new_score),
        ) for c in found.changes],
    )  # fmt: skip
