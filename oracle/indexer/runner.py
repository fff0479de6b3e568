"""The Indexer: follows the chain into the SQLite index, one transaction per follower step.

Each step (confirmed events, or a rewind after a reorg) is read and written inside one
`BEGIN IMMEDIATE` transaction together with the follower's cursor, so a crash never
leaves the index and its cursor out of step. `rebuild` forgets everything and reads the
chain again from the deployment block in a single transaction: readers keep seeing the
old index until the new one is complete. Reward reports are fetched after the steps
that posted their roots (reports.py), each outcome in its own transaction; then the
answers those writes marked pending are rendered by `render_answers`, when the process
that runs the indexer gives one (the API's profiles: profile_answers.py).
"""

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
from requests.exceptions import RequestException

from oracle.chain.follower import Advance, Cursor, Follower, Rewind, Step
from oracle.chain.platform import Platform
from oracle.chain.raw_reads import read_raw_blocks
from oracle.errors import ConfigError, RetryableError
from oracle.indexer import intervals, reports
from oracle.indexer.facts import apply_events
from oracle.indexer.rewind import rewind
from oracle.indexer.schema import (
    SCHEMA_VERSION,
    bump_version,
    create_tables,
    drop_tables,
    open_index,
    read_meta,
    write_meta,
)
from oracle.ipfs.store import ContentStore
from oracle.rewards.published import fetch_report
from oracle.sqlite import transaction

log = logging.getLogger(__name__)

TIMESTAMP_BATCH = 500
REPORT_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class StepResult:
    """What one step did: `events` written (Advance) or `removed` rows (Rewind)."""

    kind: str  # "advance" | "rewind"
    last_block: int
    events: int = 0
    removed: int = 0


