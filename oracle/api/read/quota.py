"""No quota lost to the oracles, as the index saw it: a phase's outage extension, and a
submission's scoring deadline and cap-slot release (docs/participant.md)."""

import sqlite3

from oracle.api.models import PhaseExtension, QuotaProtection

# Phase windows with an outage extension applied (the PhaseExtended row wins).
WINDOWS_JOIN = "LEFT JOIN phase_extensions x USING (challenge_id, phase)"
COMMIT_END = "coalesce(x.commit_end, p.commit_end)"
REVEAL_END = "coalesce(x.reveal_end, p.reveal_end)"


def phase_extension(db: sqlite3.Connection, challenge_id: int, phase: int
                    ) -> PhaseExtension | None:  # fmt: skip
    row = db.execute(
        "SELECT waiting_submission_id, revealed_at, outage, extension, block "
        "FROM phase_extensions WHERE challenge_id = ? AND phase = ?", (challenge_id, phase)
    ).fetchone()  # fmt: skip
    if row is None:
        return None
    waiting, revealed_at, outage, extension, block = row
    return PhaseExtension(waiting_submission_id=waiting, revealed_at=revealed_at, outage=outage,
                          extension=extension, block=block)  # fmt: skip


def quota_of(db: sqlite3.Connection, submission_id: int) -> QuotaProtection | None:
    """None when the submission's challenge has no scoring deadline."""
    deadline, revealed_at = db.execute(
        "SELECT c.scoring_deadline, t.timestamp FROM submissions s "
        "JOIN challenges c USING (challenge_id) LEFT JOIN reveals r USING (submission_id) "
        "LEFT JOIN block_times t ON t.block = r.block WHERE s.submission_id = ?",
        (submission_id,),
    ).fetchone()
    if not deadline:
        return None
    release = db.execute(
        "SELECT slot_freed, block FROM quota_releases WHERE submission_id = ?", (submission_id,)
    ).fetchone()
    return QuotaProtection(
        scoring_deadline=deadline,
        due_by=None if revealed_at is None else revealed_at + deadline,
        released=release is not None, slot_freed=bool(release and release[0]),
        release_block=None if release is None else release[1],
    )  # fmt: skip
