"""What the page says when a sent transaction is not mined as sent: replaced by another
one with the same nonce (sent with cast, as the user's other wallet would), sped up, out of
gas, dropped by the node, or not mined within the wait; and when the user rejects it.
anvil mines on request here (automine off), so the transaction stays pending long enough
for each to happen."""

import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Page, expect

from oracle.chain.anvil import ANVIL_KEYS
from tests.indexer.story import address
from tests.ledger.lifecycle import predictions
from tests.web.conftest import WAIT_MS, Site, screenshot
from tests.web.test_web_wallet import PENDING, choose_file, connect

expect.set_options(timeout=WAIT_MS)

USER = 5
OTHER = 6
GWEI = 10**9


@contextmanager
def mining_on_request(site: Site) -> Iterator[Any]:
    rpc = site.life.w3.provider
    rpc.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    try:
        yield rpc
    finally:
        rpc.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
        rpc.make_request("evm_mine", [])  # type: ignore[arg-type]


def connected_challenge_page(site: Site, open_page: Callable[..., Page]) -> Page:
    """The challenge's page, its wallet (an anvil dev account) connected."""
    site.wait_indexed()
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/challenges/{site.life.challenge_id}")
    connect(page, USER)
    return page


def send_commit(site: Site, page: Page) -> str:
    """Commits a file from the page; returns the hash once the page says it was sent."""
    choose_file(page, "linear.csv", predictions(site.life.files, "linear"))
    page.click("#commit-button")
    box = page.locator(".commit-form .tx")
    expect(box).to_have_attribute("data-state", "sent")
    return box.locator(".tx-hash").inner_text()


