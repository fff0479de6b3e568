"""An oracle's view of a code submission: the folder from IPFS, the run, the score and a
receipt that two honest runs of a deterministic program agree on."""

from dataclasses import replace
from pathlib import Path

import pytest

from oracle.coderun.score import CodeScore, score_code
from oracle.devnet.datasets import example_files
from oracle.ipfs.embedded import EmbeddedStore
from oracle.runtime import RuntimeLock
from oracle.scoring import read_labels, split_holdout
from oracle.spec import ChallengeSpec, load_spec
from oracle.status import Status
from oracle.submission_spec import submission_spec

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".tools" / "runtimes"
LOCK = RuntimeLock.parse((ROOT / "examples" / "runtimes" / "scikit-learn.lock").read_text())
FILES = example_files("diabetes-regression")
SALT = bytes(range(32))


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "ipfs")
    for data in FILES.values():
        store.add_bytes(data)
    return store


def code_spec() -> ChallengeSpec:
    spec = load_spec(ROOT / "examples" / "specs" / "diabetes-regression.json")
    section = {"kind": "code",
               "runtime": {"python": LOCK.python, "packages": LOCK.pins, "digest": LOCK.digest},
               "limits": {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024}}  # fmt: skip
    return replace(spec, submission=submission_spec(section, "test"))


def score(store: EmbeddedStore, folder: Path) -> CodeScore:
    spec = code_spec()
    holdout = split_holdout(spec, read_labels(spec, FILES["labels.csv"]), SALT)
    cid = str(store.add_path(folder).cid)
    return score_code(spec, holdout, store, cid, CACHE, seed=42)


def test_an_honest_model_is_scored_with_a_receipt(store: EmbeddedStore) -> None:
    first = score(store, ROOT / "examples" / "code" / "diabetes-ridge")
    assert first.result.status is Status.VALID and first.result.public_score is not None
    receipt = first.receipt
    assert receipt.runtime_digest == LOCK.digest and receipt.seed == 42
    assert sorted(receipt.inputs) == ["sample_submission.csv", "test_features.csv", "train.csv"]
    assert receipt.exit_code == 0 and str(receipt.predictions_cid).startswith("bafk")
    assert first.usage is not None and first.usage.cpu_seconds > 0
    assert "ridge alpha" in first.log
    second = score(store, ROOT / "examples" / "code" / "diabetes-ridge")
    assert second.receipt == receipt
    assert second.result == first.result


def test_a_program_that_reads_the_clock_gives_another_predictions_cid_each_run(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    folder = tmp_path / "clock"
    folder.mkdir()
    (folder / "main.py").write_text(
        "import os, time\nimport pandas as pd\n"
        "ids = pd.read_csv('/in/test_features.csv')['id']\n"
        "noise = [int.from_bytes(os.urandom(2), 'big') + time.time_ns() % 1000 for _ in ids]\n"
        "pd.DataFrame({'id': ids, 'prediction': [150 + n % 7 for n in noise]}).to_csv("
        "'/out/predictions.csv', index=False)\n"
    )
    cids = {score(store, folder).receipt.predictions_cid for _ in range(3)}
    assert len(cids) > 1  # what reproducibility by quorum will catch (NOT_REPRODUCIBLE)


def test_a_file_where_a_folder_is_expected_is_a_status(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    spec = code_spec()
    holdout = split_holdout(spec, read_labels(spec, FILES["labels.csv"]), SALT)
    cid = str(store.add_bytes(FILES["sample_submission.csv"]).cid)
    scored = score_code(spec, holdout, store, cid, CACHE, seed=1)
    assert scored.result.status is Status.WRONG_FORMAT
    assert "a folder with main.py" in scored.result.reason and scored.usage is None
