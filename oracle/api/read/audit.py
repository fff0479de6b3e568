"""What the index can vouch for about a challenge; the full audit is `coop audit`."""

import sqlite3

from oracle.api.models import AuditCheck, AuditStatus, BatchAudit, PhaseAudit
from oracle.api.read.challenges import phases
from oracle.api.read.common import chain_time, challenge_exists, meta
from oracle.api.read.rewards import escrow, reward_roots
from oracle.types import wad_text


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
    checks += _escrow_checks(db, challenge_id)
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


def _escrow_checks(db: sqlite3.Connection, challenge_id: int) -> list[AuditCheck]:
    """Each root's report names the escrow left it was computed with; it must be what the
    vault held unallocated just before the root was posted (as `coop audit` recomputes it)."""
    before = _unallocated_before_roots(db, challenge_id)
    checks = []
    for seq, phase, claimed in db.execute(
        "SELECT r.seq, r.phase, p.escrow_left FROM reward_roots r "
        "JOIN reward_reports p USING (challenge_id, seq) WHERE r.challenge_id = ? ORDER BY r.seq",
        (challenge_id,),
    ).fetchall():
        name = f"escrow of phase {phase} root seq {seq}"
        held = before[seq]
        if claimed is None:
            detail = f"the vault held {wad_text(held)} unallocated; the report is not read yet"
            checks.append(AuditCheck(name=name, ok=None, detail=detail))
        elif int(claimed) == held:
            detail = (
                f"computed with {wad_text(held)} tokens left in escrow, what the vault held "
                "unallocated when the root was posted"
            )
            checks.append(AuditCheck(name=name, ok=True, detail=detail))
        else:
            detail = (
                f"computed with {wad_text(int(claimed))} tokens left in escrow, but the vault "
                f"held {wad_text(held)} unallocated when the root was posted"
            )
            checks.append(AuditCheck(name=name, ok=False, detail=detail))
    return checks


def _unallocated_before_roots(db: sqlite3.Connection, challenge_id: int) -> dict[int, int]:
    """Root seq → the vault's unallocated escrow just before it: deposits add, roots take
    their total, an upheld dispute gives the voided root's total back, the refund takes the
    rest; all in chain order."""
    moves: list[tuple[int, int, str, tuple[int, ...]]] = []
    cid = (challenge_id,)
    for amount, block, index in db.execute(
        "SELECT amount, block, log_index FROM escrows WHERE challenge_id = ?", cid
    ):
        moves.append((block, index, "deposit", (int(amount),)))
    for seq, phase, total, block, index in db.execute(
        "SELECT seq, phase, total, block, log_index FROM reward_roots WHERE challenge_id = ?", cid
    ):
        moves.append((block, index, "root", (seq, phase, int(total))))
    for phase, block, index in db.execute(
        "SELECT phase, block, log_index FROM resolutions WHERE challenge_id = ? "
        "AND outcome = 'upheld'", cid
    ):  # fmt: skip
        moves.append((block, index, "void", (phase,)))
    for amount, block, index in db.execute(
        "SELECT amount, block, log_index FROM refunds WHERE challenge_id = ?", cid
    ):
        moves.append((block, index, "refund", (int(amount),)))
    unallocated, live, before = 0, dict[int, int](), dict[int, int]()
    for _, _, kind, values in sorted(moves, key=lambda m: (m[0], m[1])):
        if kind == "deposit":
            unallocated += values[0]
        elif kind == "root":
            seq, phase, total = values
            before[seq] = unallocated
            unallocated -= total
            live[phase] = total
        elif kind == "void":
            unallocated += live.pop(values[0], 0)
        else:
            unallocated -= values[0]
    return before
