"""Challenges: the list, one challenge with its phases, oracle sets and escrow."""

import json
import sqlite3

from oracle.api.models import (
    Challenge,
    ChallengeSummary,
    Holdout,
    OracleSet,
    Page,
    Phase,
    Score,
)
from oracle.api.pagination import PageRequest, split_page
from oracle.api.read.boards import best_entry, top_entry
from oracle.api.read.common import chain_time, challenge_exists, phase_state
from oracle.api.read.quota import COMMIT_END, REVEAL_END, WINDOWS_JOIN, phase_extension
from oracle.api.read.rewards import escrow
from oracle.figure_of_merit import Merit, changes

_COLUMNS = (
    "challenge_id, owner, spec_cid, token, parent_challenge, block, arbiter, dispute_window, "
    "dispute_bond, daily_cap, commit_bond, notice_period, scoring_deadline, max_outage_extension"
)


def _summary(db: sqlite3.Connection, row: tuple[object, ...], now: int | None
             ) -> ChallengeSummary:  # fmt: skip
    cid = int(str(row[0]))
    deposits = [r[0] for r in db.execute(
        "SELECT amount FROM escrows WHERE challenge_id = ?", (cid,))]  # fmt: skip
    (count,) = db.execute("SELECT count(*) FROM phases WHERE challenge_id = ?", (cid,)).fetchone()
    latest = db.execute(
        f"SELECT p.commit_start, {COMMIT_END}, {REVEAL_END}, p.higher_is_better, p.baseline, "
        f"p.target, p.eta FROM phases p {WINDOWS_JOIN} WHERE p.challenge_id = ? "
        "ORDER BY p.phase DESC LIMIT 1",
        (cid,),
    ).fetchone()
    start, end, reveal_end, higher, baseline, target, eta = latest
    submissions, participants = db.execute(
        "SELECT coalesce(sum(submissions), 0), count(*) FROM participants WHERE challenge_id = ?",
        (cid,),
    ).fetchone()
    return ChallengeSummary(
        challenge_id=cid, owner=str(row[1]), spec_cid=str(row[2]), token=str(row[3]),
        bounty=str(sum(int(str(d)) for d in deposits)), higher_is_better=bool(higher),
        baseline=Score.of(baseline), target=Score.of(target), eta=Score.of(eta),
        phase_count=int(count), state=phase_state(now, start, end, reveal_end),
        submission_count=int(submissions), participant_count=int(participants),
        best=best_entry(db, cid), created_block=int(str(row[5])),
        parent_challenge=int(str(row[4])),
    )  # fmt: skip


def list_challenges(db: sqlite3.Connection, owner: str | None, page: PageRequest
                    ) -> Page[ChallengeSummary]:  # fmt: skip
    after = page.after() or 0
    sql = f"SELECT {_COLUMNS} FROM challenges WHERE challenge_id > ?"
    args: list[object] = [after]
    if owner is not None:
        sql += " AND owner = ?"
        args.append(owner)
    rows = db.execute(sql + " ORDER BY challenge_id LIMIT ?", (*args, page.limit + 1)).fetchall()
    rows, cursor = split_page(rows, page.limit, lambda r: int(r[0]))
    now = chain_time(db)
    return Page[ChallengeSummary](items=[_summary(db, r, now) for r in rows], next_cursor=cursor)


