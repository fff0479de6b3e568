"""The index's SQLite tables, and opening the database (WAL) for the writer or for readers.

Every row carries the block (and log index) of the event it comes from, so a reorg is
undone by deleting rows of blocks past the fork point (see rewind.py). Three kinds:
- fact tables: one row per event, never updated;
- derived tables (who took part, leaderboards, improvements): recomputable from the facts;
- report tables: what a rewards root's report on IPFS says, keyed to the root's block.
Big integers (WAD scores, token amounts) are decimal TEXT; `rank_key` columns are
fixed-width hex that sorts best first whatever the challenge's direction (encoding.py).
"""

import sqlite3
from pathlib import Path

from oracle.errors import ConfigError

SCHEMA_VERSION = "9"

FACT_TABLES: dict[str, str] = {
    "challenges": """
        challenge_id INTEGER PRIMARY KEY, owner TEXT NOT NULL, token TEXT NOT NULL,
        dispute_window INTEGER NOT NULL, dispute_bond TEXT NOT NULL,
        arbiter TEXT NOT NULL, daily_cap INTEGER NOT NULL, commit_bond TEXT NOT NULL,
        parent_challenge INTEGER NOT NULL, spec_cid TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
        notice_period INTEGER NOT NULL, scoring_deadline INTEGER NOT NULL,
        max_outage_extension INTEGER NOT NULL""",
    "phases": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, spec_cid TEXT NOT NULL,
        higher_is_better INTEGER NOT NULL, baseline TEXT NOT NULL, target TEXT NOT NULL,
        eta TEXT NOT NULL, commit_start INTEGER NOT NULL, commit_end INTEGER NOT NULL,
        reveal_end INTEGER NOT NULL,
        holdout_commitment TEXT NOT NULL, bounty TEXT NOT NULL, top_up TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, phase)""",
    "holdouts": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, labels_cid TEXT NOT NULL,
        labels_digest TEXT NOT NULL, split_salt TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, revealer TEXT NOT NULL,
        PRIMARY KEY (challenge_id, phase)""",
    "oracle_sets": """
        challenge_id INTEGER NOT NULL, version INTEGER NOT NULL, oracles TEXT NOT NULL,
        quorum INTEGER NOT NULL, config_digest TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        arbiter TEXT NOT NULL, active_from INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, version)""",
    "escrows": """
        challenge_id INTEGER NOT NULL, sender TEXT NOT NULL, amount TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, PRIMARY KEY (block, log_index)""",
    "submissions": """
        submission_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL,
        phase INTEGER NOT NULL, submitter TEXT NOT NULL, commitment TEXT NOT NULL,
        bond TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        tx_hash TEXT NOT NULL""",
    "reveals": """
        submission_id INTEGER PRIMARY KEY, artifact_cid TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL""",
    "fork_edges": """
        child_id INTEGER NOT NULL, parent_id INTEGER NOT NULL, weight_ppm INTEGER NOT NULL,
        position INTEGER NOT NULL, block INTEGER NOT NULL,
        PRIMARY KEY (child_id, parent_id)""",
    "reviews": """
        submission_id INTEGER NOT NULL, reviewer TEXT NOT NULL, challenge_id INTEGER NOT NULL,
        verdict INTEGER NOT NULL, review_cid TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        PRIMARY KEY (submission_id, reviewer)""",
    # PhaseExtended: the phase's windows moved; the new ends win over the phases row's
    "phase_extensions": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL,
        waiting_submission_id INTEGER NOT NULL, revealed_at INTEGER NOT NULL,
        outage INTEGER NOT NULL, extension INTEGER NOT NULL, commit_end INTEGER NOT NULL,
        reveal_end INTEGER NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, phase)""",
    # TeamProposed (members and shares as JSON lists), TeamFormed once every member consented,
    # TeamMerged when a newer team took a formed one over whole
    "teams": """
        team_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL, proposer TEXT NOT NULL,
        members TEXT NOT NULL, shares_ppm TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL""",
    "team_formations": """
        team_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL,
        combined_submissions INTEGER NOT NULL, block INTEGER NOT NULL,
        log_index INTEGER NOT NULL""",
    "team_merges": """
        team_id INTEGER PRIMARY KEY, into_team_id INTEGER NOT NULL, block INTEGER NOT NULL,
        log_index INTEGER NOT NULL""",
    "quota_releases": """
        submission_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL,
        submitter TEXT NOT NULL, committed_at INTEGER NOT NULL, slot_freed INTEGER NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL""",
    "forfeited_bonds": """
        submission_id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, amount TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL""",
    "score_batches": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, phase INTEGER NOT NULL,
        items_hash TEXT NOT NULL, item_count INTEGER NOT NULL, relayer TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
        PRIMARY KEY (challenge_id, seq)""",
    # each submission's score under its phase's current correction
    "scores": """
        submission_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL,
        status INTEGER NOT NULL, public_score TEXT NOT NULL, private_commitment TEXT NOT NULL,
        report_digest TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        tx_hash TEXT NOT NULL, correction INTEGER NOT NULL DEFAULT 0""",
    # the owner's corrections of a phase's scorer and/or labels (CorrectionPublished)
    "corrections": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, correction INTEGER NOT NULL,
        scorer_cid TEXT NOT NULL, holdout_commitment TEXT NOT NULL, reason_cid TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
        PRIMARY KEY (challenge_id, phase, correction)""",
    # a score (and its opening, if any) a correction set aside: the `scores` and
    # `private_scores` row as it was, moved here at the correction's block (`block`); a
    # rewind past that block moves it back (rewind.py)
    "superseded_scores": """
        submission_id INTEGER NOT NULL, challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL,
        correction INTEGER NOT NULL, seq INTEGER NOT NULL, status INTEGER NOT NULL,
        public_score TEXT NOT NULL, private_commitment TEXT NOT NULL,
        report_digest TEXT NOT NULL, scored_block INTEGER NOT NULL,
        scored_log_index INTEGER NOT NULL, tx_hash TEXT NOT NULL,
        private_score TEXT, private_rank_key TEXT, salt TEXT, opened_block INTEGER,
        opened_log_index INTEGER, block INTEGER NOT NULL,
        PRIMARY KEY (submission_id, correction)""",
    # a holdout reveal whose labels a correction replaced (moved here at its block)
    "superseded_holdouts": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, labels_cid TEXT NOT NULL,
        labels_digest TEXT NOT NULL, split_salt TEXT NOT NULL, revealed_block INTEGER NOT NULL,
        revealed_log_index INTEGER NOT NULL, revealer TEXT NOT NULL, block INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, phase, revealed_block, revealed_log_index)""",
    "releases": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, participant TEXT NOT NULL,
        submission_id INTEGER NOT NULL,
        score TEXT NOT NULL, rank_key TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, PRIMARY KEY (block, log_index)""",
    "private_scores": """
        submission_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL, score TEXT NOT NULL,
        rank_key TEXT NOT NULL, salt TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL""",
    "reward_roots": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, phase INTEGER NOT NULL,
        merkle_root TEXT NOT NULL, total TEXT NOT NULL, report_cid TEXT NOT NULL,
        claimable_at INTEGER NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        tx_hash TEXT NOT NULL, PRIMARY KEY (challenge_id, seq)""",
    "disputes": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, disputer TEXT NOT NULL,
        bond TEXT NOT NULL, reason_cid TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, PRIMARY KEY (block, log_index)""",
    "resolutions": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, outcome TEXT NOT NULL,
        actor TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        claimable_at INTEGER NOT NULL,
        PRIMARY KEY (block, log_index)""",
    "claims": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, account TEXT NOT NULL,
        amount TEXT NOT NULL, block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        tx_hash TEXT NOT NULL, PRIMARY KEY (block, log_index)""",
    "refunds": """
        challenge_id INTEGER NOT NULL, owner TEXT NOT NULL, amount TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL, PRIMARY KEY (block, log_index)""",
    "block_times": """
        block INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL""",
}

DERIVED_TABLES: dict[str, str] = {
    "participants": """
        challenge_id INTEGER NOT NULL, submitter TEXT NOT NULL, submissions INTEGER NOT NULL,
        block INTEGER NOT NULL, PRIMARY KEY (challenge_id, submitter)""",
    "public_board": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, participant TEXT NOT NULL,
        submission_id INTEGER NOT NULL, score TEXT NOT NULL, rank_key TEXT NOT NULL,
        block INTEGER NOT NULL, PRIMARY KEY (challenge_id, phase, participant)""",
    "private_board": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, participant TEXT NOT NULL,
        submission_id INTEGER NOT NULL, score TEXT NOT NULL, rank_key TEXT NOT NULL,
        block INTEGER NOT NULL, PRIMARY KEY (challenge_id, phase, participant)""",
    "improvements": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, submission_id INTEGER NOT NULL,
        participant TEXT NOT NULL, previous_best TEXT NOT NULL, score TEXT NOT NULL,
        block INTEGER NOT NULL, log_index INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, block, log_index)""",
}

