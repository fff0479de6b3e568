"""Submissions: lists with filters, one submission with everything known, the fork graph."""

import sqlite3
from typing import Literal

from oracle.api.models import (
    ForkEdge,
    ForkGraph,
    ForkLink,
    ForkNode,
    NearCopyOf,
    Page,
    PrivateScore,
    Review,
    Score,
    ScoreRecord,
    Submission,
    SubmissionReward,
    SubmissionSummary,
)
from oracle.api.pagination import PageRequest, split_page
from oracle.api.problems import not_found
from oracle.api.read.common import (
    SQLITE_MAX_INT,
    challenge_exists,
    status_name,
    status_reason,
    submission_state,
    verdict_name,
)
from oracle.api.read.queue import place_of
from oracle.api.read.quota import quota_of
from oracle.status import Status
from oracle.types import ppm_text

StateFilter = Literal["committed", "revealed", "scored"]

SUMMARY_SQL = (
    "SELECT s.submission_id, s.challenge_id, s.phase, s.submitter, r.artifact_cid, sc.status, "
    "sc.public_score, s.block, "
    "(SELECT count(*) FROM fork_edges f WHERE f.child_id = s.submission_id), "
    "(SELECT count(*) FROM fork_edges f WHERE f.parent_id = s.submission_id) "
    "FROM submissions s LEFT JOIN reveals r USING (submission_id) "
    "LEFT JOIN scores sc USING (submission_id)"
)


def summary(row: tuple[object, ...]) -> SubmissionSummary:
    sid, cid, phase, submitter, cid_text, status, public, block, parents, children = row
    scored = status is not None
    code = int(str(status)) if scored else None
    valid = None if code is None else code == Status.VALID
    return SubmissionSummary(
        submission_id=int(str(sid)), challenge_id=int(str(cid)), phase=int(str(phase)),
        submitter=str(submitter), state=submission_state(cid_text is not None, scored),
        status=code, status_name=None if code is None else status_name(code), valid=valid,
        public_score=Score.of(str(public)) if valid else None,
        artifact_cid=None if cid_text is None else str(cid_text), commit_block=int(str(block)),
        parent_count=int(str(parents)), child_count=int(str(children)),
    )  # fmt: skip


def list_submissions(
    db: sqlite3.Connection, challenge_id: int, page: PageRequest, *, phase: int | None,
    submitter: str | None, state: StateFilter | None, valid: bool | None,
) -> Page[SubmissionSummary]:  # fmt: skip
    challenge_exists(db, challenge_id)
    where = ["s.challenge_id = ?", "s.submission_id > ?"]
    args: list[object] = [challenge_id, page.after() or 0]
    if phase is not None:
        where.append("s.phase = ?")
        args.append(min(phase, SQLITE_MAX_INT))
    if submitter is not None:
        where.append("s.submitter = ?")
        args.append(submitter)
    if state == "committed":
        where.append("r.submission_id IS NULL")
    elif state == "revealed":
        where.append("r.submission_id IS NOT NULL AND sc.submission_id IS NULL")
    elif state == "scored":
        where.append("sc.submission_id IS NOT NULL")
    if valid is not None:
        where.append("sc.status = ?" if valid else "sc.status != ?")
        args.append(int(Status.VALID))
    rows = db.execute(
        f"{SUMMARY_SQL} WHERE {' AND '.join(where)} ORDER BY s.submission_id LIMIT ?",
        (*args, page.limit + 1),
    ).fetchall()
    rows, cursor = split_page(rows, page.limit, lambda r: int(r[0]))
    return Page[SubmissionSummary](items=[summary(r) for r in rows], next_cursor=cursor)


def _links(db: sqlite3.Connection, sql: str, submission_id: int) -> list[ForkLink]:
    return [
        ForkLink(submission_id=i, challenge_id=c, submitter=s, weight_ppm=w)
        for i, c, s, w in db.execute(sql, (submission_id,))
    ]


def reviews_of(db: sqlite3.Connection, where: str, value: object) -> list[Review]:
    return [
        Review(submission_id=s, challenge_id=c, reviewer=r, verdict=v,
               verdict_name=verdict_name(v), review_cid=cid, block=b)  # fmt: skip
        for s, c, r, v, cid, b in db.execute(
            "SELECT submission_id, challenge_id, reviewer, verdict, review_cid, block "
            f"FROM reviews WHERE {where} = ? ORDER BY block, log_index", (value,)
        )
    ]  # fmt: skip


def submission(db: sqlite3.Connection, submission_id: int) -> Submission:
    row = None
    if submission_id <= SQLITE_MAX_INT:
        row = db.execute(f"{SUMMARY_SQL} WHERE s.submission_id = ?", (submission_id,)).fetchone()
    if row is None:
        raise not_found("unknown_submission", f"submission {submission_id} is not in the "
                        "index: no Committed event names it (yet)")  # fmt: skip
    base = summary(row)
    commitment, bond, commit_tx, commit_time = db.execute(
        "SELECT s.commitment, s.bond, s.tx_hash, t.timestamp FROM submissions s "
        "LEFT JOIN block_times t USING (block) WHERE s.submission_id = ?", (submission_id,)
    ).fetchone()  # fmt: skip
    reveal = db.execute(
        "SELECT block FROM reveals WHERE submission_id = ?", (submission_id,)
    ).fetchone()
    return Submission(
        **base.model_dump(), commitment=commitment, bond=bond, commit_tx=commit_tx,
        commit_timestamp=commit_time, reveal_block=None if reveal is None else reveal[0],
        parents=_links(db, "SELECT f.parent_id, s.challenge_id, s.submitter, f.weight_ppm "
                       "FROM fork_edges f JOIN submissions s ON s.submission_id = f.parent_id "
                       "WHERE f.child_id = ? ORDER BY f.position", submission_id),
        children=_links(db, "SELECT f.child_id, s.challenge_id, s.submitter, f.weight_ppm "
                        "FROM fork_edges f JOIN submissions s ON s.submission_id = f.child_id "
                        "WHERE f.parent_id = ? ORDER BY f.child_id", submission_id),
        score=_score(db, submission_id), private_score=_private(db, submission_id),
        reviews=reviews_of(db, "submission_id", submission_id),
        rewards=_rewards(db, submission_id),
        queue=place_of(db, submission_id) if base.state == "revealed" else None,
        quota=quota_of(db, submission_id),
    )  # fmt: skip


