"""`coop submit --from-git` with a real git repository made here: HEAD's tracked files and a
manifest naming the repository and commit become the artifact the CID binds; a dirty tree
is refused before anything is sent; the API links the commit."""

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.folder import export_folder
from oracle.ledger.replay import read_ledger

ALICE = ANVIL_KEYS[1]
ORIGIN = "https://alice:ghp_secret@github.com/alice/diabetes-model.git"


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return done.stdout.strip()


def make_repo(root: Path) -> Path:
    repo = root / "model repo"  # a space in the path, as checkouts may have
    (repo / "model").mkdir(parents=True)
    git(repo, "init", "-q")
    git(repo, "config", "user.email", "alice@example.org")
    git(repo, "config", "user.name", "Alice")
    (repo / "README.md").write_text("my model\n")
    (repo / "model" / "main.py").write_text("print('hello')\n")
    (repo / "model" / "weights.txt").write_text("0.5\n")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first model")
    git(repo, "remote", "add", "origin", ORIGIN)
    (repo / "model" / "scratch.txt").write_text("not tracked, never submitted\n")
    return repo


def submit(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, ["submit", "1", *args, "--json"],
                              env={**env, "COOP_PRIVATE_KEY": ALICE})  # fmt: skip


def test_from_git_submits_head_with_its_source(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    repo = make_repo(tmp_path)
    head = git(repo, "rev-parse", "HEAD")

    result = submit(cli_env, str(repo / "model"), "--from-git")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["source"] == {"repository": "https://github.com/alice/diabetes-model.git",
                             "commit": head, "path": "model"}  # fmt: skip
    (submission,) = read_ledger(platform).submissions_of(1)
    assert submission.reveal is not None and submission.reveal.artifact_cid == out["cid"]

    store = EmbeddedStore(Path(cli_env["COOP_DATA_DIR"]) / "ipfs")
    fetched = tmp_path / "fetched"
    export_folder(store.get_block, parse_cid(out["cid"]), fetched, max_bytes=1 << 20)
    assert sorted(p.relative_to(fetched).as_posix() for p in fetched.rglob("*")) == [
        "coop-source.json",
        "main.py",
        "weights.txt",
    ]  # scratch.txt is not tracked
    manifest = json.loads((fetched / "coop-source.json").read_text())
    assert manifest["commit"] == head and "ghp_secret" not in json.dumps(manifest)

    indexer = Indexer(tmp_path / "index.sqlite3", platform, store, confirmations=0)
    indexer.catch_up()
    config = ApiConfig(indexer.db_path, store.root, web_dir=None)
    with TestClient(create_app(config)) as client:
        source = client.get(f"/v1/submissions/{out['submission_id']}").json()["source"]
    indexer.close()
    assert source["url"] == f"https://github.com/alice/diabetes-model/tree/{head}/model"
    assert source["commit"] == head

    exported = tmp_path / "export"
    done = CliRunner().invoke(cli, ["export", "1", str(exported)], env=cli_env)
    assert done.exit_code == 0, done.output
    rows = pq.read_table(exported / "submissions.parquet").to_pylist()
    assert [(r["source_repository"], r["source_commit"]) for r in rows] == [
        ("https://github.com/alice/diabetes-model.git", head)]  # fmt: skip


def test_a_dirty_tree_is_refused_before_anything_is_sent(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    repo = make_repo(tmp_path)
    (repo / "model" / "main.py").write_text("print('changed, not committed')\n")
    result = submit(cli_env, str(repo), "--from-git")
    assert result.exit_code == 2, result.output
    assert "uncommitted changes (model/main.py)" in result.output
    assert "commit or stash them" in result.output
    assert platform.book.functions.submissionCount().call() == 0

    plain = tmp_path / "not a repo"
    plain.mkdir()
    refused = submit(cli_env, str(plain), "--from-git")
    assert refused.exit_code == 2
    assert "is not inside a git repository" in refused.output
    nothing = submit(cli_env)
    assert nothing.exit_code == 2 and "--from-git" in nothing.output


def test_a_file_submission_has_no_source(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,prediction\n1,0.5\n")
    result = submit(cli_env, str(predictions))
    assert result.exit_code == 0, result.output
    assert "source" not in json.loads(result.stdout.strip().splitlines()[-1])
    store = EmbeddedStore(Path(cli_env["COOP_DATA_DIR"]) / "ipfs")
    indexer = Indexer(tmp_path / "index.sqlite3", platform, store, confirmations=0)
    indexer.catch_up()
    with TestClient(create_app(ApiConfig(indexer.db_path, store.root, web_dir=None))) as client:
        assert client.get("/v1/submissions/1").json()["source"] is None
    indexer.close()
