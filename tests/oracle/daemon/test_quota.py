"""No quota lost to the oracles, end to end: three real `coop oracle run` processes (quorum
2) on one anvil chain, stopped for an outage in the last day of commits. A submission they
never scored in time frees its submitter's cap slot (`coop quota release`), the outage
extends the phase (`coop quota extend`), and `coop status` says so; once the oracles are
back they score what waited, with the extended windows."""

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.clock import chain_now
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit
from oracle.cli.main import cli
from oracle.devnet.datasets import spec_path
from oracle.errors import TransactionReverted
from oracle.indexer.runner import Indexer
from tests.oracle.daemon.world import EXAMPLE, PARTICIPANT_KEYS, World, wait_for

DEADLINE = 600
MAX_EXTENSION = 7200
ALICE = 0  # the PARTICIPANT_KEYS index of the participant who loses a slot


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("quota")
    spec = json.loads(spec_path(EXAMPLE).read_text())
    spec["limits"].update(daily_cap=2, scoring_deadline_s=DEADLINE,
                          max_outage_extension_s=MAX_EXTENSION)  # fmt: skip
    spec_file = base / "quota-spec.json"
    spec_file.write_text(json.dumps(spec))
    started = World.start(base)
    try:
        started.publish(oracle_count=3, quorum=2, spec_file=spec_file)
        started.make_oracles(3)
        started.start_oracles()
        yield started
    finally:
        started.stop()


def coop(world: World, *args: str) -> Result:
    env = {"COOP_RPC_URL": world.anvil.url, "COOP_DEPLOYMENT": str(world.deployment_file),
           "COOP_PRIVATE_KEY": ANVIL_KEYS[5], "COOP_CONFIG": str(world.base / "absent.toml"),
           "COOP_DATA_DIR": str(world.base / "cli")}  # fmt: skip
    return CliRunner().invoke(cli, list(args), env=env)


def test_quota_survives_an_oracle_outage(world: World) -> None:
    first = world.submit(world.artifact(1), who=ALICE)
    wait_for("the first score", lambda: first in world.scored_ids(), 60, world.oracles)
    refused = coop(world, "quota", "release", str(first))
    assert refused.exit_code == 2
    assert "SubmissionScored" in refused.output and "its commit counts" in refused.output

    # The outage: every oracle stops; the chain moves into the last day of commits.
    for oracle in world.oracles:
        oracle.stop()
    phase = world.ledger().challenges[world.challenge_id].phases[0]
    world.travel(phase.commit_end - 20 * 3600 - chain_now(world.platform))
    waiting = world.submit(world.artifact(2), who=ALICE)
    sender = Sender.from_key(world.w3, PARTICIPANT_KEYS[ALICE])
    cid = world.add(world.artifact(3))
    with pytest.raises(TransactionReverted, match="DailyCapReached"):
        commit(world.platform, sender, world.base / "participants", world.challenge_id, cid)

    status = json.loads(coop(world, "status", str(waiting), "--json").output)
    assert status["quota"]["releasable"] is False and status["quota"]["due_by"] is not None
    world.travel(3600)
    shown = coop(world, "status", str(waiting))
    assert "missed the scoring deadline" in shown.output
    assert f"coop quota release {waiting}" in shown.output

    released = coop(world, "quota", "release", str(waiting))
    assert released.exit_code == 0, released.output
    assert "no longer counts against the daily cap" in released.output
    third = world.submit_cid(cid, who=ALICE)  # the freed slot takes a commit
    status = json.loads(coop(world, "status", str(waiting), "--json").output)
    assert status["quota"]["released"] is True and status["quota"]["slot_freed"] is True

    extended = coop(world, "quota", "extend", str(world.challenge_id), "0", str(waiting),
                    "--json")  # fmt: skip
    assert extended.exit_code == 0, extended.output
    done = json.loads(extended.stdout)
    assert 3600 <= done["outage"] <= MAX_EXTENSION and done["extension"] == done["outage"]
    after = world.ledger().challenges[world.challenge_id].phases[0]
    assert after.commit_end == phase.commit_end + done["extension"]
    assert after.reveal_end == phase.reveal_end + done["extension"]
    assert after.extension is not None and after.extension.waiting_submission_id == waiting
    status_text = coop(world, "challenge", "status", str(world.challenge_id)).output
    assert f"after an oracle outage (submission {waiting} waited" in status_text
    again = coop(world, "quota", "extend", str(world.challenge_id), "0", str(waiting))
    assert again.exit_code == 2 and "PhaseAlreadyExtended" in again.output

    # The API (over the index of the same chain) shows the rule, the extension and the release.
    indexer = Indexer(world.base / "index.sqlite3", world.platform, world.store, confirmations=0)
    indexer.catch_up()
    client = TestClient(create_app(ApiConfig(indexer.db_path, world.store.root, web_dir=None)))
    shown_challenge = client.get(f"/v1/challenges/{world.challenge_id}").json()
    assert shown_challenge["scoring_deadline"] == DEADLINE
    assert shown_challenge["max_outage_extension"] == MAX_EXTENSION
    shown_phase = shown_challenge["phases"][0]
    assert shown_phase["commit_end"] == after.commit_end
    assert shown_phase["reveal_end"] == after.reveal_end
    assert shown_phase["extension"]["waiting_submission_id"] == waiting
    assert shown_phase["extension"]["extension"] == done["extension"]
    shown_quota = client.get(f"/v1/submissions/{waiting}").json()["quota"]
    assert shown_quota["released"] is True and shown_quota["slot_freed"] is True
    assert shown_quota["scoring_deadline"] == DEADLINE
    assert client.get(f"/v1/submissions/{first}").json()["quota"]["released"] is False

    # The oracles come back and score what waited.
    for oracle in world.oracles:
        oracle.start()
    wait_for("the waiting scores", lambda: {waiting, third} <= world.scored_ids(), 90,
             world.oracles)  # fmt: skip
