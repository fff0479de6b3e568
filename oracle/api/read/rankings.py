"""A board's order kept per index state, so any page of it costs only its own rows.

With 50,000 participants on a board, `ORDER BY rank_key LIMIT 50 OFFSET 49950` steps
through 50,000 index entries and `count(*)` through as many again: 20 to 40 ms a request,
which 50 concurrent clients turn into a p95 over a second. The board's row ids in rank
order are read once per index state (version and time marks: `db.index_state`, the key
the answer cache uses too) and board; a page is then a slice and a lookup of its rows.
"""

import sqlite3
from collections import OrderedDict

from oracle.api.db import StateKey, index_state
from oracle.api.read.teams import board_teams

BOARDS = ("public_board", "private_board")
KEPT = 8  # orders kept per process: the boards being looked at in the current state

_orders: OrderedDict[tuple[StateKey, str, int, int], tuple[int, ...]] = OrderedDict()

Row = tuple[str, int, str, int]  # participant, submission id, score, block


def board_order(
    db: sqlite3.Connection, board: str, challenge_id: int, phase: int
) -> tuple[int, ...]:
    """The row ids of a phase's `board`, best first (ties: the lower submission id); a
    formed team keeps only its best row (oracle/api/read/teams.py says which teams)."""
    if board not in BOARDS:
        raise ValueError(f"no board named {board!r}")
    key = (index_state(db), board, challenge_id, phase)
    order = _orders.get(key)
    if order is None:
        rows = db.execute(
            f"SELECT rowid, participant FROM {board} WHERE challenge_id = ? AND phase = ? "
            "ORDER BY rank_key, submission_id", (challenge_id, phase))  # fmt: skip
        team_of = {m: t.team_id for m, t in board_teams(db, challenge_id, phase).items()}
        shown: set[object] = set()
        order = tuple(rowid for rowid, who in rows
                      if not _seen(shown, team_of.get(who.lower(), who)))  # fmt: skip
        _orders[key] = order
        while len(_orders) > KEPT:
            _orders.popitem(last=False)
    return order


def board_page(db: sqlite3.Connection, board: str, challenge_id: int, phase: int,
               offset: int, count: int) -> tuple[list[Row], int]:  # fmt: skip
    """(`count` rows of the board from `offset` on, the board's size)."""
    order = board_order(db, board, challenge_id, phase)
    wanted = order[offset : offset + count]
    if not wanted:
        return [], len(order)
    marks = ",".join("?" * len(wanted))
    found = {
        int(r[0]): (str(r[1]), int(r[2]), str(r[3]), int(r[4]))
        for r in db.execute(
            f"SELECT rowid, participant, submission_id, score, block FROM {board} "
            f"WHERE rowid IN ({marks})", wanted,
        )
    }  # fmt: skip
    return [found[rowid] for rowid in wanted if rowid in found], len(order)


def _seen(shown: set[object], competitor: object) -> bool:
    """Whether `competitor` (a team id, or an address outside teams) had a row already."""
    if competitor in shown:
        return True
    shown.add(competitor)
    return False
