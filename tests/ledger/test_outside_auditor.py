"""An outside auditor: the chain, but not the platform's data dir.

Without the content the audit cannot recompute anything; it must say so (exit 3, "could
not check", how to point it at a gateway), never call it a discrepancy or advise a
dispute. Pointed at the platform's API as a gateway (the value docs/auditor.md gives), the
same audit passes.
"""

import json
from pathlib import Path

from click.testing import CliRunner, Result
from lifecycle import Life
from test_audit import run_life

from oracle.api.config import ApiConfig
from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from tests.api.conftest import serve


def outsider_env(life: Life, tmp_path: Path) -> dict[str, str]:
    deployment = tmp_path / "outsider" / "deployment.json"
    deployment.parent.mkdir()
    life.platform.deployment.save(deployment)
    return {
        "COOP_RPC_URL": life.w3.provider.endpoint_uri,  # type: ignore[attr-defined]
        "COOP_DATA_DIR": str(tmp_path / "outsider"),  # an empty data dir: no content
        "COOP_DEPLOYMENT": str(deployment),
    }


def audit(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(cli, ["audit", *args], env=env)


def test_without_the_content_the_audit_says_it_could_not_check(life: Life, tmp_path: Path) -> None:
    run_life(life)
    life.post_root(life.rewards())
    env = outsider_env(life, tmp_path)
    cid = str(life.challenge_id)

    human = audit(env, cid)
    as_json = audit(env, cid, "--json")

    assert human.exit_code == 3, human.output
    out = human.stdout
    assert "could not check" in out and "could not be fetched" in out
    assert f"COOP_GATEWAYS=http://127.0.0.1:8000 coop audit {cid}" in out
    assert "INCOMPLETE" in out and "this is not a discrepancy" in out
    assert "FAILED" not in out and "dispute" not in out
    listed = [line for line in out.splitlines() if line.startswith("  - ")]
    assert listed and len(listed) == len(set(listed)), "a finding printed twice"
    assert any("spec of phase 0" in line for line in listed)

    report = json.loads(as_json.stdout)
    assert as_json.exit_code == 3
    assert report["ok"] is True and report["complete"] is False and report["findings"] == []
    unchecked = {u["check"] for u in report["unchecked"]}
    assert unchecked == {"content", "licences", "scores", "ties", "near-copies", "rewards"}
    assert report["checked"].get("signatures") == 4  # the chain alone still proves these


def test_pointed_at_the_platforms_gateway_the_outside_audit_passes(
    life: Life, tmp_path: Path
) -> None:
    run_life(life)
    life.post_root(life.rewards())
    indexer = Indexer(tmp_path / "index.sqlite3", life.platform, life.store, confirmations=0)
    indexer.catch_up()
    env = outsider_env(life, tmp_path)
    config = ApiConfig(db_path=indexer.db_path, ipfs_dir=life.store.root, web_dir=None)

    with serve(config) as api:
        result = audit({**env, "COOP_GATEWAYS": api.url}, str(life.challenge_id), "--json")

    indexer.close()
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert report["complete"] and report["ok"]
    assert report["checked"]["scores"] == 3 and report["checked"]["rewards"] == 1


def test_the_help_names_the_exit_statuses_and_the_gateway_setting() -> None:
    result = CliRunner().invoke(cli, ["audit", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "3 no discrepancy, but some content could not be fetched" in text
    assert "1 a discrepancy" in text and "2 the audit could not run" in text
    assert "COOP_GATEWAYS=http://127.0.0.1:8000 the platform's API" in text