def _score(db: sqlite3.Connection, submission_id: int) -> ScoreRecord | None:
    row = db.execute(
        "SELECT status, public_score, private_commitment, report_digest, seq, block, tx_hash "
        "FROM scores WHERE submission_id = ?", (submission_id,)
    ).fetchone()  # fmt: skip
    if row is None:
        return None
    status, public, commitment, digest, seq, block, tx = row
    valid = status == Status.VALID
    return ScoreRecord(
        status=status, status_name=status_name(status), valid=valid,
        reason=status_reason(status), public_score=Score.of(public) if valid else None,
        private_commitment=commitment, report_digest=digest, seq=seq, block=block, tx_hash=tx,
    )  # fmt: skip


def _private(db: sqlite3.Connection, submission_id: int) -> PrivateScore | None:
    row = db.execute(
        "SELECT p.score, p.salt, p.block, sc.status FROM private_scores p "
        "JOIN scores sc USING (submission_id) WHERE p.submission_id = ?",
        (submission_id,),
    ).fetchone()
    if row is None:
        return None
    score, salt, block, status = row
    valid = status == Status.VALID
    return PrivateScore(score=Score.of(score) if valid else None, salt=salt, block=block)


def _rewards(db: sqlite3.Connection, submission_id: int) -> list[SubmissionReward]:
    return [
        SubmissionReward(phase=p, seq=q, improvement_award=i, prize_rank=r, prize_award=a,
                         received_from_children=rc, passed_to_parents=pp, final=f,
                         near_copy_of=_near_copy(db, c, q, submission_id))  # fmt: skip
        for c, p, q, i, r, a, rc, pp, f in db.execute(
            "SELECT challenge_id, phase, seq, improvement_award, prize_rank, prize_award, "
            "received_from_children, passed_to_parents, final FROM reward_awards "
            "WHERE submission_id = ? ORDER BY seq", (submission_id,)
        )
    ]  # fmt: skip


def _near_copy(
    db: sqlite3.Connection, challenge_id: int, seq: int, submission_id: int
) -> NearCopyOf | None:
    row = db.execute(
        "SELECT source_id, source_submitter, distance_ppm, evidence FROM reward_near_copies "
        "WHERE challenge_id = ? AND seq = ? AND submission_id = ?",
        (challenge_id, seq, submission_id),
    ).fetchone()
    if row is None:
        return None
    source, submitter, ppm, evidence = row
    return NearCopyOf(source_id=source, source_submitter=submitter, distance_ppm=ppm,
                      distance=ppm_text(ppm), evidence=evidence)  # fmt: skip


def fork_graph(db: sqlite3.Connection, challenge_id: int, page: PageRequest) -> ForkGraph:
    """Edges whose child is in the challenge (a page, by child id), and the nodes they touch;
    an edge's reward flow is what the child passed to that parent in the latest report."""
    challenge_exists(db, challenge_id)
    children = [int(r[0]) for r in db.execute(
        "SELECT DISTINCT f.child_id FROM fork_edges f JOIN submissions s ON s.submission_id = "
        "f.child_id WHERE s.challenge_id = ? AND f.child_id > ? ORDER BY f.child_id LIMIT ?",
        (challenge_id, page.after() or 0, page.limit + 1),
    )]  # fmt: skip
    children, cursor = split_page(children, page.limit, lambda c: c)
    rows = db.execute(
        "SELECT f.child_id, f.parent_id, f.weight_ppm, (SELECT amount FROM reward_passes p "
        "WHERE p.child_id = f.child_id AND p.parent_id = f.parent_id ORDER BY p.seq DESC "
        f"LIMIT 1) FROM fork_edges f WHERE f.child_id IN ({','.join('?' * len(children))}) "
        "ORDER BY f.child_id, f.position",
        children,
    ).fetchall()
    edges = [ForkEdge(child=c, parent=p, weight_ppm=w, reward_flow=flow)
             for c, p, w, flow in rows]  # fmt: skip
    ids = sorted({e.child for e in edges} | {e.parent for e in edges})
    nodes = []
    for sid in ids:
        found = db.execute(f"{SUMMARY_SQL} WHERE s.submission_id = ?", (sid,)).fetchone()
        if found is None:
            continue
        s = summary(found)
        nodes.append(ForkNode(
            submission_id=s.submission_id, challenge_id=s.challenge_id, submitter=s.submitter,
            state=s.state, status_name=s.status_name, public_score=s.public_score,
            external=s.challenge_id != challenge_id,
        ))  # fmt: skip
    return ForkGraph(challenge_id=challenge_id, nodes=nodes, edges=edges, next_cursor=cursor)