def phases(db: sqlite3.Connection, challenge_id: int, now: int | None) -> list[Phase]:
    """Each phase with its rules, what it changed from the one before (from the rules and the
    spec CID the registry fixed; the metric and data are in the spec, which clients read
    by its CID) and the top of its boards."""
    judges = oracle_sets(db, challenge_id)
    found: list[Phase] = []
    previous: Merit | None = None
    for row in db.execute(
        "SELECT p.phase, p.spec_cid, p.higher_is_better, p.baseline, p.target, p.eta, "
        f"p.commit_start, {COMMIT_END}, {REVEAL_END}, "
        "p.holdout_commitment, p.bounty, p.block, h.labels_cid, h.labels_digest, h.split_salt, "
        "h.block, h.revealer, (SELECT count(*) FROM score_batches b "
        "WHERE b.challenge_id = p.challenge_id AND b.phase = p.phase), "
        "(SELECT count(*) FROM score_batches b WHERE b.challenge_id = "
        "p.challenge_id AND b.phase = p.phase AND EXISTS (SELECT 1 FROM scores sc JOIN "
        "private_scores ps USING (submission_id) WHERE sc.challenge_id = b.challenge_id AND "
        "sc.seq = b.seq)) FROM phases p LEFT JOIN holdouts h USING (challenge_id, phase) "
        f"{WINDOWS_JOIN} WHERE p.challenge_id = ? ORDER BY p.phase",
        (challenge_id,),
    ):
        (phase, spec_cid, higher, baseline, target, eta, start, end, reveal_end, commitment,
         bounty, block,
         labels_cid, digest, salt, holdout_block, revealer, batches, opened) = row  # fmt: skip
        holdout = None
        if labels_cid is not None:
            holdout = Holdout(labels_cid=labels_cid, labels_digest=digest, split_salt=salt,
                              block=holdout_block, revealer=revealer)  # fmt: skip
        # As ChallengeRegistry.phaseJudges: the newest set in force when its commits open.
        phase_judges = [j for j in judges if j.active_from <= start][-1:] or judges[:1]
        merit = Merit.of(spec_cid, bool(higher), int(baseline), int(target), int(eta))
        opened_board = batches > 0 and opened == batches
        found.append(Phase(
            phase=phase, spec_cid=spec_cid, higher_is_better=bool(higher),
            baseline=Score.of(baseline), target=Score.of(target), eta=Score.of(eta),
            commit_start=start, commit_end=end,
            reveal_end=reveal_end, holdout_commitment=commitment, bounty=bounty,
            state=phase_state(now, start, end, reveal_end), added_block=block, holdout=holdout,
            score_batches=batches, private_batches_opened=opened,
            judges_version=phase_judges[0].version if phase_judges else 0,
            arbiter=phase_judges[0].arbiter if phase_judges else "",
            changed=list(changes(previous, merit)),
            best_public=top_entry(db, "public_board", challenge_id, phase),
            best_private=top_entry(db, "private_board", challenge_id, phase)
            if opened_board else None,
            extension=phase_extension(db, challenge_id, phase),
        ))  # fmt: skip
        previous = merit
    return found


def oracle_sets(db: sqlite3.Connection, challenge_id: int) -> list[OracleSet]:
    return [
        OracleSet(version=v, oracles=json.loads(o), quorum=q, config_digest=d, from_block=b,
                  arbiter=a, active_from=t)
        for v, o, q, d, b, a, t in db.execute(
            "SELECT version, oracles, quorum, config_digest, block, arbiter, active_from "
            "FROM oracle_sets "
            "WHERE challenge_id = ? ORDER BY version", (challenge_id,)
        )
    ]  # fmt: skip


def challenge(db: sqlite3.Connection, challenge_id: int) -> Challenge:
    challenge_exists(db, challenge_id)
    row = db.execute(
        f"SELECT {_COLUMNS} FROM challenges WHERE challenge_id = ?", (challenge_id,)
    ).fetchone()
    now = chain_time(db)
    summary = _summary(db, row, now)
    (reviews,) = db.execute(
        "SELECT count(*) FROM reviews WHERE challenge_id = ?", (challenge_id,)
    ).fetchone()
    (improved,) = db.execute(
        "SELECT count(*) FROM improvements WHERE challenge_id = ?", (challenge_id,)
    ).fetchone()
    return Challenge(
        **summary.model_dump(), arbiter=row[6], dispute_window=row[7], dispute_bond=row[8],
        daily_cap=row[9], commit_bond=row[10], notice_period=row[11],
        scoring_deadline=row[12], max_outage_extension=row[13],
        phases=phases(db, challenge_id, now),
        oracle_sets=oracle_sets(db, challenge_id), escrow=escrow(db, challenge_id),
        review_count=reviews, improvement_count=improved,
    )  # fmt: skip
