"""Faults a single `coop oracle run` (quorum 1) must survive: kill -9 at random points, a
reorg after it scored, IPFS content that is missing or does not match its CID."""

import json
import random
import signal
import sqlite3
import threading
import time
from collections import Counter

import httpx
from click.testing import CliRunner

from oracle.cli.main import cli
from oracle.ipfs.importer import import_bytes
from oracle.keystore import save_key
from oracle.scoring.score_report import score_report_cid
from oracle.status import Status
from tests.oracle.daemon.world import World, wait_for


def check_database(path: str) -> None:
    """The daemon's database after a kill: whole, and consistent with itself."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        (unscored_posted,) = db.execute(
            "SELECT COUNT(*) FROM jobs WHERE state IN ('scored', 'opened') AND status IS NULL"
        ).fetchone()
        assert unscored_posted == 0
        (cursor,) = db.execute("SELECT MAX(number) FROM follower_blocks").fetchone()
        (newest_event,) = db.execute("SELECT MAX(block_number) FROM events").fetchone()
        assert newest_event is None or (cursor is not None and newest_event <= cursor)
    finally:
        db.close()


def test_kill_9_at_random_points_loses_nothing_and_posts_nothing_twice(world: World) -> None:
    """Three oracles (quorum 2) under a stream of submissions; 20 times one of them, chosen at
    random, is killed -9 at a random moment (following, scoring, signing for a peer,
    posting, or still starting) and started again at once on the same database."""
    world.publish(oracle_count=3, quorum=2)
    oracles = world.make_oracles(3)
    world.start_oracles()
    rng = random.Random(4)
    artifacts: dict[int, bytes] = {}

    def submit_stream() -> None:
        for seed in range(20):
            artifact = world.artifact(seed)
            artifacts[world.submit(artifact)] = artifact

    submitter = threading.Thread(target=submit_stream)
    submitter.start()
    for _ in range(20):
        time.sleep(rng.uniform(0.3, 1.8))
        victim = rng.choice(oracles)
        victim.kill()
        check_database(str(victim.data_dir / "oracle.sqlite"))
        victim.start()
    submitter.join()
    assert len(artifacts) == 20
    for oracle in oracles:
        oracle.wait_healthy()
    wait_for("every score", lambda: set(artifacts) <= world.scored_ids(), 90, oracles)
    for oracle in oracles:
        wait_for(
            f"{oracle.name} to see every score posted",
            lambda o=oracle: o.metric("coop_oracle_jobs", state="posted") == len(artifacts),
            30,
            oracles,
        )
        check_database(str(oracle.data_dir / "oracle.sqlite"))

    posted = Counter(int(e["submissionId"]) for e in world.events("ScoreRecorded"))
    assert posted == Counter(list(artifacts))  # each submission exactly once, none lost
    seqs = [int(e["seq"]) for e in world.events("ScoresPosted")]
    assert seqs == list(range(1, len(seqs) + 1))
    ledger = world.ledger()
    for sid, artifact in artifacts.items():
        score = ledger.submissions[sid].score
        assert score is not None
        assert score.public_score == world.expected(artifact).public_wad
    assert sum(o.starts for o in oracles) == 3 + 20


def test_a_reorg_after_scoring_rewinds_and_scores_what_the_new_chain_holds(world: World) -> None:
    world.publish(oracle_count=1, quorum=1)
    (oracle,) = world.make_oracles(1)
    # This oracle signs with an encrypted keystore (password from the environment).
    key = oracle.env.pop("COOP_PRIVATE_KEY")
    save_key(world.base / "keystores", "oracle", key, "keystore password")
    oracle.env.update(
        COOP_KEYSTORE_DIR=str(world.base / "keystores"),
        COOP_ACCOUNT="oracle",
        COOP_PASSWORD="keystore password",
    )
    world.start_oracles()
    w3 = world.w3
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    good = world.artifact(1)
    first = world.submit(good, who=0)
    wait_for("the first chain's score", lambda: first in world.scored_ids(), 30, [oracle])
    assert world.ledger().submissions[first].score.status == Status.VALID  # type: ignore[union-attr]

    # The chain reorganises: the blocks holding that reveal and its score are replaced by a
    # chain on which another participant got the same submission id with another file.
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    truncated = b"\n".join(good.splitlines()[:-3]) + b"\n"
    second = world.submit(truncated, who=1)
    assert second == first
    expected = world.expected(truncated)
    assert expected.status != Status.VALID

    def new_score() -> bool:
        score = world.ledger().submissions[second].score
        return score is not None and score.status == expected.status

    wait_for("the new chain's score", new_score, 60, [oracle])
    assert oracle.metric("coop_oracle_rewinds_total") >= 1
    assert "reorg:" in oracle.log_path.read_text()
    assert Counter(int(e["submissionId"]) for e in world.events("ScoreRecorded")) == {second: 1}
    log = oracle.log_path.read_text()
    assert key.removeprefix("0x") not in log and "keystore password" not in log
    # A second signal does not wait for the graceful stop: the process exits at once.
    assert oracle.process is not None
    oracle.process.send_signal(signal.SIGTERM)
    time.sleep(0.05)
    oracle.process.send_signal(signal.SIGTERM)
    assert oracle.process.wait(timeout=10) == 128 + signal.SIGTERM
    assert "second signal: exiting now" in oracle.log_path.read_text()


def test_ipfs_content_missing_or_not_matching_its_cid_gets_a_status(world: World) -> None:
    world.publish(oracle_count=1, quorum=1)
    (oracle,) = world.make_oracles(1, fetch_attempts="3", fetch_retry_seconds="1")
    world.start_oracles()

    # Content that appears after the first failed try is scored normally.
    late = world.artifact(1)
    late_id = world.submit_cid(str(import_bytes(late).cid))
    wait_for(
        "a failed fetch",
        lambda: oracle.metric("coop_oracle_fetch_retries_total") >= 1,
        30,
        [oracle],
    )
    world.add(late)

    # Content that nobody has, and content whose stored bytes no longer match the CID.
    never_id = world.submit_cid(str(import_bytes(world.artifact(2) + b"\n").cid))
    corrupt = world.artifact(3)
    corrupt_cid = world.add(corrupt)
    block = world.base / "ipfs" / "blocks" / corrupt_cid[-3:-1] / corrupt_cid
    block.write_bytes(corrupt.replace(b"1", b"2"))
    corrupt_id = world.submit_cid(corrupt_cid)
    fine_id = world.submit(world.artifact(4))

    ids = {late_id, never_id, corrupt_id, fine_id}
    wait_for("every status", lambda: ids <= world.scored_ids(), 60, [oracle])
    ledger = world.ledger()
    status = {sid: ledger.submissions[sid].score.status for sid in ids}  # type: ignore[union-attr]
    assert status == {
        late_id: Status.VALID,
        never_id: Status.UNREACHABLE,
        corrupt_id: Status.DIGEST_MISMATCH,
        fine_id: Status.VALID,
    }
    reasons = {
        sid: world.store.cat(score_report_cid(ledger.submissions[sid].score.report_digest))  # type: ignore[union-attr]
        for sid in (never_id, corrupt_id)
    }
    assert b"could not be fetched from IPFS within the retry limits" in reasons[never_id]
    assert b"did not hash to that CID" in reasons[corrupt_id]
    assert oracle.metric("coop_oracle_fetch_retries_total") >= 5  # 1 + 2 + 2 tries again
    assert oracle.running
    assert httpx.get(oracle.url + "/healthz").json()["status"] == "ok"
    wait_for(
        "the oracle to confirm the posts",
        lambda: oracle.metric("coop_oracle_jobs", state="posted") == 4,
        30,
        [oracle],
    )
    status = CliRunner().invoke(
        cli,
        ["oracle", "status", "--json"],
        env={"COOP_DATA_DIR": str(oracle.data_dir), "COOP_CONFIG": str(world.base / "none.toml")},
    )
    assert status.exit_code == 0, status.output
    assert json.loads(status.output)["jobs"]["posted"] == 4
