"""Leaderboards (public, private) and the improvements of the public best, from the index."""

import sqlite3

from oracle.api.models import (
    BoardEntry,
    BoardTeam,
    Improvement,
    Improvements,
    Leaderboard,
    Score,
)
from oracle.api.pagination import PageRequest, split_page
from oracle.api.read.common import challenge_exists, latest_phase, phase_exists
from oracle.api.read.rankings import ranked_rows
from oracle.api.read.teams import board_teams
from oracle.indexer.intervals import private_scores_opened


def _phase_rules(
    db: sqlite3.Connection, challenge_id: int, phase: int | None
) -> tuple[int, bool, Score, Score]:
    """The phase asked for (the latest by default), checked, with its direction, baseline
    and target (each phase has its own)."""
    challenge_exists(db, challenge_id)
    phase = latest_phase(db, challenge_id) if phase is None else phase
    phase_exists(db, challenge_id, phase)
    row = db.execute(
        "SELECT higher_is_better, baseline, target FROM phases "
        "WHERE challenge_id = ? AND phase = ?",
        (challenge_id, phase),
    ).fetchone()
    return phase, bool(row[0]), Score.of(row[1]), Score.of(row[2])


def _entries(
    rows: list[tuple[str, int, str, int]], offset: int, teams: dict[str, BoardTeam]
) -> list[BoardEntry]:
    return [
        BoardEntry(rank=offset + i, participant=p, submission_id=s, score=Score.of(v), block=b,
                   team=teams.get(p.lower()))
        for i, (p, s, v, b) in enumerate(rows, start=1)
    ]  # fmt: skip


def best_entry(db: sqlite3.Connection, challenge_id: int) -> BoardEntry | None:
    """The best public entry of the challenge's latest phase."""
    return top_entry(db, "public_board", challenge_id, latest_phase(db, challenge_id))


def top_entry(
    db: sqlite3.Connection, board: str, challenge_id: int, phase: int
) -> BoardEntry | None:
    """The first entry of a phase's `board` ("public_board" or "private_board")."""
    if board not in ("public_board", "private_board"):
        raise ValueError(f"no board named {board!r}")
    row = db.execute(
        f"SELECT participant, submission_id, score, block FROM {board} "
        "WHERE challenge_id = ? AND phase = ? ORDER BY rank_key, submission_id LIMIT 1",
        (challenge_id, phase),
    ).fetchone()
    return None if row is None else _entries([row], 0, board_teams(db, challenge_id, phase))[0]


def public_board(
    db: sqlite3.Connection, challenge_id: int, phase: int | None, page: PageRequest
) -> Leaderboard:
    phase, higher, baseline, target = _phase_rules(db, challenge_id, phase)
    offset = page.after() or 0
    board = ranked_rows(db, "public_board", challenge_id, phase)
    rows, cursor = split_page(board.page(offset, page.limit + 1), page.limit,
                              lambda _: offset + page.limit)  # fmt: skip
    note = (
        f"each participant's released best in phase {phase} (a formed team's once), scored "
        "on this phase's holdout split: public scores are on the eta grid and a best moves "
        "only by at least eta (the Ladder)"
    )
    if board.total == 0:
        note = f"no scores in phase {phase} yet: the oracles post them shortly after each reveal"
    return Leaderboard(
        challenge_id=challenge_id, board="public", phase=phase, higher_is_better=higher,
        baseline=baseline, target=target, opened=True, note=note, total=board.total,
        items=_entries(rows, offset, board.teams), next_cursor=cursor,
    )  # fmt: skip


def private_board(
    db: sqlite3.Connection, challenge_id: int, phase: int | None, page: PageRequest
) -> Leaderboard:
    phase, higher, baseline, target = _phase_rules(db, challenge_id, phase)
    offset = page.after() or 0
    board = ranked_rows(db, "private_board", challenge_id, phase)
    rows, cursor = split_page(board.page(offset, page.limit + 1), page.limit,
                              lambda _: offset + page.limit)  # fmt: skip
    opened = private_scores_opened(db, challenge_id, phase)
    if opened:
        note = ("each participant's (a formed team's once) best private score among valid "
                "submissions; it decides prizes")  # fmt: skip
    else:
        note = ("private scores are opened after the phase's reveal end, once the oracles "
                "reveal them; until then only the public board exists")  # fmt: skip
    entries = _entries(rows, offset, board.teams)
    items, intervals_note = _with_intervals(db, challenge_id, phase, entries)
    return Leaderboard(
        challenge_id=challenge_id, board="private", phase=phase, higher_is_better=higher,
        baseline=baseline, target=target, opened=opened, note=note, total=board.total,
        items=items, next_cursor=cursor, intervals_note=intervals_note,
    )  # fmt: skip


def _with_intervals(
    db: sqlite3.Connection, challenge_id: int, phase: int, entries: list[BoardEntry]
) -> tuple[list[BoardEntry], str | None]:
    """The entries with their intervals and tie groups, and a note on them (None: no board)."""
    outcome = db.execute(
        "SELECT status, detail FROM interval_outcomes WHERE challenge_id = ? AND phase = ?",
        (challenge_id, phase),
    ).fetchone()
    if outcome is None:
        waiting = "intervals appear once the private scores are opened and the holdout revealed"
        return entries, waiting if entries else None
    status, detail = outcome
    if status != "derived":
        return entries, f"no intervals: {detail}"
    found = {
        int(s): (Score.of(low), Score.of(high), int(group))
        for s, low, high, group in db.execute(
            "SELECT submission_id, low, high, tie_group FROM private_intervals "
            "WHERE challenge_id = ? AND phase = ?",
            (challenge_id, phase),
        )
    }
    with_intervals = [
        e.model_copy(update={"interval": found[e.submission_id][:2],
                             "tie_group": found[e.submission_id][2]})
        if e.submission_id in found else e
        for e in entries
    ]  # fmt: skip
    note = ("95% bootstrap intervals over the private rows (seeded by the revealed split "
            "salt); entries with the same tie group are statistically tied")  # fmt: skip
    return with_intervals, note


IMPROVEMENT_SQL = (
    "SELECT i.challenge_id, i.phase, i.submission_id, i.participant, i.previous_best, i.score, "
    "i.block, t.timestamp FROM improvements i LEFT JOIN block_times t USING (block)"
)


def improvements(db: sqlite3.Connection, challenge_id: int, phase: int | None) -> Improvements:
    """The moves of a phase's public best (latest phase by default), in order."""
    phase, higher, baseline, target = _phase_rules(db, challenge_id, phase)
    rows = db.execute(
        f"{IMPROVEMENT_SQL} WHERE i.challenge_id = ? AND i.phase = ? ORDER BY i.block, i.log_index",
        (challenge_id, phase),
    ).fetchall()
    return Improvements(
        challenge_id=challenge_id, phase=phase, higher_is_better=higher, baseline=baseline,
        target=target, items=[improvement(row) for row in rows],
    )  # fmt: skip


def improvement(row: tuple[int, int, int, str, str, str, int, int | None]) -> Improvement:
    c, phase, s, p, before, after, block, timestamp = row
    return Improvement(
        challenge_id=c, phase=phase, submission_id=s, participant=p,
        previous_best=Score.of(before), score=Score.of(after), block=block, timestamp=timestamp,
    )  # fmt: skip
