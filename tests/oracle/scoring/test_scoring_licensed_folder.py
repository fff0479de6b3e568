"""A predictions file carrying a licence: a folder of the file and coop-source.json scores as
the file, and its manifest names the licence; other folders get a status saying why."""

from collections.abc import Callable
from pathlib import Path

from eth_utils.crypto import keccak
from scoring_helpers import make_spec
from test_scoring_engine import SALT, fitted_predictions

from oracle.artifact_manifest import UNREADABLE_LICENCE, artifact_licence
from oracle.ipfs.embedded import EmbeddedStore
from oracle.participant.licensed import with_licence
from oracle.runtime.lock import RuntimeLock
from oracle.scoring import holdout_commitment, load_holdout
from oracle.scoring.artifacts import is_code, score_artifact
from oracle.status import Status

Files = Callable[[str], dict[str, bytes]]
NAME = "diabetes-regression"
LOCK = RuntimeLock.parse(
    (Path(__file__).resolve().parents[3] / "examples/runtimes/scikit-learn.lock").read_text()
)
BOTH = {
    "kind": "both",
    "runtime": {"python": LOCK.python, "packages": LOCK.pins, "digest": LOCK.digest},
    "limits": {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024},
}


def test_a_licensed_predictions_folder_scores_as_its_file(
    example_files: Files, tmp_path: Path
) -> None:
    files = example_files(NAME)
    spec = make_spec(NAME, split__salt_hash="0x" + keccak(SALT).hex())
    holdout = load_holdout(spec, files["labels.csv"], SALT,
                           holdout_commitment(files["labels.csv"], SALT))  # fmt: skip
    store = EmbeddedStore(tmp_path / "ipfs")
    plain = tmp_path / "predictions.csv"
    plain.write_bytes(fitted_predictions(NAME, files)[1])
    folder = with_licence(plain, "Apache-2.0", tmp_path / "artifact")
    assert sorted(p.name for p in folder.iterdir()) == ["coop-source.json", "predictions.csv"]
    file_cid, folder_cid = str(store.add_path(plain).cid), str(store.add_path(folder).cid)

    as_file = score_artifact(spec, holdout, store, file_cid)
    as_folder = score_artifact(spec, holdout, store, folder_cid)
    assert as_folder.status is Status.VALID and as_folder == as_file
    assert artifact_licence(store, folder_cid, "MIT").spdx == "Apache-2.0"
    assert artifact_licence(store, file_cid, "MIT").spdx == "MIT"  # a bare file: the default
    both = make_spec(NAME, submission=BOTH)
    assert not is_code(both, store, folder_cid)  # no main.py: a predictions folder
    (folder / "main.py").write_text("print('hi')\n")
    assert is_code(both, store, str(store.add_path(folder).cid))


def test_other_folders_are_unreadable_and_a_broken_manifest_declares_no_licence(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path / "ipfs")
    two = tmp_path / "two"
    two.mkdir()
    (two / "a.csv").write_text("id,prediction\n")
    (two / "b.csv").write_text("id,prediction\n")
    (two / "coop-source.json").write_text("{not json")
    cid = str(store.add_path(two).cid)
    spec = make_spec(NAME)
    result = score_artifact(spec, None, store, cid)  # type: ignore[arg-type]
    assert result.status is Status.UNREADABLE
    assert "holds a.csv, b.csv, coop-source.json; a predictions folder holds one" in result.reason
    assert artifact_licence(store, cid, "MIT").spdx == UNREADABLE_LICENCE
