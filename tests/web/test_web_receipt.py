"""A code submission's receipt on its web page (issue 14), in real Chromium: three real
`coop oracle run` processes ran the programs in bubblewrap and posted the scores on anvil,
the indexer read them, and the API asks each oracle for its own record of the run. The page
shows what the receipt and the records say: the runtime digest, the limits, each oracle's
CPU, peak memory and wall time, how the run ended, the predictions' CID, the log's tail on
public inputs, every outcome when the runs differ and no log at all on hidden inputs."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from oracle.api.config import WEB_DIR, ApiConfig
from oracle.api.read.profiles import render_pending
from oracle.coderun.record import RunRecord
from oracle.devnet.seed import code_spec
from oracle.indexer.runner import Indexer
from oracle.scoring.receipt import CodeReceipt
from tests.api.conftest import serve
from tests.oracle.daemon.test_code_submissions import (
    LIMITS,
    PROGRAMS,
    RIDGE,
    RUNTIMES,
    report,
    runs,
)
from tests.oracle.daemon.world import World
from tests.web.conftest import WAIT_MS, plain_page, screenshot

expect.set_options(timeout=WAIT_MS)
SYNTAX_ERROR = "def broken(:\n    pass\n"


def to_fixed(value: float, digits: int) -> str:
    """What JavaScript's Number.prototype.toFixed shows: the float's exact value rounded
    half up (Python's format rounds an exact tie to even: 1.625 -> "1.62", not "1.63")."""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


@dataclass
class Scored:
    world: World
    url: str
    public: int  # the ridge model on a challenge whose inputs are all public
    crashed: int  # a syntax error on the same challenge
    noisy: int  # output from the clock and os.urandom: NOT_REPRODUCIBLE
    hidden: int  # the ridge model on a challenge with hidden test features


def submit_to(world: World, challenge_id: int, folder: Path) -> int:
    world.challenge_id = challenge_id
    return world.submit_cid(str(world.store.add_path(folder).cid))


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scored]:
    base = tmp_path_factory.mktemp("receipt")
    world = World.start(base)
    try:
        world.publish(3, 2, code_spec("diabetes-regression", base / "hidden.json", LIMITS,
                                      hidden_features=True))  # fmt: skip
        hidden_challenge = world.challenge_id
        world.publish(3, 2, code_spec("diabetes-regression", base / "public.json", LIMITS))
        public_challenge = world.challenge_id
        world.make_oracles(3, runtime_dir=str(RUNTIMES))
        world.start_oracles()
        folders = {name: base / name for name in ("broken", "noisy")}
        for name, folder in folders.items():
            folder.mkdir()
            (folder / "main.py").write_text(SYNTAX_ERROR if name == "broken" else PROGRAMS[name])
        public = submit_to(world, public_challenge, RIDGE)
        crashed = submit_to(world, public_challenge, folders["broken"])
        noisy = submit_to(world, public_challenge, folders["noisy"])
        hidden = submit_to(world, hidden_challenge, RIDGE)
        for sid in (public, crashed, noisy, hidden):
            report(world, sid)  # waits for its posted score
        index = Indexer(base / "index.sqlite3", world.platform, world.store, confirmations=0,
                        render_answers=render_pending)  # fmt: skip
        try:
            index.catch_up()
        finally:
            index.close()
        config = ApiConfig(db_path=base / "index.sqlite3", ipfs_dir=world.store.root,
                           oracle_urls=tuple(o.url for o in world.oracles))  # fmt: skip
        assert config.web_dir == WEB_DIR
        with serve(config) as served:
            yield Scored(world, served.url, public, crashed, noisy, hidden)
    finally:
        world.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    opened = plain_page(browser)
    try:
        yield opened
    finally:
        opened.context.close()


def receipt_of(scored: Scored, sid: int) -> tuple[CodeReceipt, list[RunRecord]]:
    got = report(scored.world, sid).receipt
    assert got is not None
    return got, runs(scored.world, sid)


