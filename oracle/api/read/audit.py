"""What the index can vouch for about a challenge; the full audit is `coop audit`."""

import sqlite3

from oracle.api.models import AuditCheck, AuditStatus, BatchAudit, PhaseAudit
from oracle.api.read.challenges import phases
from oracle.api.read.common import chain_time, challenge_exists, meta
from oracle.api.read.rewards import escrow, reward_roots


def audit_status(db: sqlite3.Connection, challenge_id: int) -> AuditStatus:
    challenge_exists(db, challenge_id)
    now = chain_time(db)
    batches = [
        BatchAudit(seq=s, phase=p, item_count=n, items_hash=h, relayer=r, block=b, tx_hash=tx,
                   private_opened=bool(o))  # fmt: skip
        for s, p, n, h, r, b, tx, o in db.execute(
            "SELECT b.seq, b.phase, b.item_count, b.items_hash, b.relayer, b.block, b.tx_hash, "
            "EXISTS (SELECT 1 FROM scores sc JOIN private_scores ps USING (submission_id) "
            "WHERE sc.challenge_id = b.challenge_id AND sc.seq = b.seq) FROM score_batches b "
            "WHERE b.challenge_id = ? ORDER BY b.seq", (challenge_id,)
        )
    ]  # fmt: skip
    scored = dict(db.execute(
        "SELECT s.phase, count(*) FROM scores sc JOIN submissions s USING (submission_id) "
        "WHERE sc.challenge_id = ? GROUP BY s.phase", (challenge_id,)
    ).fetchall())  # fmt: skip
    phase_rows = [
        PhaseAudit(
            phase=p.phase,
            holdout_revealed=p.holdout is not None,
            score_batches=p.score_batches,
            private_batches_opened=p.private_batches_opened,
            scored_submissions=int(scored.get(p.phase, 0)),
        )  # fmt: skip
        for p in phases(db, challenge_id, now)
    ]
    roots = reward_roots(db, challenge_id)
    checks = [
        AuditCheck(
            name=f"report of phase {r.phase} root seq {r.seq}",
            ok={"available": True, "invalid": False}.get(r.report.status),
            detail=r.report.detail,
        )
        for r in roots
    ]
    # Unopened private scores are a wait, not a failure: they open after the reveal end.
    checks += [
        AuditCheck(
            name=f"phase {p.phase} private scores",
            ok=True if p.score_batches and p.private_batches_opened == p.score_batches else None,
            detail=f"{p.private_batches_opened} of {p.score_batches} score batches "
            "have their private scores opened (the oracles open them after the reveal end)",
        )  # fmt: skip
        for p in phase_rows
    ]
    return AuditStatus(
        challenge_id=challenge_id, indexed_block=int(meta(db, "head_block") or 0),
        full_audit=f"coop audit {challenge_id}", phases=phase_rows, score_batches=batches,
        roots=roots, escrow=escrow(db, challenge_id), checks=checks,
    )  # fmt: skip
