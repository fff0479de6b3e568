"""The daemon's SQLite database: WAL mode and its tables; writes use `oracle.sqlite.transaction`.

Everything the daemon knows lives in DATA_DIR/oracle.sqlite: the follower's cursor
(`follower_blocks`), the confirmed events it read (`events`), one job per revealed
submission of a served challenge (`jobs`) and the score batches it proposed (`proposals`).
Each follower step and each job result is written in one transaction, so a kill -9 at any
point leaves a database that is whole and consistent with itself.
"""

import sqlite3
from pathlib import Path

from oracle.sqlite import transaction

SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    block_number INTEGER NOT NULL, log_index INTEGER NOT NULL, block_hash BLOB NOT NULL,
    tx_hash BLOB NOT NULL, contract TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
    PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS jobs (
    submission_id INTEGER PRIMARY KEY,
    challenge_id INTEGER NOT NULL,
    phase INTEGER NOT NULL,
    reveal_block INTEGER NOT NULL,
    artifact_cid TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try_at REAL NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    waits INTEGER NOT NULL DEFAULT 0,
    status INTEGER,
    reason TEXT,
    public_wad TEXT,
    private_wad TEXT,
    salt BLOB,
    commitment BLOB,
    report_digest BLOB,
    scored_at REAL,
    scoring_seconds REAL,
    posted_seq INTEGER,
    posted_block INTEGER,
    opened_block INTEGER,
    receipt TEXT,
    run_outcome TEXT,
    run_record TEXT,
    correction INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, next_try_at);
CREATE TABLE IF NOT EXISTS proposals (
    challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, cut_block INTEGER NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (challenge_id, seq)
);
"""


def open_db(path: Path) -> sqlite3.Connection:
    """Opens (creating if needed) the daemon database in WAL mode with its tables."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    with transaction(db):
        for statement in SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        _upgrade(db)
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
    return db


def _upgrade(db: sqlite3.Connection) -> None:
    """Brings a database of an older version up to SCHEMA_VERSION (inside the caller's
    transaction): version 2 adds `jobs.waits`, the backoff count of a waiting job; version 3
    `jobs.receipt` (a code run's receipt JSON, as reported), `jobs.run_outcome` (what
    this oracle's own run gave, compared with the other oracles' runs) and
    `jobs.run_record` (its own record of the run, oracle/coderun/record.py); version 4
    `jobs.correction` (the phase's correction the job was scored under, rescore.py)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
    if "waits" not in columns:
        db.execute("ALTER TABLE jobs ADD COLUMN waits INTEGER NOT NULL DEFAULT 0")
    for added in ("receipt", "run_outcome", "run_record"):
        if added not in columns:
            db.execute(f"ALTER TABLE jobs ADD COLUMN {added} TEXT")
    if "correction" not in columns:
        db.execute("ALTER TABLE jobs ADD COLUMN correction INTEGER NOT NULL DEFAULT 0")