REPORT_TABLES: dict[str, str] = {
    # rank intervals of opened private boards (intervals.py); `block`: the latest event used
    "interval_outcomes": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, status TEXT NOT NULL,
        detail TEXT NOT NULL, block INTEGER NOT NULL, PRIMARY KEY (challenge_id, phase)""",
    "private_intervals": """
        challenge_id INTEGER NOT NULL, phase INTEGER NOT NULL, submission_id INTEGER NOT NULL,
        low TEXT NOT NULL, high TEXT NOT NULL, tie_group INTEGER NOT NULL,
        block INTEGER NOT NULL, PRIMARY KEY (challenge_id, phase, submission_id)""",
    "reward_reports": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL,
        detail TEXT NOT NULL, leaf_count INTEGER NOT NULL, escrow_left TEXT,
        block INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, seq)""",
    "reward_leaves": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, phase INTEGER NOT NULL,
        account TEXT NOT NULL, amount TEXT NOT NULL, proof TEXT NOT NULL,
        block INTEGER NOT NULL, PRIMARY KEY (challenge_id, seq, account)""",
    "reward_awards": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, phase INTEGER NOT NULL,
        submission_id INTEGER NOT NULL, improvement_award TEXT NOT NULL,
        prize_rank INTEGER, prize_award TEXT NOT NULL, received_from_children TEXT NOT NULL,
        passed_to_parents TEXT NOT NULL, final TEXT NOT NULL, block INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, seq, submission_id)""",
    "reward_passes": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, child_id INTEGER NOT NULL,
        parent_id INTEGER NOT NULL, amount TEXT NOT NULL, block INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, seq, child_id, parent_id)""",
    "reward_near_copies": """
        challenge_id INTEGER NOT NULL, seq INTEGER NOT NULL, submission_id INTEGER NOT NULL,
        source_id INTEGER NOT NULL, source_submitter TEXT NOT NULL,
        distance_ppm INTEGER NOT NULL, evidence TEXT NOT NULL, block INTEGER NOT NULL,
        PRIMARY KEY (challenge_id, seq, submission_id)""",
}

INDEXES = (
    "CREATE INDEX IF NOT EXISTS challenges_owner ON challenges (owner)",
    # time marks the API's answer cache counts (oracle/api/db.py)
    "CREATE INDEX IF NOT EXISTS phases_commit_start ON phases (commit_start)",
    "CREATE INDEX IF NOT EXISTS phases_commit_end ON phases (commit_end)",
    "CREATE INDEX IF NOT EXISTS phases_reveal_end ON phases (reveal_end)",
    "CREATE INDEX IF NOT EXISTS reward_roots_claimable ON reward_roots (claimable_at)",
    "CREATE INDEX IF NOT EXISTS submissions_challenge ON submissions "
    "(challenge_id, submission_id)",
    "CREATE INDEX IF NOT EXISTS submissions_submitter ON submissions " "(submitter, submission_id)",
    "CREATE INDEX IF NOT EXISTS participants_submitter ON participants (submitter)",
    "CREATE INDEX IF NOT EXISTS scores_batch ON scores (challenge_id, seq)",
    "CREATE INDEX IF NOT EXISTS fork_edges_parent ON fork_edges (parent_id)",
    "CREATE INDEX IF NOT EXISTS reviews_reviewer ON reviews (reviewer)",
    "CREATE INDEX IF NOT EXISTS reviews_challenge ON reviews (challenge_id)",
    "CREATE INDEX IF NOT EXISTS releases_participant ON releases (challenge_id, participant)",
    "CREATE INDEX IF NOT EXISTS claims_account ON claims (account)",
    # covering: the API reads a whole board in rank order from the index alone (60 ms, not
    # 150 ms, at 50,000 rows; oracle/api/read/rankings.py)
    "CREATE INDEX IF NOT EXISTS public_board_rank ON public_board "
    "(challenge_id, phase, rank_key, submission_id, participant, score, block)",
    "CREATE INDEX IF NOT EXISTS private_board_rank ON private_board "
    "(challenge_id, phase, rank_key, submission_id, participant, score, block)",
    "CREATE INDEX IF NOT EXISTS improvements_participant ON improvements (participant)",
    "CREATE INDEX IF NOT EXISTS reward_leaves_account ON reward_leaves (account)",
    "CREATE INDEX IF NOT EXISTS reward_passes_edge ON reward_passes (child_id, parent_id)",
    "CREATE INDEX IF NOT EXISTS reward_awards_submission ON reward_awards (submission_id)",
)

# Row counts readers need on every request (`/v1/status`), kept by triggers instead of a
# count(*) over a million rows; a rewind's DELETE counts down the same way.
COUNTED_TABLES = ("submissions",)
COUNTS_TABLE = "row_counts"

ALL_TABLES = {**FACT_TABLES, **DERIVED_TABLES, **REPORT_TABLES}
# Not block-keyed: `meta` (what the index is of) and the follower's cursor.
BOOK_KEEPING = ("meta", "follower_blocks", COUNTS_TABLE)
# Answers rendered ahead of time, NULL while pending (profile_answers.py): not block-keyed
# either, a rewind marks them all pending.
ANSWER_TABLES = {"profile_answers": "address TEXT PRIMARY KEY, body BLOB"}


def open_index(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit, see `oracle.sqlite.transaction`).

    The writer creates the file and its tables; a reader opens an existing file read-only
    and may be used from the thread pool that serves requests.
    """
    if readonly:
        if not path.is_file():
            raise ConfigError(
                f"no index at {path}; build it with `coop index rebuild` (or start "
                "`coop api serve`, which follows the chain)"
            )
        uri = f"file:{path.resolve()}?mode=ro"
        db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA query_only = ON")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA busy_timeout = 10000")
    return db


