"""Undoing a reorg: every row from a block after the fork point goes, derived rows follow."""

import sqlite3

from oracle.indexer import boards, corrections, profile_answers
from oracle.indexer.schema import ALL_TABLES


def rewind(db: sqlite3.Connection, to_block: int) -> int:
    """Deletes what blocks > `to_block` wrote (in the caller's transaction); returns rows gone."""
    corrections.restore(db, to_block)
    removed = 0
    for table in ALL_TABLES:
        removed += db.execute(f"DELETE FROM {table} WHERE block > ?", (to_block,)).rowcount
    boards.recompute(db)
    profile_answers.mark_all(db)
    return removed