class Indexer:
    """Keeps the index at `db_path` in step with the platform's confirmed events."""

    def __init__(
        self,
        db_path: Path,
        platform: Platform,
        store: ContentStore | None = None,
        *,
        confirmations: int | None = None,
        max_blocks_per_step: int = 2000,
        render_answers: Callable[[sqlite3.Connection], object] | None = None,
    ) -> None:
        self.db_path = db_path
        self.platform = platform
        self.store = store
        # renders the answers kept ahead of time (the API's profiles) once at the head;
        # without it they stay pending and the API renders each when it is asked
        self.render_answers = render_answers
        self.db = open_index(db_path)
        self.follower = Follower(platform, confirmations, max_blocks_per_step)
        self._last_report_retry = 0.0
        self._prepare()
        self.cursor = Cursor(self.db, platform.deployment.block)

    def close(self) -> None:
        self.db.close()

    # -- identity -------------------------------------------------------------------------

    def _identity(self) -> dict[str, str]:
        d = self.platform.deployment
        return {
            "schema_version": SCHEMA_VERSION,
            "chain_id": str(d.chain_id),
            "token": d.token,
            "registry": d.registry,
            "book": d.book,
            "score_board": d.score_board,
            "vault": d.vault,
            "start_block": str(d.block),
        }

    def _prepare(self) -> None:
        meta = read_meta(self.db)
        identity = self._identity()
        if meta.get("schema_version") != SCHEMA_VERSION:
            if meta:
                log.warning("index %s has schema %s, not %s: starting it afresh",
                            self.db_path, meta.get("schema_version"), SCHEMA_VERSION)  # fmt: skip
            with transaction(self.db):
                self._reset(identity)
            return
        mismatched = sorted(k for k, v in identity.items() if meta.get(k) != v)
        if mismatched:
            raise ConfigError(
                f"the index at {self.db_path} was built for another deployment "
                f"({', '.join(f'{k} {meta.get(k)}' for k in mismatched)}); run "
                "`coop index rebuild` to rebuild it for this one, or pass another --db"
            )

    def _reset(self, identity: dict[str, str]) -> None:
        # The change counter survives a reset, so a reader never sees a counter value
        # again with other data behind it (the API caches answers by it).
        version = read_meta(self.db).get("version", "0")
        drop_tables(self.db)
        create_tables(self.db)
        write_meta(self.db, {**identity, "version": version})
        bump_version(self.db)
        self.cursor = Cursor(self.db, self.platform.deployment.block)

    # -- following ------------------------------------------------------------------------

    def step(self) -> StepResult | None:
        """Applies the follower's next step in one transaction; None when at the head."""
        with transaction(self.db):
            return self._step()

    def _step(self) -> StepResult | None:
        step = self.follower.next_step(self.cursor)
        if step is None:
            return None
        result = self._apply(step)
        self.cursor.apply(step)
        return result

    def _apply(self, step: Step) -> StepResult:
        if isinstance(step, Rewind):
            log.warning("reorg: %s", step.reason)
            removed = rewind(self.db, step.to_block)
            bump_version(self.db)
            return StepResult("rewind", step.to_block, removed=removed)
        times = self._block_times(step)
        written = apply_events(self.db, step.events)
        event_blocks = {e.block_number for e in step.events}
        self.db.executemany(
            "INSERT OR REPLACE INTO block_times VALUES (?, ?)",
            sorted((n, t) for n, t in times.items() if n in event_blocks),
        )
        write_meta(self.db, {"head_block": str(step.last_block),
                             "head_time": str(times[step.last_block])})  # fmt: skip
        if written:
            bump_version(self.db)
        return StepResult("advance", step.last_block, events=written)

    def _block_times(self, step: Advance) -> dict[int, int]:
        """Timestamps of the blocks with events and of the step's last block, read in
        JSON-RPC batches; a block whose hash changed meanwhile makes the step retry."""
        expected = {e.block_number: e.block_hash for e in step.events}
        expected[step.last_block] = step.last_hash
        numbers = sorted(expected)
        times: dict[int, int] = {}
        for start in range(0, len(numbers), TIMESTAMP_BATCH):
            chunk = numbers[start : start + TIMESTAMP_BATCH]
            for number, block in zip(chunk, read_raw_blocks(self.platform.w3, chunk), strict=True):
                if block is None or bytes.fromhex(block["hash"][2:]) != expected[number]:
                    raise RetryableError(f"block {number} changed while it was read; retrying")
                times[number] = int(block["timestamp"], 16)
        return times

    def catch_up(self) -> int:
        """Steps until the confirmed head; returns the number of events written."""
        written = 0
        while (result := self.step()) is not None:
            written += result.events
        self.fetch_reports()
        self.derive_intervals()
        self._render_answers()
        return written

    def rebuild(self) -> int:
        """Forgets everything and reads the chain again, all in one transaction."""
        written = 0
        with transaction(self.db):
            self._reset(self._identity())
            while (result := self._step()) is not None:
                written += result.events
        self.fetch_reports(retry_unavailable=True)
        self.derive_intervals(retry_unavailable=True)
        self._render_answers()
        return written

    def _render_answers(self) -> None:
        if self.render_answers is not None:
            self.render_answers(self.db)

    def fetch_reports(self, *, retry_unavailable: bool = False) -> None:
        """Fetches the reports of new roots (and, when asked, of unavailable ones)."""
        if self.store is None:
            return
        for root in reports.roots_to_fetch(self.db, retry_unavailable=retry_unavailable):
            outcome = fetch_report(self.store, root)
            if outcome.status != "available":
                log.warning("rewards root %s/%s: %s", root.challenge_id, root.seq, outcome.detail)
            with transaction(self.db):
                reports.store_outcome(self.db, root, outcome)
                bump_version(self.db)

    def derive_intervals(self, *, retry_unavailable: bool = False) -> None:
        """Derives the rank intervals of private boards that just became complete."""
        if self.store is None:
            return
        due = intervals.phases_due(self.db, retry_unavailable=retry_unavailable)
        if not due:
            return
        for outcome in intervals.derive(self.platform, self.store, due):
            if outcome.status != "derived":
                where = f"{outcome.due.challenge_id}/{outcome.due.phase}"
                log.warning("intervals of %s: %s", where, outcome.detail)
            with transaction(self.db):
                intervals.store_outcome(self.db, outcome)
                bump_version(self.db)

    def follow(self, stop: threading.Event, poll_seconds: float = 1.0) -> None:
        """Catches up, then keeps up until `stop` is set; chain faults are logged and retried."""
        while not stop.is_set():
            try:
                self.catch_up()
                now = time.monotonic()
                if now - self._last_report_retry > REPORT_RETRY_SECONDS:
                    self._last_report_retry = now
                    self.fetch_reports(retry_unavailable=True)
                    self.derive_intervals(retry_unavailable=True)
            except (RetryableError, RequestException, httpx.HTTPError, ConnectionError,
                    sqlite3.OperationalError) as exc:  # fmt: skip
                log.warning("indexer: %s; trying again in %.1f s", exc, poll_seconds)
            stop.wait(poll_seconds)
