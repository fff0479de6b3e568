"""Read-only connections to the index (one per thread) and the memory of answers (cache.py).

An answer depends only on the request and the index's state: its change counter (bumped
by every write of the indexer) and how many time marks chain time has passed (a phase's
commit start, commit end and reveal end, a root's claimable time), since those alone make
an answer change as time goes by (phase states, `claims_open`).
"""

import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path

from oracle.indexer.schema import open_index

CACHE_ENTRIES = 4096

StateKey = tuple[str, str]


class AnswerCache:
    """A small thread-safe LRU of (body, etag) keyed by request and index state."""

    def __init__(self, entries: int = CACHE_ENTRIES) -> None:
        self.entries = entries
        self._items: OrderedDict[tuple[str, str, StateKey], tuple[bytes, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, StateKey]) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[str, str, StateKey], value: tuple[bytes, str]) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


class IndexReader:
    """Hands each thread its own read-only connection to the index at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cache = AnswerCache()
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = open_index(self.path, readonly=True)
            self._local.db = db
        return db


STATE_SQL = """
SELECT (SELECT value FROM meta WHERE key = 'version'),
       (SELECT count(*) FROM phases WHERE commit_start <= t.now)
     + (SELECT count(*) FROM phases WHERE commit_end <= t.now)
     + (SELECT count(*) FROM phases WHERE reveal_end < t.now)
     + (SELECT count(*) FROM phase_extensions WHERE commit_end <= t.now)
     + (SELECT count(*) FROM phase_extensions WHERE reveal_end < t.now)
     + (SELECT count(*) FROM reward_roots WHERE claimable_at <= t.now)
     + (SELECT count(*) FROM resolutions WHERE claimable_at <= t.now)
FROM (SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'head_time'), -1)
      AS now) AS t
"""


def index_state(db: sqlite3.Connection) -> StateKey:
    """(change counter, time marks passed): a write, or time crossing a window, changes it."""
    version, marks = db.execute(STATE_SQL).fetchone()
    return str(version), str(marks)
