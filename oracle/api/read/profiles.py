"""A participant's profile: submissions, improvements made, reviews, rewards and claims."""

import sqlite3

from oracle.api.models import Claim, Page, Profile, SubmissionSummary
from oracle.api.pagination import PageRequest, split_page
from oracle.api.read.boards import IMPROVEMENT_SQL, improvement
from oracle.api.read.common import SQLITE_MAX_INT
from oracle.api.read.rewards import rewards_of
from oracle.api.read.submissions import SUMMARY_SQL, reviews_of, summary
from oracle.sqlite import transaction

RECENT = 20
RENDER_BATCH = 200  # profiles per write transaction: readers never wait long


def profile_json(db: sqlite3.Connection, address: str) -> bytes:
    """The profile's JSON: as the indexer rendered it ahead of time (oracle/indexer/
    profile_answers.py), or rendered now when that one is pending or was never made."""
    body = rendered_profile(db, address)
    return profile(db, address).model_dump_json().encode() if body is None else body


def rendered_profile(db: sqlite3.Connection, address: str) -> bytes | None:
    """The profile's JSON as the indexer rendered it; None while pending or never made."""
    row = db.execute("SELECT body FROM profile_answers WHERE address = ?", (address,)).fetchone()
    return None if row is None or row[0] is None else bytes(row[0])


def render_pending(db: sqlite3.Connection) -> int:
    """Renders every pending profile, RENDER_BATCH per transaction; returns how many."""
    rendered = 0
    while True:
        with transaction(db):
            pending = [
                str(address)
                for (address,) in db.execute(
                    "SELECT address FROM profile_answers WHERE body IS NULL LIMIT ?",
                    (RENDER_BATCH,),
                )
            ]
            db.executemany(
                "UPDATE profile_answers SET body = ? WHERE address = ?",
                [(profile(db, address).model_dump_json().encode(), address) for address in pending],
            )
        rendered += len(pending)
        if len(pending) < RENDER_BATCH:
            return rendered


def profile(db: sqlite3.Connection, address: str) -> Profile:
    """Everything `address` did; an address that never acted has an empty profile."""
    counts = db.execute(
        "SELECT challenge_id, submissions FROM participants WHERE submitter = ? "
        "ORDER BY challenge_id", (address,)
    ).fetchall()  # fmt: skip
    recent = db.execute(
        f"{SUMMARY_SQL} WHERE s.submitter = ? ORDER BY s.submission_id DESC LIMIT ?",
        (address, RECENT),
    ).fetchall()
    improvements = db.execute(
        f"{IMPROVEMENT_SQL} WHERE i.participant = ? ORDER BY i.block, i.log_index", (address,)
    ).fetchall()
    claims = [
        Claim(challenge_id=c, phase=p, account=a, amount=m, block=b, tx_hash=tx)
        for c, p, a, m, b, tx in db.execute(
            "SELECT challenge_id, phase, account, amount, block, tx_hash FROM claims "
            "WHERE account = ? ORDER BY block, log_index", (address,)
        )
    ]  # fmt: skip
    return Profile(
        address=address,
        submission_count=sum(int(n) for _, n in counts),
        challenges=[int(c) for c, _ in counts],
        recent_submissions=[summary(r) for r in recent],
        improvements=[improvement(r) for r in improvements],
        reviews=reviews_of(db, "reviewer", address),
        rewards=rewards_of(db, address),
        claims=claims,
    )


def profile_submissions(
    db: sqlite3.Connection, address: str, challenge_id: int | None, page: PageRequest
) -> Page[SubmissionSummary]:
    """Newest first; the cursor is the last id seen."""
    before = page.after()
    where = ["s.submitter = ?", "s.submission_id < ?"]
    args: list[object] = [address, SQLITE_MAX_INT if before is None else before]
    if challenge_id is not None:
        where.append("s.challenge_id = ?")
        args.append(min(challenge_id, SQLITE_MAX_INT))
    rows = db.execute(
        f"{SUMMARY_SQL} WHERE {' AND '.join(where)} ORDER BY s.submission_id DESC LIMIT ?",
        (*args, page.limit + 1),
    ).fetchall()
    rows, cursor = split_page(rows, page.limit, lambda r: int(r[0]))
    return Page[SubmissionSummary](items=[summary(r) for r in rows], next_cursor=cursor)
