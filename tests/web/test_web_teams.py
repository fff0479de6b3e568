"""The challenge page's teams table after two formed teams merged: the old teams say which
team took them over, the new one is formed (teams formed on chain, read through the index)."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.chain.teams import form_team
from tests.web.conftest import WAIT_MS, Site, screenshot

expect.set_options(timeout=WAIT_MS)


def test_a_merged_team_names_the_team_that_took_it_over(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    cid = life.challenge_id
    a, b, c, d = (Sender.from_key(life.w3, ANVIL_KEYS[k]) for k in (5, 6, 7, 8))
    first = form_team(life.platform, cid, [(a, 500_000), (b, 500_000)])
    second = form_team(life.platform, cid, [(c, 500_000), (d, 500_000)])
    merged = form_team(life.platform, cid, [(s, 250_000) for s in (a, b, c, d)])
    site.wait_indexed()
    page = open_page()
    page.goto(f"{site.url}/#/challenges/{cid}")
    teams = page.locator(".teams")
    for old in (first, second):
        expect(teams.locator(f"[data-team='{old}']")).to_contain_text(f"merged into team {merged}")
    expect(teams.locator(f"[data-team='{merged}']")).to_contain_text("formed: one shared daily cap")
    expect(teams.locator(f"[data-team='{merged}']")).to_contain_text("25%")
    screenshot(page, "challenge-teams-merged")
