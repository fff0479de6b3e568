"""Rank intervals and tie groups of each opened private board, kept in the index for the API.

Once a phase's private scores are all opened and its holdout revealed, the indexer derives
them as anyone can (oracle/ledger/ties.py: labels, artifacts and spec from IPFS, bootstrap
seeded by the split salt) and stores one outcome per phase: `derived` with a row per board
entry, `none` with the reason there are none (e.g. a program scorer), or `unavailable`
(content not fetched yet; retried later). Rows carry the block of the latest event they
depend on, so a rewind past it drops them and they are derived again.
"""

import sqlite3
from dataclasses import dataclass

from oracle.chain.platform import Platform
from oracle.errors import CoopError, IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.replay import read_ledger
from oracle.ledger.ties import TiedEntry, private_ties


def private_scores_opened(db: sqlite3.Connection, challenge_id: int, phase: int) -> bool:
    """True once every scored batch of the phase has its private scores revealed."""
    batches, opened = db.execute(
        "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM scores sc JOIN private_scores p "
        "USING (submission_id) WHERE sc.challenge_id = b.challenge_id AND sc.seq = b.seq)), 0) "
        "FROM score_batches b WHERE b.challenge_id = ? AND b.phase = ?",
        (challenge_id, phase),
    ).fetchone()
    return int(batches) > 0 and int(batches) == int(opened)


@dataclass(frozen=True)
class DuePhase:
    challenge_id: int
    phase: int
    block: int  # the latest event the intervals depend on (holdout or a private score)


def phases_due(db: sqlite3.Connection, *, retry_unavailable: bool) -> list[DuePhase]:
    """Phases with a revealed holdout and opened private scores but no outcome yet."""
    retry = "unavailable" if retry_unavailable else ""
    rows = db.execute(
        "SELECT h.challenge_id, h.phase, max(h.block, coalesce((SELECT max(p.block) FROM "
        "private_scores p JOIN submissions s USING (submission_id) WHERE s.challenge_id = "
        "h.challenge_id AND s.phase = h.phase), 0)) FROM holdouts h WHERE NOT EXISTS (SELECT "
        "1 FROM interval_outcomes o WHERE o.challenge_id = h.challenge_id AND o.phase = "
        "h.phase AND o.status != ?) ORDER BY h.challenge_id, h.phase",
        (retry,),
    ).fetchall()
    return [DuePhase(int(c), int(p), int(b)) for c, p, b in rows
            if private_scores_opened(db, int(c), int(p))]  # fmt: skip


@dataclass(frozen=True)
class IntervalOutcome:
    due: DuePhase
    status: str  # "derived" | "none" | "unavailable"
    detail: str
    ties: tuple[TiedEntry, ...] = ()


def derive(platform: Platform, store: ContentStore, due: list[DuePhase]) -> list[IntervalOutcome]:
    """Each due phase's outcome, from the ledger as it now stands and the content store."""
    ledger = read_ledger(platform)
    outcomes: list[IntervalOutcome] = []
    for phase in due:
        challenge = ledger.challenges[phase.challenge_id]
        try:
            ties = private_ties(ledger, challenge, phase.phase, store)
        except IpfsError as exc:
            outcomes.append(IntervalOutcome(phase, "unavailable", f"content not fetched: {exc}"))
        except CoopError as exc:
            outcomes.append(IntervalOutcome(phase, "none", str(exc)))
        else:
            outcomes.append(IntervalOutcome(phase, "derived", "95% intervals", tuple(ties)))
    return outcomes


def store_outcome(db: sqlite3.Connection, outcome: IntervalOutcome) -> None:
    phase = outcome.due
    key = (phase.challenge_id, phase.phase)
    db.execute("DELETE FROM interval_outcomes WHERE challenge_id = ? AND phase = ?", key)
    db.execute("DELETE FROM private_intervals WHERE challenge_id = ? AND phase = ?", key)
    db.execute(
        "INSERT INTO interval_outcomes VALUES (?, ?, ?, ?, ?)",
        (*key, outcome.status, outcome.detail, phase.block),
    )
    db.executemany(
        "INSERT INTO private_intervals VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*key, t.entry.submission_id, str(t.interval.low), str(t.interval.high), t.tie_group,
          phase.block) for t in outcome.ties],
    )  # fmt: skip