def create_tables(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    for name, columns in {**ALL_TABLES, **ANSWER_TABLES}.items():
        db.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
    for statement in INDEXES:
        db.execute(statement)
    _create_counts(db)


def _create_counts(db: sqlite3.Connection) -> None:
    db.execute(f"CREATE TABLE IF NOT EXISTS {COUNTS_TABLE} "
               "(name TEXT PRIMARY KEY, row_count INTEGER NOT NULL)")  # fmt: skip
    for table in COUNTED_TABLES:
        db.execute(f"INSERT OR IGNORE INTO {COUNTS_TABLE} "
                   f"VALUES (?, (SELECT count(*) FROM {table}))", (table,))  # fmt: skip
        for event, step in (("INSERT", "+ 1"), ("DELETE", "- 1")):
            db.execute(
                f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_counted AFTER {event} "
                f"ON {table} BEGIN UPDATE {COUNTS_TABLE} SET row_count = row_count {step} "
                f"WHERE name = '{table}'; END"
            )


def row_count(db: sqlite3.Connection, table: str) -> int:
    """The rows of a COUNTED_TABLES table, as its triggers keep count."""
    found = db.execute(f"SELECT row_count FROM {COUNTS_TABLE} WHERE name = ?", (table,)).fetchone()
    if found is None:
        raise ValueError(f"{table!r} is not a counted table; counted: {COUNTED_TABLES}")
    return int(found[0])


def drop_tables(db: sqlite3.Connection) -> None:
    """Forget everything, cursor included (inside the caller's transaction)."""
    for name in (*ALL_TABLES, *ANSWER_TABLES, *BOOK_KEEPING):
        db.execute(f"DROP TABLE IF EXISTS {name}")


def read_meta(db: sqlite3.Connection) -> dict[str, str]:
    try:
        return {str(k): str(v) for k, v in db.execute("SELECT key, value FROM meta")}
    except sqlite3.OperationalError:
        return {}


def write_meta(db: sqlite3.Connection, values: dict[str, str]) -> None:
    db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", sorted(values.items()))


def bump_version(db: sqlite3.Connection) -> None:
    """Counts changes; readers notice new data by it cheaply (SSE, the API's answer cache)."""
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('version', '1') ON CONFLICT (key) "
        "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )
