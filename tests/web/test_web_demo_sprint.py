"""`make demo`'s next sprint (issue 15): after the first phase the owner adds one judged by
MAE with a new baseline and target (oracle/devnet/sprint.py); what the demo prints about it
is what `coop challenge status` tells, and the web app's timeline shows the change and, once
the phase is played, its best public score, in real Chromium over the real API and index of a
real anvil chain."""

import json
from collections.abc import Callable

from playwright.sync_api import Page, expect

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.devnet.demo import OWNER_KEY
from oracle.devnet.sprint import announce_next_sprint, played_sprint
from oracle.ledger.replay import read_ledger
from oracle.types import wad_text
from tests.indexer.story import ALICE, BOB
from tests.ledger.lifecycle import predictions
from tests.web.conftest import WAIT_MS, Site, screenshot

expect.set_options(timeout=WAIT_MS)
CHANGED = "metric rmse -> mae; baseline 84 -> 70; target 50 -> 40"


def test_the_demos_next_sprint_says_what_changed_and_the_timeline_shows_it(
    site: Site, open_page: Callable[..., Page]
) -> None:
    life = site.life
    life.submit(ALICE, predictions(life.files, "baseline"))
    life.submit(BOB, predictions(life.files, "linear"))
    life.score_and_post()
    life.end_phase()
    owner = Sender.from_key(life.w3, OWNER_KEY)
    sprint = announce_next_sprint(life.platform, life.store, owner, life.data_dir,
                                  life.challenge_id,
                                  life.data_dir / "examples" / "diabetes-regression")  # fmt: skip
    assert sprint.published.phase == 1
    said = sprint.describe()
    assert said.startswith(
        f"phase 1 of challenge {life.challenge_id} is judged by mae, lower is better, "
        f"baseline 70, target 40 (changed: {CHANGED}); commits open "
    )
    assert sprint.status.stage == "upcoming"
    rules = life.phase(1)
    assert (rules.baseline, rules.target) == (70 * 10**18, 40 * 10**18)  # fixed on chain

    site.wait_indexed()
    page = open_page()
    page.goto(f"{site.url}/#/challenges/{life.challenge_id}")
    steps = page.locator("ol.timeline > li")
    expect(steps).to_have_count(2)
    expect(steps.nth(1).locator(".merit")).to_contain_text(
        "mae, lower is better: baseline 70, target 40"
    )
    expect(steps.nth(1).locator(".changed")).to_have_text(f"Changed: {CHANGED}")
    best = steps.nth(1).locator(".best")
    expect(best).to_have_text("Best public none yet · best private none yet")
    page.locator("#timeline").scroll_into_view_if_needed()
    screenshot(page, "demo-next-sprint")

    # The demo plays the phase on anvil: past the notice period a submission is scored under
    # MAE, and the timeline's phase 1 shows its best public score (phase 0's stays RMSE).
    life.later_salts[1] = bytes.fromhex(
        json.loads(sprint.published.secret_path.read_text())["split_salt"][2:]
    )
    life.travel_to(sprint.published.commit_start)
    played = life.submit(ALICE, predictions(life.files, "linear"))
    life.score_and_post(phase=1)
    public = read_ledger(life.platform).submissions[played].score
    assert public is not None and public.status == 0
    site.wait_indexed()
    page.reload()
    expect(steps.nth(1).locator(".best")).to_contain_text(
        f"Best public {wad_text(public.public_score)} by #{played}"
    )
    assert public.public_score < rules.baseline  # the linear model beats the mean's MAE, 70
    screenshot(page, "demo-sprint-played")
    # what the demo prints once it has played the phase: the same best, the same change
    alice = Sender.from_key(life.w3, ANVIL_KEYS[ALICE]).address
    said = played_sprint(life.platform, life.store, sprint)
    assert said.describe({alice: "alice"}) == (
        f"phase 1 judged by mae (lower is better, baseline 70, target 40; changed: {CHANGED}): "
        f"best public {wad_text(public.public_score)} by #{played} (alice)"
    )
    assert [(e.rank, e.submission_id) for e in said.board] == [(1, played)]
