"""Uncredited near-copies on a real chain (anvil, real contracts, three oracle keys with
quorum two): the oracles' rewards treat each as a fork of the earliest submission it
copies at the near-copy share, the report and the API show the evidence, and `coop audit`
re-derives it and fails on a root that ignored it and on a report that misstated it.

Alice hands in a linear model; Bob her file with noise below the threshold and its rows
reversed (what `make demo` shows, oracle/devnet/near_copy_story.py), Carol her file
re-ordered, Dave her file with one byte changed, none naming her; Erin a noisy copy that
declares Alice as its parent; Frank an honest independent model (nearest neighbours).
"""

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, expect
from web3 import Web3

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.devnet.near_copy_story import credited_copies, disguised_copy
from oracle.indexer.runner import Indexer
from oracle.ledger.replay import read_ledger
from oracle.ledger.reward_inputs import reward_inputs
from oracle.rewards.report import RewardReport
from oracle.rewards.rule_v1 import compute_rewards
from tests.api.conftest import serve
from tests.ledger.lifecycle import Life, life_on_own_chain, predictions
from tests.web.conftest import WAIT_MS, browser  # noqa: F401  (fixture)

ALICE, BOB, CAROL, DAVE, ERIN, FRANK = (Sender.from_key(Web3(), k).address for k in ANVIL_KEYS[1:7])
DISPUTE_BOND = 10**16  # PublishOptions' default


def noisy(linear: bytes, fraction: float, seed: int) -> bytes:
    """The file with Gaussian noise of `fraction` of its predictions' spread on every row."""
    header, *rows = linear.decode().splitlines()
    ids = [row.split(",")[0] for row in rows]
    values = np.array([float(row.split(",")[1]) for row in rows])
    shifted = values + np.random.default_rng(seed).normal(0, fraction * values.std(), len(rows))
    lines = [f"{i},{v!r}" for i, v in zip(ids, shifted.tolist(), strict=True)]
    return ("\n".join([header, *lines]) + "\n").encode()


def reordered(linear: bytes) -> bytes:
    header, *rows = linear.decode().splitlines()
    return ("\n".join([header, *rows[::-1]]) + "\n").encode()


def one_byte_changed(linear: bytes) -> bytes:
    at = linear.index(b".", 40) + 1  # a decimal digit of the first prediction
    digit = bytes([ord("0") + (linear[at] - ord("0") + 1) % 10])
    return linear[:at] + digit + linear[at + 1 :]


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Life, dict[str, str]]]:
    """Phase 0 played to its end, scored by the quorum, holdout revealed; no root yet."""
    with life_on_own_chain(tmp_path_factory.mktemp("near-copies")) as (world, env):
        linear = predictions(world.files, "linear")
        alice = world.submit(1, linear)
        world.submit(2, disguised_copy(linear))  # the demo's copy: noise and rows reversed
        world.submit(3, reordered(linear))
        world.submit(4, one_byte_changed(linear))
        world.submit(5, noisy(linear, 0.005, seed=2), parents=(alice,), weights=(1_000_000,))
        world.submit(6, predictions(world.files, "neighbours"))
        world.score_and_post()
        world.end_phase()
        yield world, env


