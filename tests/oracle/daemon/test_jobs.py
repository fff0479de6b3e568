"""A waiting job: its backoff, its reason as shown, and what scoring it at last clears."""

from pathlib import Path

from oracle.daemon.db import open_db
from oracle.daemon.jobs import NOTE_CHARS, JobState, JobStore, ScoreRecord


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
