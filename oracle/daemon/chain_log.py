"""The confirmed events the daemon has read: kept in the `events` table and mirrored in memory.

The follower's steps are written here inside the caller's transaction (with its cursor);
the memory copy is updated only after that transaction commits (`commit`), or reloaded
from the database when it did not (`reload`). Everything the daemon decides about the
chain is a function of `ledger(at_block)`: the events up to a block, replayed with the
auditor's own `oracle.ledger.replay`, so the daemon and `coop audit` read events one way.
"""

import sqlite3
import threading
from collections.abc import Sequence

from oracle.chain.events import ChainEvent
from oracle.chain.follower import Advance, Cursor, Rewind, Step
from oracle.daemon.event_codec import decode_event, encode_args
from oracle.ledger.model import Ledger
from oracle.ledger.replay import replay


class ChainLog:
    """Events of the confirmed blocks up to `last_block`, in chain order."""

    def __init__(self, db: sqlite3.Connection, start_block: int) -> None:
        self.db = db
        self.cursor = Cursor(db, start_block)
        self._lock = threading.RLock()
        self._events: list[ChainEvent] = []
        self._last_block = start_block - 1
        self._ledgers: dict[int, Ledger] = {}
        self.reload()

    @property
    def last_block(self) -> int:
        """The last confirmed block read (and committed)."""
        with self._lock:
            return self._last_block

    def reload(self) -> None:
        """Reads the memory copy again from the database (after a rollback or a rewind)."""
        rows = self.db.execute(
            "SELECT contract, name, args, block_number, block_hash, tx_hash, log_index "
            "FROM events ORDER BY block_number, log_index"
        ).fetchall()
        events = [decode_event(*row) for row in rows]
        with self._lock:
            self._events = events
            self._last_block = self.cursor.last()[0]
            self._ledgers.clear()

    def write(self, step: Step) -> None:
        """Writes a step (events and cursor) in the caller's open transaction."""
        if isinstance(step, Rewind):
            self.db.execute("DELETE FROM events WHERE block_number > ?", (step.to_block,))
        else:
            self.db.executemany(
                "INSERT OR REPLACE INTO events (block_number, log_index, block_hash, tx_hash, "
                "contract, name, args) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.block_number,
                        e.log_index,
                        e.block_hash,
                        e.tx_hash,
                        e.contract,
                        e.name,
                        encode_args(e),
                    )
                    for e in step.events
                ],
            )
        self.cursor.apply(step)

    def commit(self, step: Step) -> None:
        """Brings the memory copy up to date once `step` is committed."""
        with self._lock:
            if isinstance(step, Rewind):
                self._events = [e for e in self._events if e.block_number <= step.to_block]
                self._last_block = step.to_block
            else:
                assert isinstance(step, Advance)
                self._events.extend(step.events)
                self._last_block = step.last_block
            self._ledgers.clear()

    def events(self, up_to_block: int | None = None) -> Sequence[ChainEvent]:
        with self._lock:
            if up_to_block is None:
                return tuple(self._events)
            return tuple(e for e in self._events if e.block_number <= up_to_block)

    def ledger(self, at_block: int | None = None) -> Ledger:
        """The platform as the events up to `at_block` (default: the last read) tell it.

        The returned ledger is shared (cached): read it, never change it."""
        with self._lock:
            block = self._last_block if at_block is None else min(at_block, self._last_block)
            cached = self._ledgers.get(block)
            if cached is None:
                cached = replay(self.events(block), block)
                if len(self._ledgers) > 8:
                    self._ledgers.clear()
                self._ledgers[block] = cached
            return cached
