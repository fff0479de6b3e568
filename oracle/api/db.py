"""Read-only connections to the index, one per thread of the request pool."""

import sqlite3
import threading
from pathlib import Path

from oracle.indexer.schema import open_index


class IndexReader:
    """Hands each thread its own read-only connection to the index at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = open_index(self.path, readonly=True)
            self._local.db = db
        return db
