"""examples/notebooks/quickstart.ipynb, executed by nbclient in a fresh kernel against a
running local platform (the chain, the demo challenge and its mini-grant, the API and three
real oracles that `coop up` starts): every cell runs, and its outputs show what a user would
see, down to a grant paid during the phase."""

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.artifacts import REPO_ROOT
from oracle.devnet.platform import LocalPlatform
from oracle.ledger.replay import read_ledger
from tests.export.export_story import address

NOTEBOOK = REPO_ROOT / "examples" / "notebooks" / "quickstart.ipynb"
PARTICIPANT = ANVIL_KEYS[1]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPlatform]:
    local = LocalPlatform.start(tmp_path_factory.mktemp("platform"), None, None,
                                lambda line: None)  # fmt: skip
    try:
        yield local
    finally:
        local.stop()


def text_of(cell: Any) -> str:
    parts = []
    for output in cell.get("outputs", []):
        if "text" in output:
            parts.append(output["text"])
        for kind in ("text/plain", "text/html", "image/svg+xml"):
            if kind in output.get("data", {}):
                parts.append(output["data"][kind])
    return "\n".join(parts)


def test_the_quickstart_notebook_runs_against_a_local_platform(
    platform: LocalPlatform, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {
        "COOP_RPC_URL": platform.chain.url,
        "COOP_DEPLOYMENT": str(platform.chain.deployment_file),
        "COOP_DATA_DIR": str(platform.data_dir),  # as the `export` lines of `coop up` say
        "COOP_PRIVATE_KEY": PARTICIPANT,
        "COOP_CONFIG": str(tmp_path / "absent.toml"),
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    try:
        NotebookClient(notebook, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(tmp_path)}}).execute()  # fmt: skip
    finally:  # the executed notebook, outputs and all, to read when a cell failed
        nbformat.write(notebook, tmp_path / "quickstart.executed.ipynb")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    outputs = [text_of(c) for c in code]
    me = address(PARTICIPANT)

    assert f"as {me}" in outputs[0] and "chain 31337" in outputs[0]
    assert "Diabetes progression" in outputs[1]
    assert "prediction" in outputs[2]
    assert "'status': 'scored: VALID'" in outputs[3]
    assert "public board" in outputs[4] and me in outputs[4] and "<table" in outputs[4]
    assert "<svg" in outputs[5] and "<polyline" in outputs[5]
    assert "'status': 'scored: VALID'" in outputs[6]
    # the fork may or may not beat the leader on the public rows: the split salt is random
    assert re.search(r"'improvements': [12]", outputs[7]) and "[1]" in outputs[7], outputs[7]
    assert "<svg" in outputs[8] and "1 fork links" in outputs[8], outputs[8]
    assert "nothing to claim yet: " in outputs[9] and "root" in outputs[9], outputs[9]
    # the mini-grant `coop up` funds is paid at once, mid-phase, by the contract
    assert "25 tokens each to the first 3 participants with a public score < 84" in outputs[10]
    assert "'amount': 25.0" in outputs[10], outputs[10]
    # the report the first score names on chain, read from IPFS
    assert "'status': 'VALID'" in outputs[11] and "'report_cid': '" in outputs[11], outputs[11]

    ledger = read_ledger(platform.chain.platform)
    mine = [s for s in ledger.submissions_of(1) if s.submitter == me]
    assert len(mine) == 2
    assert mine[1].reveal is not None and mine[1].reveal.parents == (mine[0].submission_id,)
    assert all(s.score is not None and s.score.status == 0 for s in mine)
    grants = platform.chain.platform.grants
    assert grants is not None and grants.functions.isPaid(1, me).call()
    reveal_end = int(platform.chain.platform.registry.functions.scoringRules(1, 0).call()[2])
    assert platform.chain.platform.w3.eth.get_block("latest")["timestamp"] < reveal_end
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", []))
    assert os.environ["COOP_PRIVATE_KEY"] == PARTICIPANT
