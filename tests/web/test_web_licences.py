"""Each submission's licence where the submission is shown: the API's submission, lists and
boards, the submission page and the board in Chromium; and the submit form's licence field,
which commits the CID `coop submit --licence` gives (docs/licences.md)."""

from collections.abc import Callable
from pathlib import Path

import httpx
from playwright.sync_api import Page, expect

from oracle.artifact_manifest import artifact_licence
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.participant.licensed import with_licence
from tests.ledger.lifecycle import predictions
from tests.web.conftest import Site
from tests.web.test_web_wallet import PENDING, USER, commit_file, connect


def test_licences_are_shown_in_the_api_the_submission_page_and_the_board(
    site: Site, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    life = site.life
    linear = tmp_path / "linear.csv"
    linear.write_bytes(predictions(life.files, "linear"))

    def licensed(who: int, spdx: str, parents: tuple[int, ...] = ()) -> int:
        folder = with_licence(linear, spdx, tmp_path / f"artifact-{who}")
        cid = str(life.store.add_path(folder).cid)
        sender = Sender.from_key(life.w3, ANVIL_KEYS[who])
        pending = commit(life.platform, sender, tmp_path / f"p{who}", life.challenge_id, cid,
                         parents, (1_000_000,) * len(parents))  # fmt: skip
        return reveal(life.platform, sender, pending)

    ada = licensed(1, "Apache-2.0")
    ben = licensed(2, "GPL-3.0-only", (ada,))
    bare = life.submit(3, predictions(life.files, "baseline"))
    life.score_and_post()
    site.wait_indexed()

    def api(path: str) -> dict:  # type: ignore[type-arg]
        answer = httpx.get(f"{site.url}/v1/{path}", timeout=10)
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    assert api(f"submissions/{ben}")["licence"] == {
        "spdx": "GPL-3.0-only", "declared": True, "open": True}  # fmt: skip
    assert api(f"submissions/{bare}")["licence"] == {"spdx": "MIT", "declared": False, "open": True}
    listed = api(f"challenges/{life.challenge_id}/submissions")["items"]
    expected = {ada: "Apache-2.0", ben: "GPL-3.0-only", bare: "MIT"}
    assert {s["submission_id"]: s["licence"]["spdx"] for s in listed} == expected
    board = api(f"challenges/{life.challenge_id}/leaderboard/public")["items"]
    assert len(board) == 3 and all(e["licence"] == expected[e["submission_id"]] for e in board)

    page = open_page()
    page.goto(f"{site.url}/#/submissions/{ben}")
    expect(page.locator("[data-field=licence]")).to_have_text(
        "GPL-3.0-only (named in its coop-source.json)"
    )
    page.goto(f"{site.url}/#/submissions/{bare}")
    expect(page.locator("[data-field=licence]")).to_have_text("MIT (the challenge's default)")
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    row = page.locator(f".board-public tr[data-submission='{board[0]['submission_id']}']")
    expect(row.locator(".licence")).to_have_text(board[0]["licence"])


def test_the_submit_form_binds_the_licence_as_coop_submit_does(
    site: Site, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    life = site.life
    site.wait_indexed()
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    connect(page, USER)
    page.fill("#licence", "Apache-2.0")
    artifact = predictions(life.files, "linear")
    submission_id = commit_file(page, "linear.csv", artifact)
    (pending,) = page.evaluate(PENDING)
    assert pending["submissionId"] == submission_id
    # the CID committed is the one `coop submit linear.csv --licence Apache-2.0` gives
    (tmp_path / "linear.csv").write_bytes(artifact)
    folder = with_licence(tmp_path / "linear.csv", "Apache-2.0", tmp_path / "cli")
    assert pending["artifactCid"] == str(life.store.add_path(folder).cid)
    assert artifact_licence(life.store, pending["artifactCid"], "MIT").spdx == "Apache-2.0"
