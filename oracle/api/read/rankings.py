"""A board's rows kept in rank order per index state, so any page of it is a slice.

With 50,000 participants on a board, `ORDER BY rank_key LIMIT 50 OFFSET 49950` steps
through 50,000 index entries and `count(*)` through as many again: 20 to 40 ms a request,
which 50 concurrent clients turn into a p95 over a second. The board's rows in rank order
are read once per index state (version and time marks: `db.index_state`, the key the
answer cache uses too) and board; a page is then a slice of them, with no SQL (a lookup of
the page's 51 rows by id cost 0.24 ms, a quarter of a page's CPU, at 50,000 rows); the
board's rank index covers the columns read, so reading a board is 60 ms at 50,000 rows.
The rows are kept as four columns: four objects for the garbage collector, not 50,000, and
13 MB for 50,000 rows (measured with tracemalloc).
"""

import sqlite3
from collections import OrderedDict
from dataclasses import dataclass

from oracle.api.db import StateKey, index_state
from oracle.api.models import BoardTeam
from oracle.api.read.teams import board_teams

BOARDS = ("public_board", "private_board")
KEPT = 8  # boards kept per process: those being looked at in the current state

Row = tuple[str, int, str, int]  # participant, submission id, score, block


@dataclass(frozen=True)
class RankedRows:
    """A board best first (ties: the lower submission id), one tuple per column, and the
    teams that show once on it, by member (lower case)."""

    participants: tuple[str, ...]
    submission_ids: tuple[int, ...]
    scores: tuple[str, ...]
    blocks: tuple[int, ...]
    teams: dict[str, BoardTeam]

    @property
    def total(self) -> int:
        return len(self.participants)

    def page(self, offset: int, count: int) -> list[Row]:
        end = offset + count
        return list(zip(self.participants[offset:end], self.submission_ids[offset:end],
                        self.scores[offset:end], self.blocks[offset:end], strict=True))  # fmt: skip


# keyed by the index's file too: one process may read several indexes (tests, tools)
_kept: OrderedDict[tuple[str, StateKey, str, int, int], RankedRows] = OrderedDict()


def ranked_rows(db: sqlite3.Connection, board: str, challenge_id: int, phase: int) -> RankedRows:
    """The rows of a phase's `board` in rank order, as of the index's current state; a
    formed team keeps only its best row (oracle/api/read/teams.py says which teams)."""
    if board not in BOARDS:
        raise ValueError(f"no board named {board!r}")
    (_, _, index_file) = db.execute("PRAGMA database_list").fetchone()
    key = (index_file, index_state(db), board, challenge_id, phase)
    rows = _kept.get(key)
    if rows is None:
        found = db.execute(
            f"SELECT participant, submission_id, score, block FROM {board} "
            "WHERE challenge_id = ? AND phase = ? ORDER BY rank_key, submission_id",
            (challenge_id, phase),
        ).fetchall()
        teams = board_teams(db, challenge_id, phase)
        if teams:
            shown: set[object] = set()
            found = [r for r in found if not _seen(shown, _competitor(teams, r[0]))]
        participants, ids, scores, blocks = zip(*found, strict=True) if found else ((),) * 4
        rows = RankedRows(participants, ids, scores, blocks, teams)
        _kept[key] = rows
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return rows


def _competitor(teams: dict[str, BoardTeam], participant: str) -> object:
    """A team's id for its members, the address itself outside the teams."""
    team = teams.get(participant.lower())
    return participant if team is None else team.team_id


def _seen(shown: set[object], competitor: object) -> bool:
    """Whether `competitor` (a team id, or an address outside teams) had a row already."""
    if competitor in shown:
        return True
    shown.add(competitor)
    return False