def test_the_page_shows_the_receipt_and_each_oracles_resources_and_log(
    scored: Scored, page: Page
) -> None:
    receipt, records = receipt_of(scored, scored.public)
    page.goto(f"{scored.url}/#/submissions/{scored.public}")
    shown = page.locator(".receipt")
    expect(shown.locator("[data-field='runtime']")).to_have_text(receipt.runtime_digest)
    expect(shown.locator("[data-field='limits']")).to_have_text(
        "20 s of CPU, 40 s wall-clock, 768 MB of memory, 64 MB of output, 64 KB of log"
    )
    expect(shown.locator("[data-field='ending']")).to_have_text("exit code 0")
    assert receipt.predictions_cid is not None
    expect(shown.locator("[data-field='predictions']")).to_have_text(receipt.predictions_cid)
    expect(shown.locator("[data-field='code']")).to_have_text(receipt.code_cid)
    expect(shown.locator(".oracle-run")).to_have_count(3)
    for record in records:
        assert record.usage is not None and record.log_tail is not None
        row = shown.locator(f".oracle-run[data-oracle='{record.oracle}'] td")
        expect(row).to_have_text([
            record.oracle,
            f"{to_fixed(record.usage.cpu_seconds, 2)} s",
            f"{to_fixed(record.usage.peak_memory_mb, 1)} MB",
            f"{to_fixed(record.usage.wall_seconds, 2)} s",
            record.outcome,
        ])  # fmt: skip
        log = shown.locator(f".run-log[data-oracle='{record.oracle}'] pre.log-tail")
        expect(log).to_contain_text("ridge alpha")
        assert log.inner_text().strip() == record.log_tail.strip()
    screenshot(page, "code-receipt")


def test_a_crash_shows_its_exit_code_and_exception(scored: Scored, page: Page) -> None:
    receipt, records = receipt_of(scored, scored.crashed)
    assert receipt.exception == "SyntaxError" and receipt.exit_code is not None
    page.goto(f"{scored.url}/#/submissions/{scored.crashed}")
    expect(page.locator("h1")).to_contain_text("RUN_FAILED")
    shown = page.locator(".receipt")
    expect(shown.locator("[data-field='ending']")).to_have_text(
        f"exit code {receipt.exit_code}, SyntaxError"
    )
    expect(shown.locator("[data-field='predictions']")).to_have_text("none written")
    expect(shown.locator(".run-log pre.log-tail").first).to_contain_text("SyntaxError")


def test_runs_that_differ_show_every_outcome(scored: Scored, page: Page) -> None:
    receipt, _ = receipt_of(scored, scored.noisy)
    assert len(receipt.outcomes) >= 2 and receipt.predictions_cid is None
    page.goto(f"{scored.url}/#/submissions/{scored.noisy}")
    expect(page.locator("h1")).to_contain_text("NOT_REPRODUCIBLE")
    shown = page.locator(".receipt")
    expect(shown.locator("[data-field='ending']")).to_have_text(
        "the oracles' runs differed (see their outcomes below)"
    )
    expect(shown.locator("[data-field='predictions']")).to_have_text(
        "none agreed: " + ", ".join(receipt.outcomes)
    )


def test_a_run_on_hidden_features_publishes_no_log(scored: Scored, page: Page) -> None:
    receipt, records = receipt_of(scored, scored.hidden)
    commitment = receipt.inputs["test_features.csv"]
    assert commitment.startswith("0x") and all(r.log_tail is None for r in records)
    page.goto(f"{scored.url}/#/submissions/{scored.hidden}")
    shown = page.locator(".receipt")
    expect(shown.locator(".oracle-run")).to_have_count(3)
    expect(shown.locator("[data-input='test_features.csv']")).to_contain_text(
        f"hidden (only the oracles hold it), commitment {commitment}"
    )
    expect(shown.locator(".hidden-log")).to_have_count(3)
    expect(shown.locator("pre.log-tail")).to_have_count(0)
    expect(shown.locator(".hidden-log").first).to_contain_text("No log published")
    screenshot(page, "code-receipt-hidden")
