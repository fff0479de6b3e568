"""Code submissions scored by three `coop oracle run` processes (quorum 2) on anvil, each
running the folder itself in bubblewrap: an honest model gets the score its predictions
earn and a receipt in its report, each oracle's own record of its run is published and
shown by the API and `coop receipt`; bad programs (an endless loop, a memory hog, a syntax
error, a network connection, no main.py) get their status and the oracles go on to the
next submission; a program whose output depends on the clock or os.urandom is posted
NOT_REPRODUCIBLE with every oracle's outcome in its receipt; two runs go at once."""

import json
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.cli.main import cli
from oracle.coderun.record import RunRecord
from oracle.coderun.run import code_seed
from oracle.daemon.cluster import LocalOracle
from oracle.devnet.seed import EXAMPLE_RUNTIME, code_spec
from oracle.indexer.runner import Indexer
from oracle.ipfs.importer import import_bytes
from oracle.runtime import RuntimeLock
from oracle.scoring.score_report import ScoreReport, read_report, score_report_cid
from oracle.status import Status
from tests.oracle.daemon.world import World, wait_for

ROOT = Path(__file__).resolve().parents[3]
RUNTIMES = ROOT / ".tools" / "runtimes"  # shared with tests/coderun: built once
LIMITS = {"cpu_seconds": 20, "wall_seconds": 40, "memory_mb": 768}
RIDGE = ROOT / "examples" / "code" / "diabetes-ridge"
WRITE = (
    "import pandas as pd\n"
    "ids = pd.read_csv('/in/test_features.csv')['id']\n"
    "pd.DataFrame({'id': ids, 'prediction': VALUE}).to_csv('/out/predictions.csv', index=False)\n"
)
PROGRAMS = {
    "loop": "while True:\n    pass\n",
    "hog": "chunks = []\nwhile True:\n    chunks.append(bytearray(64 << 20))\n",
    # Each row draws its own value: two runs agree by chance with odds of 97**-rows, where
    # one value for the whole file made two oracles agree about once in 97 challenges.
    "noisy": "import os, time\n"
    + WRITE.replace(
        "VALUE", "[150 + (int.from_bytes(os.urandom(4), 'big') + time.time_ns()) % 97 for _ in ids]"
    ),
    "syntax": "def broken(:\n    pass\n",
    "network": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=5)\n",
    "sleepy": "import time\ntime.sleep(4)\n" + WRITE.replace("VALUE", "150.0"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("code")
    started = World.start(base)
    try:
        started.publish(3, 2, code_spec("diabetes-regression", base / "spec.json", LIMITS))
        started.make_oracles(3, runtime_dir=str(RUNTIMES), code_runs="2")
        started.start_oracles()
        yield started
    finally:
        started.stop()


def folder(world: World, name: str, copy: int = 0, file: str = "main.py") -> Path:
    path = world.base / "programs" / f"{name}-{copy}"
    path.mkdir(parents=True)
    (path / file).write_text(f"# copy {copy}\n" + PROGRAMS[name])
    return path


def submit(world: World, path: Path) -> int:
    return world.submit_cid(str(world.store.add_path(path).cid))


def report(world: World, submission_id: int) -> ScoreReport:
    """The report the posted item names, read back from IPFS by its digest."""
    wait_for(f"submission {submission_id}'s score", lambda: submission_id in world.scored_ids(),
             120, world.oracles)  # fmt: skip
    score = world.ledger().submissions[submission_id].score
    assert score is not None
    return read_report(world.store.cat(score_report_cid(score.report_digest)))


def test_an_honest_model_gets_its_score_and_a_receipt(world: World) -> None:
    sid = submit(world, RIDGE)
    got = report(world, sid)
    assert got.status is Status.VALID and got.public_score is not None
    receipt = got.receipt
    assert receipt is not None
    assert receipt.code_cid == str(world.store.add_path(RIDGE).cid)
    assert receipt.runtime_digest == RuntimeLock.parse(EXAMPLE_RUNTIME.read_text()).digest
    assert receipt.seed == code_seed(int(world.w3.eth.chain_id), world.challenge_id, 0, sid)
    assert receipt.exit_code == 0 and receipt.exception is None
    assert receipt.limits["memory_mb"] == LIMITS["memory_mb"]
    assert sorted(receipt.inputs) == ["sample_submission.csv", "test_features.csv", "train.csv"]
    # The score is the one its predictions (fetched by the receipt's CID) earn.
    assert receipt.predictions_cid is not None
    expected = world.expected(world.store.cat(receipt.predictions_cid))
    assert got.public_score == int(expected.public_wad or 0)
    score = world.ledger().submissions[sid].score
    assert score is not None
    assert json.loads(world.store.cat(score_report_cid(score.report_digest)))["version"] == 2


def served_run(url: str, submission_id: int) -> httpx.Response | None:
    """An oracle's answer for its run of a submission; None while it has none (404)."""
    answer = httpx.get(f"{url}/v1/runs/{submission_id}", timeout=10)
    return None if answer.status_code == 404 else answer


def runs(world: World, submission_id: int) -> list[RunRecord]:
    """Each oracle's own record of its run, as it serves it, checked against its CID.

    The score is posted once two of the three have signed, so the third oracle may still
    be running the program: its record is waited for (404 until its run ends)."""
    found = []
    for oracle in world.oracles:
        answer = wait_for(f"{oracle.name}'s record of run {submission_id}",
                          partial(served_run, oracle.url, submission_id), 120,
                          world.oracles)  # fmt: skip
        assert answer.status_code == 200, answer.text
        record = RunRecord.model_validate(answer.json()["record"])
        assert str(import_bytes(record.to_bytes()).cid) == answer.json()["cid"]
        assert world.store.cat(answer.json()["cid"]) == record.to_bytes()  # published
        found.append(record)
    return found


def test_each_oracle_publishes_its_own_resources_and_log_tail(world: World) -> None:
    sid = submit(world, RIDGE)
    receipt = report(world, sid).receipt
    assert receipt is not None
    records = runs(world, sid)
    judges = world.ledger().challenges[world.challenge_id].oracle_sets[-1].oracles
    assert sorted(r.oracle.lower() for r in records) == sorted(o.lower() for o in judges)
    for record in records:
        assert record.outcome == receipt.predictions_cid
        assert record.usage is not None and record.usage.cpu_seconds > 0
        assert record.log_tail is not None and "ridge alpha" in record.log_tail
    no_run = httpx.get(f"{world.oracles[0].url}/v1/runs/999", timeout=10)
    assert no_run.status_code == 404


def test_the_api_and_coop_receipt_show_the_receipt(world: World) -> None:
    sid = submit(world, RIDGE)
    receipt = report(world, sid).receipt
    assert receipt is not None
    index = Indexer(world.base / f"index-{sid}.sqlite3", world.platform, world.store,
                    confirmations=0)  # fmt: skip
    try:
        index.catch_up()
    finally:
        index.close()
    config = ApiConfig(db_path=world.base / f"index-{sid}.sqlite3", ipfs_dir=world.store.root,
                       web_dir=None, oracle_urls=tuple(o.url for o in world.oracles))  # fmt: skip
    with TestClient(create_app(config)) as client:
        body = client.get(f"/v1/submissions/{sid}/receipt").json()
    assert body["report_available"] and body["status_name"] == "VALID"
    assert body["receipt"] == receipt.as_json()
    assert [r["record"]["submission_id"] for r in body["runs"]] == [sid] * 3
    env = {"COOP_RPC_URL": world.anvil.url, "COOP_DEPLOYMENT": str(world.deployment_file),
           "COOP_IPFS_DIR": str(world.store.root),
           "COOP_CONFIG": str(world.base / "none")}  # fmt: skip
    shown = CliRunner().invoke(cli, ["receipt", str(sid), "--json"], env=env)
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["receipt"] == receipt.as_json()
    told = CliRunner().invoke(cli, ["receipt", str(sid)], env=env)
    assert "VALID, public score" in told.output and str(receipt.predictions_cid) in told.output


def test_bad_programs_get_a_status_and_the_next_submission_is_scored(world: World) -> None:
    loop, hog = submit(world, folder(world, "loop")), submit(world, folder(world, "hog"))
    syntax, network = (
        submit(world, folder(world, "syntax")),
        submit(world, folder(world, "network")),
    )
    no_main = submit(world, folder(world, "syntax", 1, file="model.py"))
    after = submit(world, RIDGE)
    assert report(world, loop).status is Status.TIMEOUT
    # The same words on every oracle, whichever limit its load made it reach first.
    assert "20 s of CPU time, 40 s wall-clock" in report(world, loop).reason
    assert report(world, hog).status is Status.OUT_OF_MEMORY
    crashed = report(world, syntax)
    assert crashed.status is Status.RUN_FAILED and "(SyntaxError)" in crashed.reason
    assert crashed.receipt is not None and crashed.receipt.exception == "SyntaxError"
    offline = report(world, network)  # no network in the sandbox: the connection fails
    assert offline.status is Status.RUN_FAILED and offline.receipt is not None
    assert offline.receipt.exception is not None and offline.receipt.exit_code == 1
    assert report(world, no_main).status is Status.WRONG_FORMAT
    assert "no main.py" in report(world, no_main).reason
    assert report(world, after).status is Status.VALID
    for oracle in world.oracles:
        assert oracle.running, oracle.tail()


def test_output_from_the_clock_and_urandom_is_not_reproducible(world: World) -> None:
    sid = submit(world, folder(world, "noisy"))
    got = report(world, sid)
    assert got.status is Status.NOT_REPRODUCIBLE, got
    assert got.receipt is not None and got.receipt.predictions_cid is None
    outcomes = got.receipt.outcomes
    assert len(outcomes) >= 2 and all(o.startswith("bafk") for o in outcomes)
    assert all(o in got.reason for o in outcomes)
    # Each oracle ran it itself: the runs of the quorum that signed (2 of 3) are the ones
    # the receipt lists; a third oracle whose run finished after the batch was posted may
    # have a third outcome (docs/oracle.md, "Reproducibility by quorum").
    own = [record.outcome for record in runs(world, sid)]
    assert sum(outcome in outcomes for outcome in own) >= 2, (own, outcomes)
    # The batch was not stalled: the next submission is scored after it.
    assert report(world, submit(world, RIDGE)).status is Status.VALID


def started_and_finished(oracle: LocalOracle, ids: set[int]) -> list[tuple[str, int]]:
    lines = re.findall(r"(scoring|scored) submission (\d+)", oracle.log_path.read_text())
    return [(what, int(sid)) for what, sid in lines if int(sid) in ids]


def test_two_code_runs_go_at_once_with_code_runs_2(world: World) -> None:
    first, second = (submit(world, folder(world, "sleepy", i)) for i in range(2))
    assert report(world, first).status is Status.VALID
    assert report(world, second).status is Status.VALID
    # At least one oracle started the second run before the first one ended (each sleeps
    # 4 s; with one run at a time, "scored" would come between the two "scoring" lines).
    orders = [started_and_finished(o, {first, second}) for o in world.oracles]
    assert any([w for w, _ in order[:2]] == ["scoring", "scoring"] for order in orders), orders
