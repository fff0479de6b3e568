"""Hidden test features (issue 14): an owner publishes a code-only challenge whose test
features only the oracles get, privately, until the holdout reveal publishes them; the
oracle refuses a features file that is not the committed one, `coop run` uses a sample of
train in their place, and after the reveal anyone can rerun a submission on them. Real
anvil, real kubo, real bubblewrap."""

import json
import stat
from pathlib import Path

import httpx
import pytest
from code_world import RIDGE, RUNTIME_CACHE, hide_features
from eth_utils.crypto import keccak
from owner_world import OwnerWorld, last_json, make_world

from oracle.chain.anvil import Anvil
from oracle.coderun.hidden_features import HiddenFeaturesMismatch, read_revealed_holdout
from oracle.coderun.score import score_code
from oracle.daemon.materials import MaterialMissing, Materials
from oracle.errors import ConfigError
from oracle.ipfs.importer import import_bytes
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.ledger.model import Phase
from oracle.ledger.replay import read_ledger
from oracle.status import Status


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    world = make_world(anvil, tmp_path)
    world.env["COOP_RUNTIME_DIR"] = str(RUNTIME_CACHE)
    return world


def phase0(world: OwnerWorld) -> Phase:
    return read_ledger(world.platform).challenges[1].phases[0]


def test_a_spec_that_hides_features_takes_code_only(world: OwnerWorld) -> None:
    for kind in ("predictions", "both"):
        hide_features(world, kind)
        result = world.coop("challenge", "create", str(world.spec), "--data", str(world.data))
        assert result.exit_code == 2, result.output
        assert "hidden test features take code only" in result.output
        assert f"not {kind!r}" in result.output
    assert world.platform.registry.functions.challengeCount().call() == 0


def test_the_features_reach_the_oracles_privately_and_the_reveal_publishes_them(
    world: OwnerWorld, kubo: KuboDaemon
) -> None:
    # The session's kubo may already hold the example's features (another module revealed
    # them): this challenge's file gets bytes of its own, its rows in reverse order.
    head, *rows = world.files["test_features.csv"].splitlines(keepends=True)
    features = world.files["test_features.csv"] = head + b"".join(reversed(rows))
    (world.data / "test_features.csv").write_bytes(features)
    commitment = hide_features(world)
    world.create(COOP_IPFS_BACKEND="kubo", COOP_KUBO_API=kubo.api_url)

    # Published: the spec holds the commitment; the features are on no IPFS node.
    published = world.store.cat(phase0(world).spec_cid)
    assert json.loads(published)["data"]["hidden_test_features"] == commitment
    features_cid = str(import_bytes(features).cid)
    assert not world.store.has(features_cid)
    assert not KuboStore(kubo.api_url).has(features_cid)
    # ... but in the owner's holdouts folder, private, for the oracles.
    holdouts = world.data_dir / "holdouts"
    (copy,) = holdouts.glob("test-features-*.csv")
    assert copy.read_bytes() == features and stat.S_IMODE(copy.stat().st_mode) == 0o600

    # An oracle given that folder has the features, checked against the commitment.
    material = Materials(world.store, holdouts).material(1, phase0(world))
    assert material.test_features == features
    scored = score_code(material.spec, material.holdout, world.store,
                        str(world.store.add_path(RIDGE).cid), RUNTIME_CACHE, seed=7,
                        hidden_features=material.test_features)  # fmt: skip
    assert scored.result.status is Status.VALID and scored.result.public_score is not None
    assert scored.receipt.inputs["test_features.csv"] == commitment
    # Another file in its place is the operator's problem, never the participant's.
    copy.write_bytes(features.replace(b"\n", b"\r\n", 1))
    with pytest.raises(ConfigError, match="restore the original file"):
        Materials(world.store, holdouts).material(1, phase0(world))
    copy.write_bytes(features)
    # Without the holdout folder and before the reveal, scoring waits.
    with pytest.raises(MaterialMissing, match="scoring waits for it or for the holdout reveal"):
        Materials(world.store, None).material(1, phase0(world))

    world.travel(3000)
    result = world.coop("challenge", "reveal-holdout", "1",
                        COOP_IPFS_BACKEND="kubo", COOP_KUBO_API=kubo.api_url)  # fmt: skip
    assert result.exit_code == 0, result.output
    revealed = phase0(world).holdout
    assert revealed is not None and f"labels: {revealed.labels_cid}" in result.output
    # The same reveal published the features: one folder, on kubo too, for any auditor.
    files = read_revealed_holdout(KuboStore(kubo.api_url), revealed.labels_cid, 1 << 20)
    assert files.labels == world.files["labels.csv"] and files.test_features == features
    gateway = httpx.get(f"{kubo.gateway_url}/ipfs/{revealed.labels_cid}/test_features.csv")
    assert gateway.content == features
    after = Materials(world.store, None).material(1, phase0(world))
    assert after.test_features == features


def test_features_that_do_not_match_the_commitment_are_refused(world: OwnerWorld) -> None:
    hide_features(world)
    world.create()
    holdouts = world.data_dir / "holdouts"
    secret_path = holdouts / "31337-1.json"
    secret = json.loads(secret_path.read_text())
    other = world.files["test_features.csv"] + b"0,0,0,0,0,0,0,0,0,0,0\n"
    (holdouts / "other.csv").write_bytes(other)
    secret["test_features_file"] = "other.csv"
    secret["test_features_digest"] = "0x" + keccak(other).hex()
    secret_path.write_text(json.dumps(secret))
    with pytest.raises(HiddenFeaturesMismatch, match="not the file the challenge committed to"):
        Materials(world.store, holdouts).material(1, phase0(world))


def test_coop_run_uses_a_sample_of_train_in_place_of_hidden_features(world: OwnerWorld) -> None:
    hide_features(world)
    world.create()
    result = world.coop("run", "1", str(RIDGE), "--json")
    assert result.exit_code == 0, result.output
    report = last_json(result)
    assert report["status_name"] == "VALID"
    assert report["reason"] == "67 predictions in the format the oracles read"  # the sample's
    assert report["sample"]["rows"] == 67 and 30 < report["sample"]["value"] < 84
    human = world.coop("run", "1", str(RIDGE))
    assert "once: the test features are hidden" in human.output
