"""`import coop` on a real chain, without a notebook: the same settings as the CLI, a file,
a folder and a DataFrame submitted through the CLI's own submit flow, and the errors the CLI
gives."""

from pathlib import Path

import pandas as pd
import pytest

import coop
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.ipfs.importer import import_path
from oracle.ledger.replay import read_ledger


@pytest.fixture
def client(cli_env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> coop.Client:
    for key, value in {**cli_env, "COOP_PRIVATE_KEY": ANVIL_KEYS[1]}.items():
        monkeypatch.setenv(key, value)
    return coop.connect()


def test_the_sdk_submits_a_file_a_folder_and_a_dataframe(
    client: coop.Client, deployed: tuple[Platform, Path], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    platform, _ = deployed
    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,prediction\n1,0.5\n")
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "main.py").write_text("print('hi')\n")
    first = client.submit(1, predictions)
    second = client.submit(1, folder)
    third = client.fork(1, first, pd.DataFrame({"id": [1], "prediction": [0.75]}))
    reveals = {s.submission_id: s.reveal for s in read_ledger(platform).submissions_of(1)}
    assert reveals[first] is not None and reveals[second] is not None
    assert reveals[first].artifact_cid == str(import_path(predictions).cid)
    assert reveals[second].artifact_cid == str(import_path(folder).cid)
    written = tmp_path / "frame.csv"
    written.write_text("id,prediction\n1,0.75\n")
    assert reveals[third] is not None and reveals[third].parents == (first,)
    assert reveals[third].artifact_cid == str(import_path(written).cid)
    mine = client.profile()
    assert list(mine["submission_id"]) == [first, second, third]
    assert client.board(1)._repr_html_().endswith("no scores yet.</p>")

    graph = client.fork_graph(1)
    assert list(graph.edges.itertuples(index=False, name=None)) == [(third, first, 1_000_000)]
    assert graph.columns() == {first: 0, second: 0, third: 1}
    svg = graph._repr_svg_()
    assert svg.startswith("<svg") and "3 submissions, 1 fork links" in svg
    assert f'<g class="edge" data-child="{third}" data-parent="{first}">' in svg and "100%" in svg
    assert all(f'data-submission="{n}"' in svg for n in (first, second, third))

    with pytest.raises(coop.CoopError, match="SelfReview"):
        client.review(first, "approve")
    note = tmp_path / "review.md"
    note.write_text("Clear and reproducible.\n")
    monkeypatch.setenv("COOP_PRIVATE_KEY", ANVIL_KEYS[2])  # another participant
    reviewer = coop.connect()
    done = reviewer.review(first, "concern", note)
    assert done["review_cid"] == str(import_path(note).cid)
    (seen,) = read_ledger(platform).reviews_of(1)
    assert (seen.submission_id, seen.verdict.name, seen.review_cid) == (
        first, "CONCERN", done["review_cid"])  # fmt: skip


def test_the_sdk_refuses_as_the_cli_does(client: coop.Client) -> None:
    with pytest.raises(coop.CoopError, match="there is no challenge 9"):
        client.submit(9, pd.DataFrame({"id": [1], "prediction": [0.5]}))
    with pytest.raises(coop.CoopError, match="does not exist on this deployment"):
        client.board(9)
    with pytest.raises(coop.CoopError, match="'WTFPL' is not a licence this platform knows"):
        client.submit(1, pd.DataFrame({"id": [1], "prediction": [0.5]}), licence="WTFPL")
    with pytest.raises(coop.CoopError, match="submission 999 does not exist; only scored ones"):
        client.receipt(999)
    assert client.receipts(9).empty  # no challenge 9, so nothing scored


def test_connect_says_when_no_node_answers(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("COOP_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(coop.CoopError, match="no Ethereum node answers at http://127.0.0.1:9"):
        coop.connect(rpc_url="http://127.0.0.1:9")
