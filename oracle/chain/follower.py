"""Following the chain: confirmed events in order, and a rewind when a reorg is seen.

A consumer (the oracle daemon, the indexer) keeps its cursor in its own SQLite database,
in the table `follower_blocks`, and applies each step in the same transaction as its own
writes, so a crash at any point leaves cursor and data consistent:

    with db:                                   # one transaction
        step = follower.next_step(cursor)
        if isinstance(step, Rewind):
            drop everything derived from blocks > step.to_block
        elif isinstance(step, Advance):
            apply step.events
        cursor.apply(step)

Only blocks at least `confirmations` deep are read: by default 0 on a development chain
and SAFE_CONFIRMATIONS (12) on any other (oracle/chain/dev_chains.py). The cursor
remembers the hash of every block it read events from and of the last block of each step.
Before reading further, the follower checks the newest remembered block is still on the
chain; if not, it walks back to the newest remembered block that is, and asks the
consumer to rewind there. A reorg deeper than everything remembered rewinds to the deployment block.
"""

import sqlite3
from dataclasses import dataclass

from web3.exceptions import BlockNotFound

from oracle.chain.dev_chains import default_confirmations
from oracle.chain.events import ChainEvent, EventDecoder
from oracle.chain.platform import Platform
from oracle.errors import RetryableError

REMEMBERED_BLOCKS = 512


@dataclass(frozen=True)
class Advance:
    """Events of the confirmed blocks first_block..last_block (inclusive), in chain order."""

    first_block: int
    last_block: int
    last_hash: bytes
    events: tuple[ChainEvent, ...]


@dataclass(frozen=True)
class Rewind:
    """Blocks after `to_block` were replaced: forget everything derived from them."""

    to_block: int
    reason: str


Step = Advance | Rewind


class Cursor:
    """The follower's position, stored in the consumer's SQLite database."""

    def __init__(self, db: sqlite3.Connection, start_block: int) -> None:
        self.db = db
        self.start_block = start_block
        db.execute(
            "CREATE TABLE IF NOT EXISTS follower_blocks "
            "(number INTEGER PRIMARY KEY, hash BLOB NOT NULL)"
        )

    def last(self) -> tuple[int, bytes | None]:
        """(last block read, its hash); (start_block - 1, None) before the first step."""
        row = self.db.execute(
            "SELECT number, hash FROM follower_blocks ORDER BY number DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return self.start_block - 1, None
        return int(row[0]), bytes(row[1])

    def remembered(self) -> list[tuple[int, bytes]]:
        rows = self.db.execute(
            "SELECT number, hash FROM follower_blocks ORDER BY number DESC"
        ).fetchall()
        return [(int(n), bytes(h)) for n, h in rows]

    def apply(self, step: Step) -> None:
        if isinstance(step, Rewind):
            self.db.execute("DELETE FROM follower_blocks WHERE number > ?", (step.to_block,))
            return
        seen = {e.block_number: e.block_hash for e in step.events}
        seen[step.last_block] = step.last_hash
        self.db.executemany(
            "INSERT OR REPLACE INTO follower_blocks (number, hash) VALUES (?, ?)",
            sorted(seen.items()),
        )
        self.db.execute(
            "DELETE FROM follower_blocks WHERE number NOT IN "
            "(SELECT number FROM follower_blocks ORDER BY number DESC LIMIT ?)",
            (REMEMBERED_BLOCKS,),
        )


class Follower:
    """Reads the platform's confirmed events step by step; see the module docstring."""

    def __init__(
        self, platform: Platform, confirmations: int | None = None, max_blocks_per_step: int = 2000
    ) -> None:
        self.platform = platform
        self.w3 = platform.w3
        self.decoder = EventDecoder(platform)
        if confirmations is None:
            confirmations = default_confirmations(platform.deployment.chain_id)
        self.confirmations = confirmations
        self.max_blocks_per_step = max_blocks_per_step

    def confirmed_head(self) -> int:
        return int(self.w3.eth.block_number) - self.confirmations

    def next_step(self, cursor: Cursor) -> Step | None:
        """The next thing to apply, or None when the cursor is at the confirmed head."""
        rewind = self._detect_reorg(cursor)
        if rewind is not None:
            return rewind
        last, _ = cursor.last()
        target = min(self.confirmed_head(), last + self.max_blocks_per_step)
        if target <= last:
            return None
        before = self._hash_of(target)
        events = tuple(self.decoder.read(last + 1, target))
        after = self._hash_of(target)
        stale = [e for e in events if e.block_number == target and e.block_hash != after]
        if after is None or before != after or stale:
            raise RetryableError(
                f"block {target} changed while its logs were read (a reorg in progress); "
                "the same step will be tried again"
            )
        return Advance(first_block=last + 1, last_block=target, last_hash=after, events=events)

    def _hash_of(self, number: int) -> bytes | None:
        """The hash of block `number` on the chain now; None when the chain is shorter."""
        try:
            block = self.w3.eth.get_block(number)
        except BlockNotFound:
            return None
        return bytes(block["hash"]) if "hash" in block else None

    def _detect_reorg(self, cursor: Cursor) -> Rewind | None:
        last, last_hash = cursor.last()
        if last_hash is None or self._hash_of(last) == last_hash:
            return None
        for number, remembered in cursor.remembered():
            if number <= self.confirmed_head() and self._hash_of(number) == remembered:
                return Rewind(number, f"block {last} was replaced; back to block {number}")
        return Rewind(
            cursor.start_block - 1,
            f"block {last} was replaced deeper than the {REMEMBERED_BLOCKS} blocks remembered;"
            " reading again from the deployment block",
        )
