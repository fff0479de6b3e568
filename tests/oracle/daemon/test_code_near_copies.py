"""Near-copies among code submissions, end to end with three `coop oracle run` processes
(quorum 2) on anvil and bubblewrap: a program copied with one byte changed is caught by its
predictions (the ones its receipt names), a folder holding the same files under another
`coop-source.json` by its files, and an honest other program is not flagged; the rewards
root credits both copies to the original and `coop audit` derives the same."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.audit.run import audit_challenge
from oracle.devnet.seed import code_spec
from oracle.rewards.report import REPORT_MAX_BYTES
from oracle.submission_source import MANIFEST
from tests.oracle.daemon.world import World, wait_for

ROOT = Path(__file__).resolve().parents[3]
RUNTIMES = ROOT / ".tools" / "runtimes"  # shared with tests/coderun: built once
LIMITS: dict[str, float] = {"cpu_seconds": 20, "wall_seconds": 40, "memory_mb": 768}
RIDGE = ROOT / "examples" / "code" / "diabetes-ridge"
NEIGHBOURS = (
    "import pandas as pd\n"
    "from sklearn.neighbors import KNeighborsRegressor\n"
    "train = pd.read_csv('/in/train.csv')\n"
    "test = pd.read_csv('/in/test_features.csv')\n"
    "features = [c for c in train.columns if c != 'target']\n"
    "model = KNeighborsRegressor(n_neighbors=15).fit(train[features], train['target'])\n"
    "pd.DataFrame({'id': test['id'], 'prediction': model.predict(test[features])}).to_csv("
    "'/out/predictions.csv', index=False)\n"
)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("code-copies")
    started = World.start(base)
    try:
        started.publish(3, 2, code_spec("diabetes-regression", base / "spec.json", LIMITS))
        started.make_oracles(3, runtime_dir=str(RUNTIMES))
        started.start_oracles()
        yield started
    finally:
        started.stop()


def folder(world: World, name: str, files: dict[str, str]) -> str:
    path = world.base / name
    path.mkdir()
    for file, text in files.items():
        (path / file).write_text(text)
    return str(world.store.add_path(path).cid)


def test_code_copies_are_caught_by_predictions_or_files_and_credited(world: World) -> None:
    ridge = (RIDGE / "main.py").read_text()
    assert "ten features" in ridge
    original = str(world.store.add_path(RIDGE).cid)
    one_byte = folder(world, "one-byte", {"main.py": ridge.replace("ten features", "ten Features")})
    source = json.dumps(
        {"repository": "https://example.org/carol/ridge.git", "commit": "a" * 40, "path": ""}
    )
    same_files = folder(world, "same-files", {"main.py": ridge, MANIFEST: source})
    other = folder(world, "neighbours", {"main.py": NEIGHBOURS})
    ids = [world.submit_cid(cid, who) for who, cid in enumerate((original, one_byte, same_files,
                                                                  other))]  # fmt: skip
    wait_for("the four runs", lambda: set(ids) <= world.scored_ids(), 300, world.oracles)

    world.end_phase(world.oracles)
    ledger = world.reveal_and_wait_for_root(120)
    (root,) = ledger.challenges[world.challenge_id].roots
    report = json.loads(world.store.cat(root.report_cid, max_bytes=REPORT_MAX_BYTES))
    found = {int(n["submission_id"]): n for n in report["near_copies"]}
    assert set(found) == {ids[1], ids[2]}  # not the neighbours program
    assert (found[ids[1]]["evidence"], found[ids[1]]["distance_ppm"]) == ("predictions", "0")
    assert (found[ids[2]]["evidence"], found[ids[2]]["distance_ppm"]) == ("files", "0")
    assert all(int(n["source_id"]) == ids[0] for n in found.values())

    audit = audit_challenge(world.platform, world.store, world.challenge_id)
    assert audit.ok, [str(f) for f in audit.findings]
    assert audit.checked["near-copies"] == 1
    assert any("(files)" in note and "(predictions)" in note for note in audit.notes)
