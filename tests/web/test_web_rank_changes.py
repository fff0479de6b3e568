"""The challenge page's rank-changes section (issue 15): after the owner corrects a phase's
scorer, the page lists every submission whose rank or status moved, old -> new, with the
reason's link; an uncorrected phase shows no such section. Real anvil, index, API, Chromium."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from oracle.chain.corrections import correct_phase
from tests.indexer.story import scored
from tests.web.conftest import Site, screenshot


def test_a_corrected_phase_shows_what_its_correction_changed(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    story = scored(life)
    life.end_phase()
    site.wait_indexed()
    page = open_page()
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    expect(page.locator("#private-board h2")).to_be_visible()
    expect(page.locator("#rank-changes")).to_have_count(0)  # never corrected

    done = correct_phase(
        life.platform, life.owner, life.store, life.data_dir, life.challenge_id, 0,
        b"The scorer divided by the wrong row count.", scorer=b"# scorer v2\n",
    )  # fmt: skip
    site.wait_indexed()
    page.reload()
    section = page.locator("#rank-changes")
    expect(section.locator("h2")).to_have_text("Rank changes (phase 0, correction 1)")
    expect(section.locator(f"a[href*='{done.reason_cid}']")).to_have_count(1)
    rows = section.locator("tbody tr")
    # every scored submission is unscored until the oracles score it again: the valid ones
    # lose their rank, the broken one its status
    expect(rows).to_have_count(3)
    for sid in (story.mean, story.linear):
        row = rows.filter(has_text=f"#{sid}")
        expect(row).to_contain_text("VALID → unscored")
        expect(row).to_contain_text("→ none")
    expect(rows.filter(has_text=f"#{story.broken}")).to_contain_text("→ unscored")
    section.scroll_into_view_if_needed()
    screenshot(page, "challenge-rank-changes")
