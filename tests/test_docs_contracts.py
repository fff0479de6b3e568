"""docs/contracts.md names every function, event and error of the deployed contracts."""

from pathlib import Path

import pytest

from oracle.chain.artifacts import REPO_ROOT, load_artifact

PROTOCOL = ("ChallengeRegistry", "SubmissionBook", "ScoreBoard", "RewardVault")
DOC = (REPO_ROOT / "docs" / "contracts.md").read_text()


@pytest.mark.parametrize("name", PROTOCOL)
def test_every_abi_entry_is_documented(name: str) -> None:
    entries = [e for e in load_artifact(name).abi if e.get("name")]
    missing = sorted({e["name"] for e in entries if f"`{e['name']}" not in DOC
                      and f" {e['name']}(" not in DOC and f"`{e['name']}(" not in DOC})  # fmt: skip
    assert not missing, f"docs/contracts.md does not mention {name}: {', '.join(missing)}"


def test_doc_exists_where_the_readme_points() -> None:
    assert Path(REPO_ROOT / "README.md").read_text().count("docs/contracts.md") >= 1
