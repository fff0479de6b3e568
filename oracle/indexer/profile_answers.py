"""Profiles rendered ahead of time: the API's `/v1/profiles/{address}` JSON, kept in the index.

A profile gathers an address's submissions, scores, forks, improvements, reviews, rewards
and claims: a dozen queries and a few dozen objects, the costliest answer the API gives.
So the indexer renders it when it has the time, and the API sends the stored bytes.

`profile_answers` holds one row per address: the JSON, or NULL when a write since the last
rendering may have changed it ("pending"). Every write that can change a profile marks it
pending in the same transaction (`mark_touched`, `mark_all`), so a stored JSON is always
what rendering the profile now would give; the API renders a pending or missing one
itself. The rendering is the API's (`oracle.api.read.profiles.render_pending`): the
process that runs the indexer hands it over (`Indexer(render_answers=...)`), and the
indexer calls it after reaching the chain's head.
"""

import sqlite3
from collections.abc import Iterable

from oracle.chain.events import ChainEvent

# events → the argument naming an address whose profile shows the event
ACTOR_ARGS = {
    "Committed": "submitter",
    "Revealed": "submitter",
    "Reviewed": "reviewer",
    "BestReleased": "participant",
    "Claimed": "account",
}
# events about submissions → their submitters' profiles (a score, a new child's count)
SUBMISSION_ARGS = {"ScoreRecorded": "submissionId", "PrivateScoreRevealed": "submissionId"}
# events about a phase's rewards root → every account the root pays (its state, its seq)
ROOT_EVENTS = ("RewardsPosted", "RewardsDisputed", "DisputeResolved", "DisputeLapsed")


def mark_touched(db: sqlite3.Connection, events: Iterable[ChainEvent]) -> None:
    """Marks pending the profile of everyone whose profile these (applied) events change."""
    addresses: set[str] = set()
    submissions: set[int] = set()
    roots: set[tuple[int, int]] = set()
    for e in events:
        if e.name in ACTOR_ARGS:
            addresses.add(str(e[ACTOR_ARGS[e.name]]))
        if e.name in SUBMISSION_ARGS:
            submissions.add(int(e[SUBMISSION_ARGS[e.name]]))
        if e.name == "Revealed":
            submissions.update(int(parent) for parent in e["parents"])
        if e.name in ROOT_EVENTS:
            roots.add((int(e["challengeId"]), int(e["phase"])))
    for sid in submissions:
        row = db.execute(
            "SELECT submitter FROM submissions WHERE submission_id = ?", (sid,)
        ).fetchone()
        if row is not None:
            addresses.add(str(row[0]))
    for challenge_id, phase in roots:
        addresses.update(root_accounts(db, challenge_id, phase))
    mark(db, addresses)


def root_accounts(db: sqlite3.Connection, challenge_id: int, phase: int) -> list[str]:
    """Every account a root of the phase pays, under any of its posted roots."""
    return [
        str(account)
        for (account,) in db.execute(
            "SELECT DISTINCT account FROM reward_leaves WHERE challenge_id = ? AND phase = ?",
            (challenge_id, phase),
        )
    ]


def mark(db: sqlite3.Connection, addresses: Iterable[str]) -> None:
    db.executemany(
        "INSERT INTO profile_answers (address, body) VALUES (?, NULL) "
        "ON CONFLICT (address) DO UPDATE SET body = NULL",
        [(address,) for address in sorted(addresses)],
    )


def mark_all(db: sqlite3.Connection) -> None:
    """After a rewind: any profile may have changed."""
    db.execute("UPDATE profile_answers SET body = NULL")
