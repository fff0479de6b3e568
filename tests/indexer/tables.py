"""Reading whole index tables back, to compare two indexes row for row."""

import sqlite3

from oracle.indexer.schema import ALL_TABLES


def dump(db: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every block-keyed table, sorted (the cursor and meta are left out)."""
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ALL_TABLES}
