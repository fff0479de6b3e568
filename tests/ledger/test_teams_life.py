"""Teams in rewards and on the boards, on a real chain (anvil, real contracts, three oracle
keys with quorum two): Alice and Bob each submit, then form a team mid-phase (70% / 30%);
Carol and Dave submit alone and form a team only after the holdout is revealed, too late
for phase 0. The oracles' rewards pool the team's and split the pool by the shares, the
team ranks once for prizes; `coop audit` fails on a root that pays the members one by one
and passes the honest one, from which each member claims exactly its part. The boards (the
ledger's, `coop leaderboard`, the API's and the web app's) show the team once.
"""

import json
from collections.abc import Iterator
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
from oracle.chain.teams import form_team
from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from oracle.ledger.boards import private_board, public_board, score_text
from oracle.ledger.claims import claim_rewards
from oracle.ledger.replay import read_ledger
from oracle.ledger.teams import formed_teams
from oracle.rewards.model import Leaf
from tests.api.conftest import serve
from tests.ledger.lifecycle import Life, life_on_own_chain, predictions
from tests.web.conftest import WAIT_MS, browser, screenshot  # noqa: F401  (fixture)

ALICE, BOB, CAROL, DAVE = (Sender.from_key(Web3(), k).address for k in ANVIL_KEYS[1:5])
SHARES = {ALICE: 700_000, BOB: 300_000}
DISPUTE_BOND = 10**16  # PublishOptions' default


def blend(a: bytes, b: bytes) -> bytes:
    """The row-wise mean of two prediction files (an honest third model, far from both)."""
    header, *rows_a = a.decode().splitlines()
    rows_b = b.decode().splitlines()[1:]
    values = (np.array([float(r.split(",")[1]) for r in rows_a])
              + np.array([float(r.split(",")[1]) for r in rows_b])) / 2  # fmt: skip
    ids = [r.split(",")[0] for r in rows_a]
    lines = [f"{i},{v!r}" for i, v in zip(ids, values.tolist(), strict=True)]
    return ("\n".join([header, *lines]) + "\n").encode()


@pytest.fixture(scope="module")
def life(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Life, dict[str, Any]]]:
    """Phase 0 played to its end, scored by the quorum, holdout revealed; no root yet."""
    with life_on_own_chain(tmp_path_factory.mktemp("teams")) as (world, env):
        linear = predictions(world.files, "linear")
        neighbours = predictions(world.files, "neighbours")
        baseline = predictions(world.files, "baseline")
        ids = {ALICE: world.submit(1, linear), BOB: world.submit(2, neighbours),
               CAROL: world.submit(3, baseline),
               DAVE: world.submit(4, blend(linear, baseline))}  # fmt: skip
        senders = [Sender.from_key(world.w3, k) for k in ANVIL_KEYS[1:5]]
        team = form_team(world.platform, world.challenge_id,
                         [(senders[0], SHARES[ALICE]), (senders[1], SHARES[BOB])])  # fmt: skip
        world.score_and_post()
        world.end_phase()
        late = form_team(world.platform, world.challenge_id,
                         [(senders[2], 500_000), (senders[3], 500_000)])  # fmt: skip
        yield world, {"env": env, "ids": ids, "team": team, "late": late}


