"""The rescore job: when the owner corrects a phase's scorer or labels, score it all again.

Each job remembers the correction of its phase it was scored under (`jobs.correction`).
`restart_corrected` finds the jobs of served challenges whose phase has a newer correction on
the ledger, forgets their scores (they go back to `pending`, fresh attempts) and marks them
with the phase's correction; it also drops this oracle's unposted proposals of those
challenges (formed under the old correction). The usual duties do the rest: scoring loads the
corrected material (materials.py: the corrected scorer, the corrected labels by their new
commitment), batches name the correction (attest.py) and go through the quorum as before,
and the rewards root waits until every submission of the phase is rescored and opened.
"""

import logging
import sqlite3

from oracle.daemon.context import DaemonContext
from oracle.daemon.jobs import JobState
from oracle.daemon.score_jobs import ScoreJobs
from oracle.ledger.model import Ledger
from oracle.sqlite import transaction

log = logging.getLogger(__name__)


def corrections_due(db: sqlite3.Connection, ledger: Ledger, served: list[int]) -> bool:
    """Whether a job of a served challenge was scored under an older correction than its
    phase's (then `restart_corrected` has work)."""
    for challenge_id in served:
        for phase in ledger.challenges[challenge_id].phases:
            if (
                phase.correction
                and db.execute(
                    "SELECT 1 FROM jobs WHERE challenge_id = ? AND phase = ? AND correction < ? "
                    "AND status IS NOT NULL LIMIT 1",
                    (challenge_id, phase.index, phase.correction),
                ).fetchone()
            ):
                return True
    return False


def restart_corrected(db: sqlite3.Connection, ledger: Ledger, served: list[int]) -> int:
    """Puts every job scored under an older correction than its phase's back to pending
    (in the caller's transaction); returns how many jobs were restarted."""
    restarted = 0
    for challenge_id in served:
        corrected = False
        for phase in ledger.challenges[challenge_id].phases:
            if phase.correction == 0:
                continue
            where = ("WHERE challenge_id = ? AND phase = ? AND correction < ?",
                     (challenge_id, phase.index, phase.correction))  # fmt: skip
            # not scored yet (revealed since, or waiting): scored under the correction anyway
            db.execute(
                f"UPDATE jobs SET correction = ? {where[0]} AND status IS NULL",
                (phase.correction, *where[1]),
            )
            n = db.execute(
                "UPDATE jobs SET state = ?, status = NULL, reason = NULL, attempts = 0, "
                "next_try_at = 0, waits = 0, note = '', posted_seq = NULL, "
                f"posted_block = NULL, opened_block = NULL, correction = ? {where[0]}",
                (JobState.PENDING, phase.correction, *where[1]),
            ).rowcount
            if n:
                corrected = True
                restarted += n
                log.info(
                    "challenge %d phase %d is under correction %d: %d submission(s) to "
                    "score again",
                    challenge_id,
                    phase.index,
                    phase.correction,
                    n,
                )
        if corrected:
            last = max((b.seq for b in ledger.challenges[challenge_id].batches), default=0)
            db.execute(
                "DELETE FROM proposals WHERE challenge_id = ? AND seq > ?", (challenge_id, last)
            )
    return restarted


class Rescoring:
    """The loop duty: jobs of a corrected phase are scored again; the scores in hand land
    first, so none computed under the old correction is kept after the restart."""

    name = "rescore"

    def __init__(self, ctx: DaemonContext, scoring: ScoreJobs) -> None:
        self.ctx = ctx
        self.scoring = scoring

    def turn(self) -> bool:
        ledger = self.ctx.chain.ledger()
        served = self.ctx.served(ledger)
        if corrections_due(self.ctx.db, ledger, served):
            self.scoring.collect(block=True)
        with transaction(self.ctx.db):
            return restart_corrected(self.ctx.db, ledger, served) > 0
