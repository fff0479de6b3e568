"""Choosing among several browser wallets (EIP-6963): two provider stubs announce
themselves, the page lists both, and the one picked is the one that signs."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.indexer.story import address
from tests.ledger.lifecycle import predictions
from tests.web.conftest import WAIT_MS, Site, screenshot
from tests.web.test_web_wallet import commit_file

expect.set_options(timeout=WAIT_MS)

FIRST, SECOND = 5, 6  # anvil dev accounts the story's people do not use
WALLETS = {"Stub Wallet One": FIRST, "Stub Wallet Two": SECOND}


def requests_of(page: Page, wallet: int) -> list[str]:
    return list(page.evaluate(f"window.__stubRequests[{wallet}]"))


def test_the_user_picks_one_of_two_announced_wallets_and_that_one_signs(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    site.wait_indexed()
    page = open_page(announced=WALLETS)
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")

    page.click("#connect")
    choices = page.locator("#wallet .wallet-choice")
    expect(choices).to_have_text(["Stub Wallet One", "Stub Wallet Two"])
    expect(choices.nth(0).locator("img")).to_have_count(1)  # the announced icon
    assert requests_of(page, 0) == [] and requests_of(page, 1) == [], "nothing asked before"
    screenshot(page, "wallet-choice")

    choices.nth(1).click()
    connected = page.locator("#wallet .connected")
    expect(connected).to_have_attribute("data-account", address(SECOND))
    expect(connected).to_have_attribute("data-wallet", "Stub Wallet Two")

    submission_id = commit_file(page, "linear.csv", predictions(life.files, "linear"))
    tx_hash = page.locator(".commit-form .tx .tx-hash").inner_text()
    assert life.w3.eth.get_transaction(tx_hash)["from"] == address(SECOND)
    assert submission_id > 0
    assert "eth_sendTransaction" in requests_of(page, 1)
    assert requests_of(page, 0) == [], "the wallet not chosen was never asked anything"

    # the choice is remembered: after a reload the page reconnects to the same wallet
    # by itself, without asking which one
    page.reload()
    expect(connected).to_have_attribute("data-account", address(SECOND))
    expect(page.locator("#wallet .wallet-choice")).to_have_count(0)
    assert requests_of(page, 1)[0] == "eth_accounts", "first only asks whether it is allowed"
    assert requests_of(page, 0) == []

    # the user switches to the other wallet: from then on that one is used, and remembered
    page.click("#switch-wallet")
    expect(connected).to_have_count(0)
    page.locator("#wallet .wallet-choice", has_text="Stub Wallet One").click()
    expect(connected).to_have_attribute("data-account", address(FIRST))
    expect(page.locator("#submit")).to_contain_text("Commit")  # the form, for this account
    page.reload()
    expect(connected).to_have_attribute("data-wallet", "Stub Wallet One")


def test_a_single_announced_wallet_needs_no_choice(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    page = open_page(announced={"Stub Wallet One": FIRST})
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    page.click("#connect")
    expect(page.locator("#wallet .connected")).to_have_attribute("data-account", address(FIRST))
    expect(page.locator("#wallet .wallet-choice")).to_have_count(0)
