"""A waiting job: its backoff, its reason as shown, and what scoring it at last clears; an
older database upgraded in place."""

import sqlite3
from pathlib import Path

from oracle.daemon.db import open_db
from oracle.daemon.jobs import NOTE_CHARS, JobState, JobStore, OwnRun, ScoreRecord
from oracle.scoring.receipt import CodeReceipt


def test_a_job_waits_longer_each_time_up_to_a_minute_and_scoring_clears_it(
    tmp_path: Path,
) -> None:
    jobs = JobStore(open_db(tmp_path / "oracle.sqlite"))
    jobs.add(7, 1, 0, 30, "bafk7")
    jobs.add(8, 1, 0, 31, "bafk8")
    delays = [jobs.hold(7, 1000.0, "scoring failed here: OSError: disk") for _ in range(8)]
    assert delays == [3.0, 6.0, 12.0, 24.0, 48.0, 60.0, 60.0, 60.0]
    (waiting,) = jobs.waiting(1)
    assert (waiting.submission_id, waiting.waits, waiting.next_try_at) == (7, 8, 1060.0)
    assert [j.submission_id for j in jobs.due(1059.0)] == [8]  # 7 holds back nobody
    assert [j.submission_id for j in jobs.due(1060.0)] == [7, 8]

    record = ScoreRecord(0, "ok", 5, 5, b"\0" * 32, b"\1" * 32, b"\2" * 32, 0.01)
    jobs.save_score(7, record)
    scored = jobs.get(7)
    assert jobs.waiting() == [] and scored is not None and scored.state is JobState.SCORED
    # a later fault starts the backoff again from its first step
    jobs.rescore(7)
    assert jobs.hold(7, 0.0, "again") == 3.0


def test_a_reason_is_shown_escaped_and_bounded(tmp_path: Path) -> None:
    jobs = JobStore(open_db(tmp_path / "oracle.sqlite"))
    jobs.add(1, 1, 0, 5, "bafk1")
    jobs.hold(1, 0.0, "bad header \x1b[31m\x07\x00" + "p" * 300_000)
    (waiting,) = jobs.waiting()
    assert waiting.reason.startswith("bad header \\x1b[31m\\x07\\x00p")
    assert len(waiting.reason) == NOTE_CHARS and waiting.reason.endswith("…")


def test_an_oracle_database_of_version_2_keeps_its_jobs_and_gains_the_run_columns(
    tmp_path: Path,
) -> None:
    path = tmp_path / "oracle.sqlite"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE jobs (submission_id INTEGER PRIMARY KEY, challenge_id INTEGER NOT NULL, "
        "phase INTEGER NOT NULL, reveal_block INTEGER NOT NULL, artifact_cid TEXT NOT NULL, "
        "state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_try_at REAL NOT NULL "
        "DEFAULT 0, note TEXT NOT NULL DEFAULT '', waits INTEGER NOT NULL DEFAULT 0, "
        "status INTEGER, reason TEXT, public_wad TEXT, private_wad TEXT, salt BLOB, "
        "commitment BLOB, report_digest BLOB, scored_at REAL, scoring_seconds REAL, "
        "posted_seq INTEGER, posted_block INTEGER, opened_block INTEGER)"
    )
    old.execute("INSERT INTO jobs (submission_id, challenge_id, phase, reveal_block, "
                "artifact_cid, state) VALUES (3, 1, 0, 9, 'bafk3', 'pending')")  # fmt: skip
    old.commit()
    old.close()
    jobs = JobStore(open_db(path))
    assert [j.submission_id for j in jobs.due(0.0)] == [3]
    receipt = CodeReceipt("bafy3", "sha256:ab", {}, {"cpu_seconds": 1.0}, 1, 0, None, "bafkp")
    record = ScoreRecord(0, "", 5, 5, b"\0" * 32, b"\1" * 32, b"\2" * 32, 0.01, receipt, "bafkp")
    jobs.save_score(3, record)
    jobs.save_run_record(3, b'{"outcome":"bafkp"}')
    assert jobs.runs(1) == {3: OwnRun("bafkp", receipt)}
    assert jobs.run_record(3) == b'{"outcome":"bafkp"}'