def coop(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def by_submitter(report: RewardReport) -> dict[str, int]:
    return {s.submitter: s.submission_id for s in report.submissions}


def test_copies_are_rewarded_as_forks_of_the_source_and_honest_work_is_not(
    life: tuple[Life, dict[str, str]],
) -> None:
    world, _ = life
    report = world.rewards()
    ids = by_submitter(report)
    flagged = {n.submission_id: n for n in report.near_copies}
    assert set(flagged) == {ids[BOB], ids[CAROL], ids[DAVE]}  # not Erin (declared), not Frank
    for near in flagged.values():
        assert (near.source_id, near.source_submitter) == (ids[ALICE], ALICE)
    assert flagged[ids[CAROL]].distance_ppm == 0  # same rows in another order
    # one decimal digit of one row moves it by at most 0.9: about 0.9 / (spread x sqrt(public
    # rows)), some thousand ppm on this data (0 if the row is private; the salt decides)
    assert flagged[ids[DAVE]].distance_ppm < 10_000
    assert 1_000 < flagged[ids[BOB]].distance_ppm <= 20_000  # noise of 0.5% of the spread
    awards = {s.submission_id: s for s in report.submissions}
    for copier in (BOB, CAROL, DAVE):
        award = awards[ids[copier]]
        assert award.rho_bps == 9_000
        (to_alice,) = award.passes
        assert to_alice.parent_id == ids[ALICE]
        received = award.improvement_award + award.prize_award + award.received_from_children
        assert to_alice.amount == received * 9_000 // 10_000
    erin = awards[ids[ERIN]]  # declared: the fork rule as before
    assert [p.parent_id for p in erin.passes] == [ids[ALICE]] and ids[ERIN] not in flagged
    frank = awards[ids[FRANK]]
    assert frank.passes == () and frank.rho_bps == 0


def audit(world: Life, env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    code, out = coop(env, "audit", str(world.challenge_id), "--json")
    return code, json.loads(out)


def void_root(world: Life) -> None:
    """Frank disputes the phase's root and the arbiter (the owner) upholds: it is voided."""
    vault = world.platform.vault.functions
    frank = Sender.from_key(world.w3, ANVIL_KEYS[6])
    reason = str(world.store.add_bytes(b"the near-copies are wrong").cid)
    frank.transact(vault.dispute(world.challenge_id, 0, reason), DISPUTE_BOND)
    world.owner.transact(vault.resolveDispute(world.challenge_id, 0, True))


def test_the_audit_fails_on_a_root_that_ignored_a_near_copy_or_misstated_one(
    life: tuple[Life, dict[str, str]],
) -> None:
    """A quorum posts rewards that leave the near-copies out: the audit's recomputed root
    differs. Voided, the quorum posts the right payouts with another distance in the report:
    the report on IPFS differs from the audit's."""
    world, env = life
    honest = world.rewards()
    ledger = read_ledger(world.platform)
    assert world.spec is not None
    ignoring = compute_rewards(
        reward_inputs(ledger, world.challenge_id, 0, world.spec, honest.escrow_left)
    )
    assert ignoring.leaves != honest.leaves and not ignoring.near_copies
    world.post_root(ignoring)
    code, found = audit(world, env)
    assert code != 0 and not found["ok"]
    assert any(f["check"] == "rewards" and "posted root" in f["detail"]
               for f in found["findings"])  # fmt: skip
    void_root(world)

    (first, *rest) = honest.near_copies
    misstated = replace(
        honest, near_copies=(replace(first, distance_ppm=first.distance_ppm + 1), *rest)
    )
    assert misstated.leaves == honest.leaves and misstated.to_json() != honest.to_json()
    world.post_root(misstated)
    code, found = audit(world, env)
    assert code != 0
    assert any(f["check"] == "rewards" and "report on IPFS differs" in f["detail"]
               for f in found["findings"])  # fmt: skip
    void_root(world)


def test_the_audit_rederives_them_and_the_api_and_web_show_the_evidence(
    life: tuple[Life, dict[str, str]],
    tmp_path_factory: pytest.TempPathFactory,
    browser: Browser,  # noqa: F811  (the fixture imported above)
) -> None:
    """Runs after the voided roots: the honest root passes the audit; the API's submission
    route and the web app's submission page (in Chromium) name the source and distance."""
    world, env = life
    report = world.rewards()
    world.post_root(report)
    code, found = audit(world, env)
    assert code == 0 and found["ok"], found["findings"]
    assert found["checked"]["near-copies"] == 1 and found["checked"]["rewards"] >= 1
    ids = by_submitter(report)
    note = next(n for n in found["notes"] if "near-copies" in n)
    assert f"#{ids[CAROL]} near-copy of #{ids[ALICE]}, distance 0 (predictions)" in note

    index = tmp_path_factory.mktemp("index") / "index.sqlite3"
    indexer = Indexer(index, world.platform, world.store, confirmations=0)
    client = TestClient(create_app(ApiConfig(indexer.db_path, world.store.root, web_dir=None)))
    indexer.catch_up()
    bob = client.get(f"/v1/submissions/{ids[BOB]}").json()
    live = [r for r in bob["rewards"] if r["near_copy_of"] is not None]
    near = live[-1]["near_copy_of"]
    assert (near["source_id"], near["source_submitter"], near["evidence"]) == (
        ids[ALICE], ALICE, "predictions")  # fmt: skip
    flagged = next(n for n in report.near_copies if n.submission_id == ids[BOB])
    assert near["distance_ppm"] == flagged.distance_ppm
    assert near["distance"] == f"0.{flagged.distance_ppm:06d}".rstrip("0")
    frank = client.get(f"/v1/submissions/{ids[FRANK]}").json()
    assert all(r["near_copy_of"] is None for r in frank["rewards"])

    said = credited_copies(read_ledger(world.platform), world.challenge_id, world.store)
    assert len(said) == 3  # the lines `make demo` can print
    assert said[0].startswith(f"#{ids[BOB]} ({BOB}) is a near-copy of #{ids[ALICE]} ({ALICE}), "
                              f"distance {near['distance']}: it passed ")  # fmt: skip

    with serve(ApiConfig(indexer.db_path, world.store.root)) as served:
        page = browser.new_page()
        page.goto(f"{served.url}/#/submissions/{ids[BOB]}")
        notice = page.locator(".near-copy")
        expect(notice.locator("strong")).to_have_text(
            f"Near-copy of #{ids[ALICE]}, distance {near['distance']}", timeout=WAIT_MS
        )
        expect(notice).to_contain_text("passes 90% of what it earned")
        expect(notice.locator("a")).to_have_attribute("href", f"#/submissions/{ids[ALICE]}")
        page.goto(f"{served.url}/#/submissions/{ids[FRANK]}")
        expect(page.locator("h1")).to_have_text(f"Submission #{ids[FRANK]} VALID")
        expect(page.locator(".near-copy")).to_have_count(0)
        page.close()
