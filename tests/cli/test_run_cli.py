"""`coop run`: a participant runs a code submission locally against a real challenge on
anvil, in the real sandbox and runtime, and reads what the oracles would report."""

import json
from pathlib import Path

import pytest
from owner_world import OwnerWorld, last_json, make_world

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.artifacts import REPO_ROOT
from oracle.runtime import RuntimeLock

RUNTIME_CACHE = REPO_ROOT / ".tools" / "runtimes"  # shared with tests/coderun
LOCK = RuntimeLock.parse((REPO_ROOT / "examples" / "runtimes" / "scikit-learn.lock").read_text())
RIDGE = REPO_ROOT / "examples" / "code" / "diabetes-ridge"


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    world = make_world(anvil, tmp_path)
    spec = json.loads(world.spec.read_text())
    spec["submission"] = {
        "kind": "both",
        "runtime": {"python": LOCK.python, "packages": LOCK.pins, "digest": LOCK.digest},
        "limits": {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024},
    }
    world.spec.write_text(json.dumps(spec))
    world.env["COOP_RUNTIME_DIR"] = str(RUNTIME_CACHE)
    world.create()
    return world


def test_coop_run_reports_status_resources_log_and_a_sample_score(world: OwnerWorld) -> None:
    result = world.coop("run", "1", str(RIDGE), "--json")
    assert result.exit_code == 0, result.output
    report = last_json(result)
    assert report["status_name"] == "VALID"
    assert report["reason"] == "111 predictions in the format the oracles read"
    assert report["runtime"] == LOCK.digest
    assert 0 < report["usage"]["cpu_seconds"] < 60 and report["usage"]["peak_memory_mb"] > 10
    assert "ridge alpha" in report["log"]
    assert report["sample"]["metric"] == "rmse" and report["sample"]["rows"] == 67
    assert 30 < report["sample"]["value"] < 84  # better than the constant-guess baseline
    human = world.coop("run", "1", str(RIDGE))
    assert human.exit_code == 0
    assert "status    VALID (0)" in human.output and "sample    rmse" in human.output


def test_coop_run_says_what_is_wrong_with_a_broken_program(
    world: OwnerWorld, tmp_path: Path
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "main.py").write_text(
        "import pandas as pd\n"
        "pd.DataFrame({'id': [1, 2], 'prediction': [0.5, 0.5]}).to_csv("
        "'/out/predictions.csv', index=False)\n"
    )
    result = world.coop("run", "1", str(folder))
    assert result.exit_code == 1
    assert "status    WRONG" in result.output  # ids of the test set are missing
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = world.coop("run", "1", str(empty), "--json")
    assert refused.exit_code == 1
    assert last_json(refused)["reason"].startswith("the folder has no main.py")


def test_coop_run_refuses_a_challenge_that_takes_predictions_only(
    anvil: Anvil, tmp_path: Path
) -> None:
    world = make_world(anvil, tmp_path)
    world.create()
    result = world.coop("run", "1", str(RIDGE))
    assert result.exit_code == 2
    assert "takes predictions files, not code" in result.output


def test_a_submitted_folder_is_fetched_verified_and_reruns(
    world: OwnerWorld, tmp_path: Path
) -> None:
    participant = {"COOP_PRIVATE_KEY": ANVIL_KEYS[1], "COOP_DATA_DIR": world.env["COOP_DATA_DIR"]}
    submitted = world.coop("submit", "1", str(RIDGE), "--json", **participant)
    assert submitted.exit_code == 0, submitted.output
    submission = last_json(submitted)["submission_id"]
    dest = tmp_path / "fetched"
    fetched = world.coop("fetch", str(submission), str(dest), "--json")
    assert fetched.exit_code == 0, fetched.output
    assert last_json(fetched)["cid"] == last_json(submitted)["cid"]
    assert (dest / "main.py").read_bytes() == (RIDGE / "main.py").read_bytes()
    assert sorted(p.name for p in dest.iterdir()) == sorted(p.name for p in RIDGE.iterdir())
    rerun = world.coop("run", "1", str(dest), "--json")
    assert rerun.exit_code == 0 and last_json(rerun)["status_name"] == "VALID"
    again = world.coop("fetch", str(submission), str(dest))
    assert again.exit_code == 2 and "is not empty" in again.output
    unknown = world.coop("fetch", "99", str(tmp_path / "none"))
    assert unknown.exit_code == 2 and "submission 99 does not exist" in unknown.output


def test_coop_runtime_digest_prints_the_spec_section(world: OwnerWorld) -> None:
    lock_file = REPO_ROOT / "examples" / "runtimes" / "scikit-learn.lock"
    result = world.coop("runtime", "digest", str(lock_file))
    assert result.exit_code == 0
    assert json.loads(result.output) == {
        "python": "3.11", "packages": LOCK.pins, "digest": LOCK.digest,
    }  # fmt: skip
    bad = REPO_ROOT / "README.md"
    refused = world.coop("runtime", "digest", str(bad))
    assert refused.exit_code == 2 and "python==3.11" in refused.output
