"""A submission that makes scoring fail for a reason that is not its submitter's fault waits
(with its reason, in the oracles' /healthz and /metrics and the API's
/v1/submissions/{id}/scoring) and is tried again with backoff, while the submissions
revealed after it are scored and posted (three oracles, quorum 2, one chain)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.daemon.cluster import LocalOracle
from oracle.indexer.runner import Indexer
from oracle.status import Status
from tests.oracle.daemon.world import World, wait_for

# One header field over the CSV reader's 128 KiB field limit: on the main of issue 20 the
# reader raised `_csv.Error` for it (not a status). Whether the reader now gives it a status
# or scoring still raises, it must not hold back anyone else.
LONG_HEADER = b"id," + b"p" * (140 * 1024) + b"\n1,0.5\n"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    started = World.start(tmp_path_factory.mktemp("poison"))
    try:
        started.publish(oracle_count=3, quorum=2)
        started.make_oracles(3)
        started.start_oracles()
        yield started
    finally:
        started.stop()


def block_file(world: World, cid: str) -> Path:
    (path,) = (world.base / "ipfs" / "blocks").glob(f"*/{cid}")
    return path


def api_scoring(world: World, tmp_path: Path, submission_id: int) -> dict[str, Any]:
    """The public API's answer on why `submission_id` is not scored (its index brought up to
    date first), the API asking the three oracles."""
    indexer = Indexer(tmp_path / "index.sqlite3", world.platform, world.store, confirmations=0)
    try:
        while indexer.step() is not None:
            pass
        urls = tuple(o.url for o in world.oracles)
        config = ApiConfig(tmp_path / "index.sqlite3", world.store.root, None, oracle_urls=urls)
        with TestClient(create_app(config)) as client:
            answer: dict[str, Any] = client.get(f"/v1/submissions/{submission_id}/scoring").json()
            return answer
    finally:
        indexer.close()


def waiting_at(oracle: LocalOracle) -> dict[int, str]:
    """Submission id → reason of the jobs the oracle's /healthz lists as waiting."""
    health = httpx.get(oracle.url + "/healthz", timeout=5).json()
    return {int(w["submission_id"]): str(w["reason"]) for w in health["waiting"]}


def test_a_poison_submission_waits_and_the_ten_behind_it_are_scored_and_posted(
    world: World, tmp_path: Path
) -> None:
    oracles = world.oracles
    poison_file = world.submit(LONG_HEADER, who=0)
    # A disk fault on the oracles' side: the artifact's block in their store is a directory.
    broken = world.artifact(99)
    broken_cid = world.add(broken)
    block = block_file(world, broken_cid)
    block.unlink()
    block.mkdir()
    poison_disk = world.submit_cid(broken_cid, who=0)
    artifacts = {world.submit(world.artifact(seed), who=1 + seed % 5): seed for seed in range(10)}

    wait_for(
        "the ten good submissions scored on chain",
        lambda: set(artifacts) <= world.scored_ids(),
        60,
        oracles,
    )
    recorded = {int(e["submissionId"]): e for e in world.events("ScoreRecorded")}
    for submission_id, seed in artifacts.items():
        expected = world.expected(world.artifact(seed))
        assert recorded[submission_id]["status"] == Status.VALID
        assert recorded[submission_id]["publicScore"] == expected.public_wad

    # The disk fault is not the submitter's: no status, but `waiting` with its reason.
    assert poison_disk not in world.scored_ids()

    def shown_waiting(oracle: LocalOracle) -> bool:
        in_metrics = oracle.metric("coop_oracle_waiting", submission=str(poison_disk)) >= 1
        return in_metrics and poison_disk in waiting_at(oracle)

    for oracle in oracles:
        wait_for(
            f"{oracle.name} to show the broken submission waiting in /healthz and /metrics",
            lambda o=oracle: shown_waiting(o),
            30,
            oracles,
        )
        assert "IsADirectoryError" in waiting_at(oracle)[poison_disk]
        assert oracle.metric("coop_oracle_jobs", state="waiting") >= 1
        assert oracle.metric("coop_oracle_waits_total", cause="fault") >= 1
        reason = f'submission="{poison_disk}"'
        (line,) = [x for x in oracle.metrics_text().splitlines() if reason in x]
        assert line.startswith("coop_oracle_waiting{") and "IsADirectoryError" in line
    scoring = api_scoring(world, tmp_path / "api", poison_disk)
    assert scoring["state"] == "revealed" and scoring["waiting"] is True
    assert [o["waiting"] for o in scoring["oracles"]] == [True, True, True]
    assert all("IsADirectoryError" in o["reason"] for o in scoring["oracles"])
    # The long header either got a status (the reader refuses it) or waits too.
    assert poison_file in world.scored_ids() or poison_file in waiting_at(oracles[0])
    if poison_file in world.scored_ids():
        assert recorded[poison_file]["status"] != Status.VALID

    # The disk is mended: the next try (backoff at most a minute) scores and posts it.
    block.rmdir()
    world.add(broken)
    wait_for("the mended submission scored", lambda: poison_disk in world.scored_ids(), 90, oracles)
    (event,) = [e for e in world.events("ScoreRecorded") if e["submissionId"] == poison_disk]
    assert event["status"] == Status.VALID
    assert event["publicScore"] == world.expected(broken).public_wad
    assert all(poison_disk not in waiting_at(o) for o in oracles)
