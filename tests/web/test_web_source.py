"""The submission page links the git commit a folder submission's coop-source.json names."""

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.submission_source import snapshot
from tests.cli.test_submit_from_git import git, make_repo
from tests.web.conftest import Site


def test_the_submission_page_links_the_source_commit(
    site: Site, open_page: Callable[..., Page], tmp_path: Path
) -> None:
    life = site.life
    repo = make_repo(tmp_path)
    head = git(repo, "rev-parse", "HEAD")
    snapshot(repo / "model", tmp_path / "artifact")
    cid = str(life.store.add_path(tmp_path / "artifact").cid)
    alice = Sender.from_key(life.w3, ANVIL_KEYS[1])
    pending = commit(life.platform, alice, tmp_path / "pending", life.challenge_id, cid, (), ())
    submission_id = reveal(life.platform, alice, pending)
    site.wait_indexed()

    page = open_page()
    page.goto(f"{site.url}/#/submissions/{submission_id}")
    link = page.locator("[data-field=source] a")
    expect(link).to_have_attribute(
        "href", f"https://github.com/alice/diabetes-model/tree/{head}/model"
    )
    expect(link).to_contain_text(f"https://github.com/alice/diabetes-model.git @ {head[:12]}")
    expect(page.locator("[data-field=artifact]")).to_contain_text(cid)