def coop(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def audit(world: Life, env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    code, out = coop(env, "audit", str(world.challenge_id), "--json")
    return code, json.loads(out)


def test_only_the_team_formed_by_the_holdout_reveal_counts_in_phase_0(
    life: tuple[Life, dict[str, Any]],
) -> None:
    world, facts = life
    ledger = read_ledger(world.platform)
    assert {t.team_id for t in ledger.teams.values() if t.formed_block} == {
        facts["team"], facts["late"]}  # fmt: skip
    (counted,) = formed_teams(ledger, world.challenge_id, 0)
    assert counted.team_id == facts["team"] and set(counted.members) == {ALICE, BOB}


def test_the_team_pools_its_members_rewards_and_splits_them_by_its_shares(
    life: tuple[Life, dict[str, Any]],
) -> None:
    world, facts = life
    report = world.rewards()
    earned = {a.account: a.total for a in report.accounts}
    (payout,) = report.teams
    assert payout.team_id == facts["team"]
    assert payout.pool == earned.get(ALICE, 0) + earned.get(BOB, 0) > 0
    parts = {p.account: p.paid for p in payout.members}
    first = payout.members[0].account  # the lowest address takes the rounding dust
    dust = payout.pool - sum(payout.pool * s // 1_000_000 for s in SHARES.values())
    for who in (ALICE, BOB):
        floor = payout.pool * SHARES[who] // 1_000_000
        assert parts[who] == floor + (dust if who == first else 0)
    leaves = {leaf.account: leaf.amount for leaf in report.leaves}
    assert {who: leaves[who] for who in (ALICE, BOB)} == parts
    for alone in (CAROL, DAVE):  # their team formed too late for phase 0
        assert leaves.get(alone, 0) == earned.get(alone, 0)
    assert sum(leaves.values()) == report.total
    ranked = [s for s in report.submissions if s.prize_rank is not None]
    team_ranks = [s.prize_rank for s in ranked if s.submitter in SHARES]
    assert len(team_ranks) == 1  # one prize rank for the team, however many bests it has
    assert sorted(s.prize_rank for s in ranked) == list(range(1, len(ranked) + 1))


def test_the_audit_fails_on_a_root_paying_members_one_by_one_and_passes_the_shares(
    life: tuple[Life, dict[str, Any]],
) -> None:
    """A quorum posts the members' own earnings as leaves: the audit's recomputed root
    differs. Voided, the quorum posts the honest root: the audit passes, and each member
    claims exactly its part of the pool."""
    world, facts = life
    env = facts["env"]
    honest = world.rewards()
    one_by_one = tuple(Leaf(a.account, a.total) for a in honest.accounts if a.total)
    assert one_by_one != honest.leaves
    world.post_root(honest, leaves=one_by_one)
    code, found = audit(world, env)
    assert code != 0 and not found["ok"]
    assert any(f["check"] == "rewards" and "posted root" in f["detail"]
               for f in found["findings"])  # fmt: skip
    vault = world.platform.vault.functions
    erin = Sender.from_key(world.w3, ANVIL_KEYS[5])
    reason = str(world.store.add_bytes(b"the team is paid one by one").cid)
    erin.transact(vault.dispute(world.challenge_id, 0, reason), DISPUTE_BOND)
    world.owner.transact(vault.resolveDispute(world.challenge_id, 0, True))

    world.post_root(honest)
    code, found = audit(world, env)
    assert code == 0 and found["ok"], found["findings"]
    world.open_claims()
    (payout,) = honest.teams
    token = world.platform.token.functions
    for part in payout.members:
        sender = Sender.from_key(world.w3, ANVIL_KEYS[1 if part.account == ALICE else 2])
        before = token.balanceOf(part.account).call()
        claim_rewards(world.platform, world.store, sender, world.challenge_id, 0)
        assert token.balanceOf(part.account).call() - before == part.paid


def test_the_team_appears_once_on_every_board(
    life: tuple[Life, dict[str, Any]],
    tmp_path_factory: pytest.TempPathFactory,
    browser: Browser,  # noqa: F811  (the fixture imported above)
) -> None:
    world, facts = life
    env, ids, team_id = facts["env"], facts["ids"], facts["team"]
    ledger = read_ledger(world.platform)
    challenge = ledger.challenges[world.challenge_id]
    for board in (public_board(ledger, challenge, 0), private_board(ledger, challenge, 0)):
        assert len(board) == 3 and [e.rank for e in board] == [1, 2, 3]
        (entry,) = [e for e in board if e.team is not None]
        assert entry.team.team_id == team_id and entry.participant in SHARES
        assert entry.submission_id == ids[entry.participant]
        assert entry.label.startswith(f"team {team_id} (0x")
        assert {e.participant for e in board if e.team is None} == {CAROL, DAVE}

    code, out = coop(env, "leaderboard", str(world.challenge_id), "--private", "--json")
    assert code == 0, out
    rows = json.loads(out)["boards"][0]["entries"]
    (row,) = [r for r in rows if "team_id" in r]
    assert row["team_id"] == team_id and set(row["members"]) == {ALICE, BOB}
    assert all(set(r) >= {"participant", "submission_id"} and "members" not in r
               for r in rows if r is not row)  # fmt: skip
    code, text = coop(env, "leaderboard", str(world.challenge_id))
    assert f"team {team_id} (0x" in text and CAROL in text and DAVE in text
    assert ALICE not in text and BOB not in text  # the team's row names them short
    code, text = coop(env, "challenge", "status", str(world.challenge_id))
    best = public_board(ledger, challenge, 0)[0]
    assert code == 0 and f"best: public {score_text(best.score)} (submission " in text, text
    assert f"{best.submission_id}, {best.label})" in text  # "team N (…)" when it is the team
    code, text = coop(env, "profile", BOB)  # how Bob's leaf came out of the team's pool
    assert code == 0, text
    assert f"team {team_id} challenge {world.challenge_id} (formed): share 30%" in text
    assert f"team {team_id}'s pool " in text and "split by shares: 30% of it" in text

    index = tmp_path_factory.mktemp("index") / "index.sqlite3"
    indexer = Indexer(index, world.platform, world.store, confirmations=0)
    indexer.catch_up()
    client = TestClient(create_app(ApiConfig(indexer.db_path, world.store.root, web_dir=None)))
    for kind in ("public", "private"):
        answer = client.get(f"/v1/challenges/{world.challenge_id}/leaderboard/{kind}").json()
        assert answer["total"] == 3 and len(answer["items"]) == 3
        (item,) = [i for i in answer["items"] if "team" in i]
        members = sorted(SHARES, key=lambda a: int(a, 16))  # as the book stores them
        assert item["team"] == {"team_id": team_id, "members": members}
        assert [i["rank"] for i in answer["items"]] == [1, 2, 3]
        ledger_order = [e.submission_id for e in (
            public_board if kind == "public" else private_board)(ledger, challenge, 0)]  # fmt: skip
        assert [i["submission_id"] for i in answer["items"]] == ledger_order
    private = client.get(f"/v1/challenges/{world.challenge_id}/leaderboard/private").json()
    groups = [i.get("tie_group") for i in private["items"]]
    assert all(g is not None for g in groups), private  # every grouped entry has its interval

    with serve(ApiConfig(indexer.db_path, world.store.root)) as served:
        page = browser.new_page()
        page.goto(f"{served.url}/#/challenges/{world.challenge_id}")
        row = page.locator(f"#public-board tr[data-team='{team_id}']")
        expect(row).to_have_count(1, timeout=WAIT_MS)
        expect(row.locator(".team-label")).to_contain_text(f"team {team_id} (")
        expect(row.locator(".team-label a")).to_have_count(2)
        expect(page.locator("#public-board tbody tr")).to_have_count(3)
        if public_board(ledger, challenge, 0)[0].team is not None:  # the summary's best too
            expect(page.locator("[data-field='best'] .team-label")).to_have_count(1)
        screenshot(page, "board-team")
        page.goto(f"{served.url}/#/profiles/{BOB}")  # Bob's profile lists the team's work
        team_row = page.locator(f".profile-teams tr[data-team='{team_id}']")
        expect(team_row).to_contain_text("30%", timeout=WAIT_MS)
        expect(team_row.locator(f"a[href='#/submissions/{ids[ALICE]}']")).to_have_count(1)
        expect(team_row.locator(f"a[href='#/submissions/{ids[BOB]}']")).to_have_count(1)
        page.close()
