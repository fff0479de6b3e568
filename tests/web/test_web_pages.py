"""Every page of the web app shows what the chain holds, in exact numbers, and says clearly
when there is nothing yet. A screenshot of each page goes to test-output/web/."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from oracle.api.read.common import status_reason
from oracle.ledger.boards import improvements, private_board, public_board
from oracle.ledger.replay import read_ledger
from oracle.ledger.ties import private_ties
from oracle.status import Status
from oracle.types import PPM, WAD
from tests.indexer.story import ALICE, BOB, DAVE, address, rewarded, scored
from tests.ledger.lifecycle import predictions
from tests.web.conftest import WAIT_MS, Site, screenshot

expect.set_options(timeout=WAIT_MS)


def decimal(wad: int) -> str:
    """A WAD score as its exact decimal text."""
    whole, fraction = divmod(abs(wad), WAD)
    text = f"{whole}.{fraction:018d}".rstrip("0").rstrip(".")
    return ("-" if wad < 0 else "") + text


def short(address: str) -> str:
    return f"{address[:6]}…{address[-4:]}"


def tokens(units: int) -> str:
    """Token units as the page writes them: thousands separators, at most 6 decimals (…)."""
    whole, fraction = divmod(units, WAD)
    digits = f"{fraction:018d}".rstrip("0")
    if not digits:
        return f"{whole:,}"
    return f"{whole:,}.{digits[:6]}" + ("…" if len(digits) > 6 else "")


def test_every_page_shows_the_numbers_the_chain_holds(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    story = rewarded(life)
    assert story.report is not None
    site.wait_indexed()
    cid = life.challenge_id
    ledger = read_ledger(life.platform)
    lc = ledger.challenge(cid)
    board, private = public_board(ledger, lc, 0), private_board(ledger, lc, 0)
    steps = improvements(ledger, lc, 0)
    assert [e.participant for e in board] == [address(BOB), address(ALICE)]
    page = open_page()

    page.goto(f"{site.url}/#/")
    card = page.locator(f".challenge-card[data-challenge='{cid}']")
    expect(card.locator("h2")).to_contain_text("Diabetes progression")
    expect(card.locator(".best")).to_have_text(
        f"{decimal(board[0].score)} by {short(address(BOB))}"
    )
    screenshot(page, "challenges")

    page.goto(f"{site.url}/#/challenges/{cid}")
    expect(page.locator("[data-field=baseline]")).to_have_text("84")
    expect(page.locator("[data-field=target]")).to_have_text("50")
    expect(page.locator("[data-field=eta]")).to_have_text("0.01")
    # Issue 13: the rules participants read before they commit.
    expect(page.locator("[data-field=notice-period]")).to_contain_text("7 d 0 h: new oracles")
    expect(page.locator(".phases .judges")).to_contain_text("set 1: 2 of 3 oracles sign; arbiter")
    expect(page.locator(".phases")).to_contain_text("revealed by")
    expect(page.locator(".live")).to_have_text("● live")
    rows = page.locator("#public-board tbody tr")
    expect(rows).to_have_count(len(board))
    for row, entry in zip(rows.all(), board, strict=True):
        expect(row).to_have_attribute("data-participant", entry.participant)
        expect(row).to_have_attribute("data-submission", str(entry.submission_id))
        expect(row.locator(".score")).to_have_text(decimal(entry.score))
    rows = page.locator("#private-board tbody tr")
    expect(rows).to_have_count(len(private))
    ties = private_ties(ledger, lc, 0, life.store)  # issue 16: as anyone recomputes them
    for row, entry, tied in zip(rows.all(), private, ties, strict=True):
        expect(row).to_have_attribute("data-participant", entry.participant)
        expect(row.locator(".score")).to_have_text(decimal(entry.score))
        bar = row.locator("svg.error-bar")
        expect(bar).to_have_attribute("data-low", str(tied.interval.low))
        expect(bar).to_have_attribute("data-high", str(tied.interval.high))
        expect(bar).to_be_visible()
        line = bar.locator("line.bar")
        assert float(line.get_attribute("x2") or 0) > float(line.get_attribute("x1") or 0)
        expect(row.locator(".tie-group")).to_have_text(str(tied.tie_group))
        low, high = decimal(tied.interval.low), decimal(tied.interval.high)
        expect(row.locator(".interval-text")).to_have_text(f"[{low}, {high}]")
    expect(page.locator("#private-board .intervals-note")).to_contain_text("statistically tied")
    markers = page.locator("svg.plot a.improvement")
    expect(markers).to_have_count(len(steps))
    for marker, step in zip(markers.all(), steps, strict=True):
        expect(marker).to_have_attribute("data-submission", str(step.submission_id))
        label = f"{short(step.participant)} {decimal(step.score)}"
        expect(marker.locator("text")).to_have_text(label)
    expect(page.locator("svg.plot .ref-label.baseline")).to_have_text("baseline 84")
    expect(page.locator("svg.plot .ref-label.target")).to_have_text("target 50")
    expect(page.locator("#submissions tbody tr")).to_have_count(3)
    screenshot(page, "challenge")

    (bob_award,) = [a for a in story.report.submissions if a.submission_id == story.linear]
    (passed,) = bob_award.passes
    page.goto(f"{site.url}/#/challenges/{cid}/forks")
    edge = page.locator(f"svg .edge[data-child='{story.linear}'][data-parent='{story.mean}']")
    expect(edge.locator("text")).to_have_text(f"100% · {tokens(passed.amount)} back")
    expect(page.locator(f"svg a.node.valid[data-submission='{story.mean}']")).to_be_visible()
    expect(page.locator("table.edges tbody tr td").nth(3)).to_have_text(tokens(passed.amount))
    screenshot(page, "forks")

    page.goto(f"{site.url}/#/submissions/{story.linear}")
    linear = ledger.submissions[story.linear]
    assert linear.reveal is not None
    expect(page.locator("h1")).to_have_text(f"Submission #{story.linear} VALID")
    expect(page.locator("[data-field=artifact]")).to_have_text(linear.reveal.artifact_cid)
    expect(page.locator("[data-field=public-score]")).to_have_text(decimal(board[0].score))
    expect(page.locator("[data-field=private-score]")).to_have_text(decimal(private[0].score))
    expect(page.locator("table.parents tbody tr")).to_have_attribute(
        "data-submission", str(story.mean)
    )
    expect(page.locator("table.parents tbody tr td").nth(3)).to_have_text("100%")
    expect(page.locator("table.review-list tbody tr")).to_contain_text("approve")
    expect(page.locator("table.review-list .review-text")).to_have_text("clean fork, nice features")
    expect(page.locator("table.review-list a.address")).to_have_attribute("title", address(DAVE))
    expect(page.locator(".rewards tbody td strong")).to_have_text(tokens(bob_award.final))
    screenshot(page, "submission")

    page.goto(f"{site.url}/#/submissions/{story.broken}")
    expect(page.locator("h1")).to_have_text(f"Submission #{story.broken} WRONG_TYPE")
    reason = f"WRONG_TYPE (status 6): {status_reason(Status.WRONG_TYPE)}."
    expect(page.locator(".status-reason p").first).to_contain_text(reason)
    expect(page.locator("[data-field=public-score]")).to_have_text("—")
    # its commitment was opened (to 0, as the protocol requires): that is no private score
    expect(page.locator("[data-field=private-score]")).to_have_text(
        "none: the submission is invalid (WRONG_TYPE)"
    )
    screenshot(page, "submission-invalid")

    (bob_leaf,) = [leaf for leaf in story.report.leaves if leaf.account == address(BOB)]
    page.goto(f"{site.url}/#/profiles/{address(BOB)}")
    (bob_step,) = [s for s in steps if s.submission_id == story.linear]
    row = page.locator(f"table.contribution-list tr[data-submission='{story.linear}']")
    expect(row.locator(".improvement-made")).to_have_text(
        f"best {decimal(bob_step.previous_best)} → {decimal(bob_step.score)}"
    )
    expect(page.locator("table.reward-list .amount")).to_have_text(
        f"{tokens(bob_leaf.amount)} tokens"
    )
    expect(page.locator("table.reward-list .reward-state")).to_have_text("claimable")
    screenshot(page, "profile")

    page.goto(f"{site.url}/#/challenges/{cid}/audit")
    expect(page.locator(".audit-summary")).to_contain_text("checks the index can make passed.")
    expect(page.locator("table.checks tr[data-ok=false]")).to_have_count(0)
    expect(page.locator("table.batches tbody tr")).to_have_count(len(life.batches))
    expect(page.locator("table.roots tbody tr")).to_contain_text("available")
    expect(page.locator("[data-field=deposited]")).to_have_text("1,000 tokens")
    screenshot(page, "audit")


def test_empty_states_explain_what_will_appear(site: Site, open_page: Callable[..., Page]) -> None:
    site.wait_indexed()
    cid = site.life.challenge_id
    page = open_page()

    page.goto(f"{site.url}/#/challenges/{cid}")
    expect(page.locator("#public-board .empty")).to_contain_text("No scores yet.")
    expect(page.locator("#private-board .empty")).to_contain_text("Not opened yet.")
    expect(page.locator("#progress .empty")).to_contain_text("No improvement yet.")
    expect(page.locator("#submissions .empty")).to_contain_text("No submissions yet.")
    expect(page.locator("#submit .empty")).to_contain_text("No wallet in this browser.")
    eta = page.locator("details.explain[data-term=eta]")
    eta.locator("summary").click()
    expect(eta.locator("p")).to_contain_text("Ladder")
    screenshot(page, "challenge-empty")

    page.goto(f"{site.url}/#/challenges/{cid}/forks")
    expect(page.locator(".empty")).to_contain_text("No forks yet.")
    page.goto(f"{site.url}/#/challenges/{cid}/audit")
    expect(page.locator(".audit-summary")).to_contain_text("Nothing to check yet")
    page.goto(f"{site.url}/#/profiles/0x000000000000000000000000000000000000dEaD")
    expect(page.locator(".empty")).to_contain_text("No activity yet.")
    page.goto(f"{site.url}/#/submissions/99")
    expect(page.locator(".empty")).to_contain_text("Not found.")
    page.goto(f"{site.url}/#/challenges/{cid}")  # a submission made after the page opened
    expect(page.locator(".live")).to_have_text("● live")
    page.evaluate("window.__sameDocument = true")
    site.life.submit(ALICE, predictions(site.life.files, "baseline"))
    expect(page.locator("#submissions tbody tr")).to_have_count(1)  # no reload needed
    assert page.evaluate("window.__sameDocument") is True
    expect(page.locator("#submissions tbody tr")).to_contain_text("awaiting score")


def test_boards_per_phase_and_a_fork_that_does_not_improve_appears_live(
    site: Site, open_page: Callable[..., Page]
) -> None:
    """Phase 1 is scored on another holdout split: the page shows its boards, names the
    phase, and lets phase 0's (opened) boards be chosen; a submission that moves no board
    still appears in the list while the page is open."""
    life = site.life
    story = scored(life)
    life.end_phase()
    added = life.add_phase(100 * 10**18)
    life.travel_to(added.commit_start)
    late = life.submit(ALICE, predictions(life.files, "linear"))
    life.score_and_post(phase=1)
    site.wait_indexed()
    cid = life.challenge_id
    page = open_page()

    page.goto(f"{site.url}/#/challenges/{cid}")
    expect(page.locator("#phase-picker [aria-current]")).to_have_text("1")
    expect(page.locator("#public-board h2")).to_contain_text("(phase 1)")
    rows = page.locator("#public-board tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_have_attribute("data-submission", str(late))
    expect(page.locator("#private-board h2")).to_contain_text("(phase 1)")
    expect(page.locator("#private-board .empty")).to_contain_text("Not opened yet.")
    expect(page.locator("#progress h2")).to_contain_text("(phase 1)")
    expect(page.locator("svg.plot a.improvement")).to_have_count(1)  # from phase 1's baseline
    expect(page.locator("svg.plot a.improvement")).to_have_attribute("data-submission", str(late))
    # phase 0's private board is opened: the page says so and leads to it
    page.click("#private-board .opened-elsewhere a[data-phase='0']")
    expect(page.locator("#phase-picker [aria-current]")).to_have_text("0")
    expect(page.locator("#public-board h2")).to_contain_text("(phase 0)")
    public = page.locator("#public-board tbody tr")
    expect(public).to_have_count(2)
    expect(public.nth(0)).to_have_attribute("data-submission", str(story.linear))
    private = page.locator("#private-board tbody tr")  # phase 0's board, opened
    expect(private).to_have_count(2)
    expect(private.nth(0)).to_have_attribute("data-participant", address(BOB))
    screenshot(page, "challenge-phase-0")

    page.click("#phase-picker a[data-phase='1']")
    expect(page.locator(".live")).to_have_text("● live")
    page.evaluate("window.__sameDocument = true")
    # alice forks her own best with a worse model: her released best does not move
    worse = life.submit(ALICE, predictions(life.files, "baseline"), parents=(late,),
                        weights=(PPM,))  # fmt: skip
    life.score_and_post(phase=1)
    row = page.locator(f"#submissions tr[data-submission='{worse}']")
    expect(row).to_contain_text("VALID")
    expect(page.locator("#public-board tbody tr")).to_have_attribute("data-submission", str(late))
    assert page.evaluate("window.__sameDocument") is True, "the page updated without a reload"