def send_over(
    rpc: Any, nonce: int, to: str, value: int, data: str = "0x", gas: int = 100_000
) -> str:
    """Sends a transaction from the page's account at `nonce`, with a higher fee than the
    page's, by cast (the account's other wallet); returns its hash."""
    cast = shutil.which("cast")
    assert cast, "cast is not on PATH: run through `make test` (it installs it from npm)"
    return subprocess.run(
        [cast, "send", "--async", "--rpc-url", rpc.endpoint_uri,
         "--private-key", ANVIL_KEYS[USER], "--nonce", str(nonce),
         "--gas-price", str(300 * GWEI), "--priority-gas-price", str(100 * GWEI),
         "--gas-limit", str(gas), "--value", str(value), "--data", data, to],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout.strip()  # fmt: skip


def test_a_transaction_replaced_with_the_same_nonce_is_reported_as_replaced(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    page = connected_challenge_page(site, open_page)
    with mining_on_request(site) as rpc:
        sent = send_commit(site, page)
        nonce = life.w3.eth.get_transaction(sent)["nonce"]  # type: ignore[arg-type]
        replacement = send_over(rpc, nonce, address(OTHER), 1)
        rpc.make_request("evm_mine", [])
    receipt = life.w3.eth.get_transaction_receipt(replacement)  # type: ignore[arg-type]
    assert receipt["status"] == 1

    box = page.locator(".commit-form .tx")
    expect(box).to_have_attribute("data-history", "checking waiting-for-wallet sent replaced")
    expect(box).to_contain_text("Replaced.")
    expect(box.locator(".error-text")).to_contain_text(
        f"Your account sent another transaction with the same nonce ({replacement}, mined in "
        f"block {receipt['blockNumber']}), so this one will never be mined. Nothing was done"
    )
    assert page.evaluate(PENDING) == [], "nothing was committed: no reveal is kept waiting"
    screenshot(page, "wallet-tx-replaced")


def test_a_dropped_transaction_is_reported_as_dropped(
    site: Site, open_page: Callable[..., Page]
) -> None:
    page = connected_challenge_page(site, open_page)
    with mining_on_request(site) as rpc:
        sent = send_commit(site, page)
        rpc.make_request("anvil_dropTransaction", [sent])  # the node forgets it
        box = page.locator(".commit-form .tx")
        expect(box).to_have_attribute("data-history", "checking waiting-for-wallet sent dropped")
    expect(box).to_contain_text("Dropped.")
    expect(box.locator(".error-text")).to_contain_text(
        "The network no longer has this transaction and nothing was mined with its nonce"
    )
    # a node may forget a transaction another still mines: the salt is kept until it is known
    (pending,) = page.evaluate(PENDING)
    assert (pending["commitTx"], pending["submissionId"]) == (sent, None)
    expect(page.locator(".pending-commit")).to_contain_text(
        "linear.csv: the commit was sent and is not mined yet."
    )


# Sends 1 wei to `to` with Wallet.send from a page, the wallet's provider being `PROVIDER`
# (an expression) and its options `OPTIONS`; returns [state, message or null] for each
# state, then ["rejected with", the error's name].
SEND_FROM_PAGE = """async ([to]) => {
  const { Wallet } = await import('/js/chain/wallet.js');
  const wallet = new Wallet(PROVIDER, OPTIONS);
  await wallet.connect();
  const states = [];
  try {
    await wallet.send({ to, data: '0x', value: 1n }, (state, detail) =>
      states.push([state, detail && detail.message ? detail.message : null]));
  } catch (e) {
    states.push(['rejected with', e.name]);
  }
  return states;
}"""


def send_from_page(page: Page, provider: str = "window.ethereum", options: str = "{}") -> Any:
    script = SEND_FROM_PAGE.replace("PROVIDER", provider).replace("OPTIONS", options)
    return page.evaluate(script, [address(OTHER)])


def test_waiting_for_a_receipt_ends_with_a_timeout_that_says_so(
    site: Site, open_page: Callable[..., Page]
) -> None:
    site.wait_indexed()
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/")
    with mining_on_request(site):
        states = send_from_page(page, options="{ receiptTimeoutMs: 3000 }")
    assert [s for s, _ in states] == [
        "checking", "waiting-for-wallet", "sent", "timeout", "rejected with"
    ]  # fmt: skip
    assert states[3][1].startswith("Not mined after 3 seconds. It may still be mined later")
    assert states[4][1] == "WalletError"


def commit_sped_up(site: Site, page: Page, gas: int | None = None) -> Any:
    """Commits from the page, then sends what a wallet's "speed up" sends — the same
    transaction at a higher fee — by cast, with `gas` (default: the original's); returns
    the receipt of the one mined."""
    life = site.life
    with mining_on_request(site) as rpc:
        sent = send_commit(site, page)
        original = life.w3.eth.get_transaction(sent)  # type: ignore[arg-type]
        data = "0x" + bytes(original["input"]).hex()
        to = str(original["to"])
        sped_up = send_over(rpc, original["nonce"], to, original["value"], data,
                            gas or original["gas"])  # fmt: skip
        rpc.make_request("evm_mine", [])
    return life.w3.eth.get_transaction_receipt(sped_up)  # type: ignore[arg-type]


def test_the_same_call_sent_again_at_a_higher_fee_is_followed_to_its_receipt(
    site: Site, open_page: Callable[..., Page]
) -> None:
    page = connected_challenge_page(site, open_page)
    receipt = commit_sped_up(site, page)
    sped_up = "0x" + bytes(receipt["transactionHash"]).hex()
    box = page.locator(".commit-form .tx")
    expect(box).to_have_attribute("data-history", "checking waiting-for-wallet sent repriced mined")
    expect(box.locator(".tx-hash")).to_have_text(sped_up)  # the mined one
    (pending,) = page.evaluate(PENDING)  # committed: the reveal is waiting
    assert receipt["status"] == 1 and pending["submissionId"] > 0


def test_a_transaction_that_ran_out_of_gas_is_reported_as_such(
    site: Site, open_page: Callable[..., Page]
) -> None:
    page = connected_challenge_page(site, open_page)
    # sped up by the other wallet, with too little gas for the commit's storage writes
    receipt = commit_sped_up(site, page, gas=40_000)
    assert receipt["status"] == 0 and receipt["gasUsed"] == 40_000
    box = page.locator(".commit-form .tx")
    history = "checking waiting-for-wallet sent repriced failed"
    expect(box).to_have_attribute("data-history", history)
    expect(box.locator(".error-text")).to_have_text(
        f"The transaction ran out of gas in block {receipt['blockNumber']}: it was given 40000 "
        "gas and used all of it. Nothing was done; send it again with a higher gas limit."
    )
    assert page.evaluate(PENDING) == []


def test_a_request_the_user_rejects_in_the_wallet_is_reported_as_rejected(
    site: Site, open_page: Callable[..., Page]
) -> None:
    page = open_page(wallet=USER)
    page.goto(f"{site.url}/#/")
    # the wallet's user presses "Reject" (EIP-1193 error 4001) when asked to sign
    rejecting = """{ request: (args) => args.method === 'eth_sendTransaction'
      ? Promise.reject(Object.assign(new Error('User denied'), { code: 4001 }))
      : window.ethereum.request(args) }"""
    states = send_from_page(page, provider=rejecting)
    assert states == [
        ["checking", None], ["waiting-for-wallet", None],
        ["failed", "You rejected the request in your wallet."], ["rejected with", "WalletError"],
    ]  # fmt: skip
