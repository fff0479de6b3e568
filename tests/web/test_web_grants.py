"""Mini-grants in the web app (Chromium): the challenge page lists a pool with its rule and
who was paid, and the paid participant's profile shows the grant received."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.challenges import call_struct
from oracle.chain.grants import claim_grant, fund_pool
from oracle.chain.sender import Sender
from oracle.types import WAD
from tests.indexer.story import ALICE, address
from tests.ledger.lifecycle import predictions
from tests.web.conftest import WAIT_MS, Site, screenshot


def test_a_paid_grant_shows_on_the_challenge_page_and_the_profile(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    cid = life.challenge_id
    life.submit(ALICE, predictions(life.files, "linear"))
    life.score_and_post()
    owner = life.owner
    # lower is better (rmse): a fitted linear model beats the baseline, 84
    baseline = int(call_struct(life.platform.registry.functions.getPhase(cid, 0))["baseline"])
    owner.transact(life.platform.token.functions.mint(owner.address, 100 * WAD))
    pool = fund_pool(life.platform, owner, cid, 0, baseline, 20 * WAD, 2, 3600)
    participant = Sender.from_key(life.w3, ANVIL_KEYS[ALICE])
    claim_grant(life.platform, participant, pool.pool_id)
    site.wait_indexed()

    page = open_page()
    page.goto(f"{site.url}/#/challenges/{cid}")
    row = page.locator(f"#grants .grant-list tr[data-pool='{pool.pool_id}']")
    expect(row).to_contain_text("20 tokens each, public score < 84", timeout=WAIT_MS)
    expect(row).to_contain_text("1 of 2")
    expect(row).to_contain_text("20 tokens")  # left
    expect(row.locator("a.address")).to_have_attribute("title", address(ALICE))
    screenshot(page, "challenge-grants")

    page.goto(f"{site.url}/#/profiles/{address(ALICE)}")
    received = page.locator(f"#grants .grant-received-list tr[data-pool='{pool.pool_id}']")
    expect(received).to_contain_text("20 tokens", timeout=WAIT_MS)
    expect(received).to_contain_text(f"Challenge {cid}")
