"""A code-only challenge on hidden test features, end to end with three `coop oracle run`
processes (quorum 2) on anvil and bubblewrap: the features are on no IPFS node, only in the
owner's holdouts/ folder the oracles get; a program is scored VALID with a receipt naming
the features by their 0x commitment; no oracle publishes its log (a program could print
the features); after the phase the holdout reveal publishes them and `coop audit` reruns
the program from its receipt and passes."""

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from oracle.cli.main import cli
from oracle.coderun.hidden_features import features_commitment
from oracle.devnet.seed import code_spec
from oracle.ipfs.importer import import_bytes
from oracle.scoring.score_report import read_report, score_report_cid
from oracle.status import Status
from tests.oracle.daemon.test_code_submissions import LIMITS, RIDGE, RUNTIMES, runs
from tests.oracle.daemon.world import OWNER_KEY, World, wait_for

# Prints the hidden features, as a program trying to leak them through its log would.
LEAKY = (
    "import pandas as pd\n"
    "features = pd.read_csv('/in/test_features.csv')\n"
    "print(features.to_csv(index=False))\n"
    "pd.DataFrame({'id': features['id'], 'prediction': 150.0}).to_csv("
    "'/out/predictions.csv', index=False)\n"
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("hidden")
    started = World.start(base)
    try:
        spec = code_spec("diabetes-regression", base / "spec.json", LIMITS, hidden_features=True)
        started.publish(3, 2, spec)
        started.make_oracles(3, runtime_dir=str(RUNTIMES))
        started.start_oracles()
        yield started
    finally:
        started.stop()


def coop(world: World, *args: str, **env: str) -> tuple[int, str]:
    """A `coop` command against the world's chain and block store; (exit code, output)."""
    base = {
        "COOP_RPC_URL": world.anvil.url,
        "COOP_DEPLOYMENT": str(world.deployment_file),
        "COOP_IPFS_DIR": str(world.store.root),
        "COOP_CONFIG": str(world.base / "none"),
    }
    result = CliRunner().invoke(cli, list(args), env={**base, **env})
    return result.exit_code, result.output


def test_code_on_hidden_features_is_scored_without_its_log_and_the_audit_reruns_it(
    world: World,
) -> None:
    features = world.files["test_features.csv"]
    commitment = features_commitment(features)
    assert world.spec is not None and world.spec.data.hidden_test_features == commitment
    assert not world.store.has(str(import_bytes(features).cid)), "the seed never uploads them"

    leaky = world.base / "leaky"
    leaky.mkdir()
    (leaky / "main.py").write_text(LEAKY)
    ids = [world.submit_cid(str(world.store.add_path(p).cid)) for p in (RIDGE, leaky)]
    wait_for("both scores", lambda: set(ids) <= world.scored_ids(), 180, world.oracles)
    for sid in ids:
        score = world.ledger().submissions[sid].score
        assert score is not None
        report = read_report(world.store.cat(score_report_cid(score.report_digest)))
        assert report.status is Status.VALID, report.reason
        receipt = report.receipt
        assert receipt is not None and receipt.predictions_cid is not None
        # The receipt names the hidden features by their commitment, the public files by CID.
        assert receipt.inputs["test_features.csv"] == commitment
        assert receipt.inputs["train.csv"].startswith("bafk")
        # The score is the one the predictions it names earn on the hidden labels.
        expected = world.expected(world.store.cat(receipt.predictions_cid))
        assert report.public_score == int(expected.public_wad or 0)
        # Each oracle's own record: resources, but no log (the leaky one printed the features).
        # (`runs` waits for a third oracle still running, and checks each record is the
        # one published at its CID.)
        for record in runs(world, sid):
            assert record.outcome == receipt.predictions_cid
            assert record.usage is not None and record.usage.cpu_seconds > 0
            assert record.log_tail is None
            assert features.splitlines()[1].decode() not in record.to_bytes().decode()

    world.end_phase(world.oracles)
    owner = {"COOP_DATA_DIR": str(world.base / "owner"), "COOP_PRIVATE_KEY": OWNER_KEY}
    code, output = coop(world, "challenge", "reveal-holdout", str(world.challenge_id), **owner)
    assert code == 0, output

    # An auditor with nothing but the chain and the block store reruns both programs.
    auditor = {"COOP_DATA_DIR": str(world.base / "auditor"), "COOP_RUNTIME_DIR": str(RUNTIMES)}
    code, output = coop(world, "audit", str(world.challenge_id), "--json", **auditor)
    audit = json.loads(output[output.index("{") :])
    assert code == 0 and audit["ok"] and audit["complete"], output
    assert audit["checked"]["reruns"] == 2, audit
