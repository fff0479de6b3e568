"""The board rows the API keeps per index state belong to one index: a process that reads
two indexes in the same state (tests, tools) gets each its own board."""

from pathlib import Path

from oracle.api.read.rankings import ranked_rows
from oracle.indexer.schema import create_tables, open_index


def _index(path: Path, rows: int) -> None:
    db = open_index(path)
    create_tables(db)
    db.execute("INSERT INTO meta VALUES ('version', '1')")
    for n in range(rows):
        db.execute(
            "INSERT INTO public_board VALUES (1, 0, ?, ?, ?, ?, 10)",
            (f"0x{n:040x}", n + 1, str(100 - n), f"{n:064d}"),
        )
    db.close()


def test_two_indexes_in_the_same_state_keep_their_own_boards(tmp_path: Path) -> None:
    _index(tmp_path / "full.sqlite3", 3)
    _index(tmp_path / "empty.sqlite3", 0)
    full = open_index(tmp_path / "full.sqlite3", readonly=True)
    empty = open_index(tmp_path / "empty.sqlite3", readonly=True)
    board = ranked_rows(full, "public_board", 1, 0)
    assert board.total == 3 and [r[1] for r in board.page(0, 50)] == [1, 2, 3]
    nothing = ranked_rows(empty, "public_board", 1, 0)
    assert (nothing.page(0, 50), nothing.total) == ([], 0)
