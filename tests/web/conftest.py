"""The web app in Debian's Chromium (Playwright, never a downloaded browser), served by the
real API over a real index of a real anvil chain, with an indexer following in a thread."""

import functools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from oracle.api.config import WEB_DIR, ApiConfig
from oracle.indexer.runner import Indexer
from tests.api.conftest import serve
from tests.indexer.conftest import indexer, life  # noqa: F401  (fixtures)
from tests.indexer.story import address
from tests.ledger.lifecycle import Life

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "web"
WAIT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module (Playwright's event loop does not outlive the module)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            yield chromium
        finally:
            chromium.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def static_web() -> Iterator[str]:
    """oracle/web/ over plain HTTP (ES modules do not load from file://), no API behind it."""
    with serve_directory(WEB_DIR) as url:
        yield url


@contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """A folder over plain HTTP on a free port; yields its URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@dataclass
class Site:
    url: str
    life: Life
    indexer: Indexer

    def wait_indexed(self) -> None:
        """Until the index has read the chain's newest block."""
        head = self.life.w3.eth.block_number
        deadline = time.monotonic() + 20
        while httpx.get(f"{self.url}/v1/status", timeout=5).json()["indexed_block"] < head:
            assert time.monotonic() < deadline, "the indexer did not catch up"
            time.sleep(0.1)


@pytest.fixture
def site(life: Life, indexer: Indexer, tmp_path: Path) -> Iterator[Site]:  # noqa: F811
    """`coop api serve` in-process: uvicorn with the web app, the indexer following the chain,
    and the node and deployment file (for what the API reads from the chain: grants)."""
    deployment = tmp_path / "deployment.json"
    life.platform.deployment.save(deployment)
    rpc_url = life.w3.provider.endpoint_uri  # type: ignore[attr-defined]
    config = ApiConfig(db_path=indexer.db_path, ipfs_dir=life.store.root, stream_poll_seconds=0.1,
                       rpc_url=rpc_url, deployment=deployment)  # fmt: skip
    assert config.web_dir == WEB_DIR
    stop = threading.Event()
    follower = threading.Thread(target=indexer.follow, args=(stop, 0.1), daemon=True)
    follower.start()
    try:
        with serve(config) as served:
            yield Site(served.url, life, indexer)
    finally:
        stop.set()
        follower.join(timeout=20)


# A provider stub (headless Chromium has no wallet extension: this is the only way to have a
# wallet in it): an EIP-1193 provider backed by an anvil dev account. Requests go to
# anvil's JSON-RPC, which signs eth_sendTransaction for its unlocked accounts. The account
# is shared only after eth_requestAccounts and, as a real wallet does, remembered across
# reloads. Each request's method is logged in `log`.
PROVIDER_STUB = """
const stubProvider = (rpc, account, storageKey, log) => {
  let connected = sessionStorage.getItem(storageKey) === "yes";
  let id = 0;
  return {
    isStub: true,
    on() {},
    async request({ method, params = [] }) {
      log.push(method);
      if (method === "eth_requestAccounts") {
        connected = true;
        sessionStorage.setItem(storageKey, "yes");
        return [account];
      }
      if (method === "eth_accounts") return connected ? [account] : [];
      const response = await fetch(rpc, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: ++id, method, params }),
      });
      const answer = await response.json();
      if (answer.error) {
        const error = new Error(answer.error.message);
        error.code = answer.error.code;
        error.data = answer.error.data;
        throw error;
      }
      return answer.result;
    },
  };
};
"""

# One provider stub as window.ethereum (a wallet from before EIP-6963); its requests are
# logged in window.__walletRequests.
WALLET_SHIM = (
    "(() => {"
    + PROVIDER_STUB
    + """
  window.__walletRequests = [];
  window.ethereum = stubProvider(%(rpc)s, %(account)s, "shim-connected", window.__walletRequests);
})();"""
)

# Provider stubs that announce themselves by EIP-6963 (and set no window.ethereum), each
# with its own anvil account; wallet i's requests are logged in window.__stubRequests[i].
EIP6963_STUBS = (
    "(() => {"
    + PROVIDER_STUB
    + """
  const rpc = %(rpc)s;
  const wallets = %(wallets)s;  // [{ name, account }]
  window.__stubRequests = wallets.map(() => []);
  const announced = wallets.map(({ name, account }, i) => ({
    info: {
      uuid: `00000000-0000-4000-8000-00000000000${i}`,
      name,
      rdns: `org.example.stub${i}`,
      icon: "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16'/>",
    },
    provider: stubProvider(rpc, account, `stub-connected-${i}`, window.__stubRequests[i]),
  }));
  const announce = () => {
    for (const detail of announced) {
      const event = new CustomEvent("eip6963:announceProvider", { detail: Object.freeze(detail) });
      window.dispatchEvent(event);
    }
  };
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();"""
)


def plain_page(
    browser: Browser,
    wallet_of: tuple[str, int] | None = None,
    announced: tuple[str, dict[str, int]] | None = None,
) -> Page:
    """A page in a fresh browser context; with `wallet_of` = (anvil URL, account index), an
    injected wallet (window.ethereum) holding that anvil dev account; with `announced` =
    (anvil URL, {wallet name: account index}), EIP-6963 wallets holding those accounts."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    if wallet_of is not None:
        rpc, who = wallet_of
        context.add_init_script(
            WALLET_SHIM % {"rpc": json.dumps(rpc), "account": json.dumps(address(who))}
        )
    if announced is not None:
        rpc, accounts = announced
        wallets = [{"name": n, "account": address(who)} for n, who in accounts.items()]
        context.add_init_script(
            EIP6963_STUBS % {"rpc": json.dumps(rpc), "wallets": json.dumps(wallets)}
        )
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


@pytest.fixture
def open_page(browser: Browser, site: Site) -> Iterator[Callable[..., Page]]:
    """Opens pages (`open_page()` without a wallet, `open_page(wallet=BOB)` with one,
    `open_page(announced={"A": BOB, "B": CAROL})` with EIP-6963 wallets); their contexts
    close before the server stops, so no live stream outlasts the test."""
    pages: list[Page] = []

    def opener(wallet: int | None = None, announced: dict[str, int] | None = None) -> Page:
        rpc = site.life.w3.provider.endpoint_uri  # type: ignore[attr-defined]
        page = plain_page(
            browser,
            None if wallet is None else (rpc, wallet),
            None if announced is None else (rpc, announced),
        )
        pages.append(page)
        return page

    yield opener
    for page in pages:
        page.context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000, f"{path} looks blank"
    return path
