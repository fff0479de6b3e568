"""`coop audit --sample N` (issue 14): after the holdout reveal an auditor reruns code
submissions from their receipts (folder, revealed hidden inputs, runtime by digest, limits,
seed) in the sandbox and checks the predictions' CID. Real anvil, kubo and bubblewrap; the
oracles' part is played with score_code (tests/cli/code_world.py)."""

import json
from dataclasses import replace
from pathlib import Path

import pytest
from code_world import RIDGE, RUNTIME_CACHE, hide_features, score_and_post
from owner_world import OwnerWorld, make_world

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.status import Status

PARTICIPANT_KEY = ANVIL_KEYS[1]
CLOCK = (
    "import time\nimport pandas as pd\n"
    "ids = pd.read_csv('/in/test_features.csv')['id']\n"
    "pd.DataFrame({'id': ids, 'prediction': 150 + time.time_ns() % 997}).to_csv("
    "'/out/predictions.csv', index=False)\n"
)


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path, kubo: KuboDaemon) -> OwnerWorld:
    world = make_world(anvil, tmp_path)
    world.env.update(COOP_RUNTIME_DIR=str(RUNTIME_CACHE), COOP_IPFS_BACKEND="kubo",
                     COOP_KUBO_API=kubo.api_url)  # fmt: skip
    hide_features(world)
    world.create()
    return world


def submit(world: OwnerWorld, folder: Path) -> None:
    """`coop submit` (into the platform's store); the participant pins it on kubo too."""
    result = world.coop("submit", "1", str(folder), COOP_PRIVATE_KEY=PARTICIPANT_KEY)
    assert result.exit_code == 0, result.output
    node = KuboStore(world.env["COOP_KUBO_API"])
    node.pin(node.add_path(folder).cid)


def test_the_audit_reruns_code_and_names_a_receipt_the_rerun_does_not_give(
    world: OwnerWorld, kubo: KuboDaemon, tmp_path: Path
) -> None:
    clock = tmp_path / "clock"
    clock.mkdir()
    (clock / "main.py").write_text(CLOCK)
    submit(world, RIDGE)  # submission 1: deterministic
    submit(world, clock)  # submission 2: its predictions depend on the clock
    scored = score_and_post(world, [world.store, KuboStore(kubo.api_url)])
    assert {s.result.status for s in scored.values()} == {Status.VALID}

    before = world.coop("audit", "1", "--json")
    assert any("holdout not revealed yet" in n for n in json.loads(before.stdout)["notes"])
    world.travel(3000)
    assert world.coop("challenge", "reveal-holdout", "1").exit_code == 0

    # An auditor with only the chain and a kubo node (no data dir of the platform's).
    auditor = {"COOP_DATA_DIR": str(tmp_path / "auditor")}
    result = world.coop("audit", "1", **auditor)
    assert "… rerunning submission #1 (1 of 2)" in result.output  # progress, on stderr
    assert "… rerunning submission #2 (2 of 2)" in result.output
    assert result.exit_code == 1, result.output
    (finding,) = [line for line in result.stdout.splitlines() if "[reruns]" in line]
    wrote = f"the receipt says {scored[2].receipt.predictions_cid}"
    assert "submission #2: the rerun wrote predictions bafk" in finding and wrote in finding
    assert "submission #1" not in result.stdout.split("FAILED")[1]

    report = json.loads(world.coop("audit", "1", "--json", "--sample", "1", **auditor).stdout)
    assert report["checked"].get("reruns", 0) + len(report["findings"]) == 1
    assert any("reran a random sample of 1 code submission(s): #" in n for n in report["notes"])


def test_a_receipt_that_says_another_run_than_the_ledger_is_a_finding(
    world: OwnerWorld, kubo: KuboDaemon
) -> None:
    submit(world, RIDGE)
    score_and_post(world, [world.store, KuboStore(kubo.api_url)],
                   tamper=lambda receipt: replace(receipt, seed=receipt.seed + 1))  # fmt: skip
    world.travel(3000)
    assert world.coop("challenge", "reveal-holdout", "1").exit_code == 0
    result = world.coop("audit", "1", "--sample", "1")
    assert result.exit_code == 1
    assert "[reruns] submission #1: the receipt's seed is " in result.stdout
    assert "the ledger gives" in result.stdout
