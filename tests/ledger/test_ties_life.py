"""Rank intervals and ties on a real chain: `coop leaderboard --private` shows each entry's
95% bootstrap interval and tie group, `coop audit` re-derives them, and a spec that shares
prizes within ties has them shared in the rewards root, which the audit checks.

One challenge per module (anvil, real contracts, three oracle keys with quorum two): Alice
and Bob hand in the same linear model up to a tiny noise (statistically tied), Carol the
mean (far behind).
"""

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from web3 import Web3

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.ipfs.store import replicate
from oracle.ledger.replay import read_ledger
from oracle.ledger.reward_inputs import reward_inputs
from oracle.rewards.merkle import build_tree
from oracle.rewards.report import RewardReport
from oracle.rewards.rule_v1 import compute_rewards
from tests.ledger.lifecycle import Life, life_on_own_chain, predictions

ALICE, BOB, CAROL = (Sender.from_key(Web3(), k).address for k in ANVIL_KEYS[1:4])


def noisy(files: dict[str, bytes], scale: float) -> bytes:
    """The linear model's predictions with a small deterministic noise added."""
    header, *rows = predictions(files, "linear").decode().splitlines()
    noise = np.random.default_rng(3).normal(0, scale, len(rows)).tolist()
    pairs = [row.split(",") for row in rows]
    shifted = [f"{i},{float(v) + n!r}" for (i, v), n in zip(pairs, noise, strict=True)]
    return ("\n".join([header, *shifted]) + "\n").encode()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Life, dict[str, str]]]:
    """Phase 0 played to its end, holdout revealed, with `share_prizes` on; no root yet."""
    changes = {"ties": {"resamples": 400, "share_prizes": True},
               # Bob's noisy copy of Alice's model is a near-copy at the default 2%: this
               # module is about ties, so only an identical file would count as a copy here
               "near_copies": {"max_distance_ppm": 0}}  # fmt: skip
    with life_on_own_chain(tmp_path_factory.mktemp("ties"), changes) as (life, env):
        life.submit(1, predictions(life.files, "linear"))
        life.submit(2, noisy(life.files, 0.5))
        life.submit(3, predictions(life.files, "baseline"))
        life.score_and_post()
        life.end_phase()
        yield life, env


def coop(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def test_the_private_board_shows_intervals_and_tie_groups(
    shared: tuple[Life, dict[str, str]],
) -> None:
    life, env = shared
    code, out = coop(env, "leaderboard", str(life.challenge_id), "--private", "--json")
    assert code == 0, out
    (board,) = json.loads(out)["boards"]
    entries = board["entries"]
    assert {e["participant"] for e in entries[:2]} == {ALICE, BOB}
    assert entries[2]["participant"] == CAROL
    assert [e["tie_group"] for e in entries] == [1, 1, 2]
    for e in entries:
        low, high = (int(v) for v in e["interval_wad"])
        assert low <= int(e["score_wad"]) <= high  # rmse ~54 and ~76: inside their intervals
    carol_low = int(entries[2]["interval_wad"][0])
    assert carol_low > int(entries[0]["interval_wad"][1])  # separable from the leader

    code, text = coop(env, "leaderboard", str(life.challenge_id), "--private")
    assert code == 0 and "95% interval" in text and "tie group" in text
    again = coop(env, "leaderboard", str(life.challenge_id), "--private", "--json")[1]
    assert again == out  # anyone gets the same numbers


def test_an_outsider_reading_a_kubo_node_gets_the_same_intervals(
    shared: tuple[Life, dict[str, str]], kubo: KuboDaemon, tmp_path: Path
) -> None:
    """The spec, labels and artifacts copied to a kubo node; a fresh data directory (no
    embedded blocks), the CLI reading kubo only: the same numbers, byte for byte."""
    life, env = shared
    ledger = read_ledger(life.platform)
    phase = ledger.challenges[life.challenge_id].phases[0]
    assert phase.holdout is not None
    cids = [phase.spec_cid, phase.holdout.labels_cid] + [
        s.reveal.artifact_cid for s in ledger.submissions_of(life.challenge_id, 0) if s.reveal
    ]
    with KuboStore(kubo.api_url) as node:
        for cid in cids:
            replicate(life.store, node, cid)
    outsider = {**env, "COOP_DATA_DIR": str(tmp_path / "outsider"), "COOP_IPFS_BACKEND": "kubo",
                "COOP_KUBO_API": kubo.api_url}  # fmt: skip
    args = ("leaderboard", str(life.challenge_id), "--private", "--json")
    code, theirs = coop(outsider, *args)
    assert code == 0, theirs
    assert json.loads(theirs)["boards"][0]["entries"][0]["tie_group"] == 1
    assert theirs == coop(env, *args)[1]


def test_the_api_private_board_carries_the_same_intervals(
    shared: tuple[Life, dict[str, str]], tmp_path: Path
) -> None:
    life, env = shared
    indexer = Indexer(tmp_path / "index.sqlite3", life.platform, life.store, confirmations=0)
    client = TestClient(create_app(ApiConfig(indexer.db_path, life.store.root, web_dir=None)))
    indexer.catch_up()
    board = client.get(f"/v1/challenges/{life.challenge_id}/leaderboard/private").json()
    cli_board = json.loads(coop(env, "leaderboard", str(life.challenge_id), "--private",
                                "--json")[1])["boards"][0]  # fmt: skip
    assert [e["tie_group"] for e in board["items"]] == [1, 1, 2]
    assert [[s["wad"] for s in e["interval"]] for e in board["items"]] == [
        e["interval_wad"] for e in cli_board["entries"]
    ]
    assert "statistically tied" in board["intervals_note"]
    public = client.get(f"/v1/challenges/{life.challenge_id}/leaderboard/public").json()
    assert all(e["interval"] is None for e in public["items"])


def _leaf(report: RewardReport, account: str) -> int:
    return next((leaf.amount for leaf in report.leaves if leaf.account == account), 0)


def test_tied_entries_share_their_prizes_and_the_audit_follows(
    shared: tuple[Life, dict[str, str]],
) -> None:
    life, env = shared
    report = life.rewards()
    prizes = {s.submitter: s.prize_award for s in report.submissions}
    pool = report.pools.prize
    # ranks 50% and 30% of the pool, shared by the tied pair: 40% each; Carol keeps 20%
    assert prizes[ALICE] == prizes[BOB] == (pool * 5000 // 10000 + pool * 3000 // 10000) // 2
    assert prizes[CAROL] == pool * 2000 // 10000

    # The honest root, with the shared prizes, passes the audit, which re-derived the ties.
    life.post_root(report)
    code, out = coop(env, "audit", str(life.challenge_id), "--json")
    found = json.loads(out)
    assert code == 0 and found["ok"], found["findings"]
    assert found["checked"]["rewards"] >= 1 and found["checked"]["ties"] == 1
    assert any("tie groups" in note and "group 2" in note for note in found["notes"])

    # Oracles that ignored the ties would have posted another root: the audit's differs.
    ledger = read_ledger(life.platform)
    escrow = ledger.challenges[life.challenge_id].unallocated_before((ledger.last_block, 0))
    assert life.spec is not None
    ignoring = compute_rewards(reward_inputs(ledger, life.challenge_id, 0, life.spec, escrow))
    assert build_tree(ignoring.leaves).root != build_tree(report.leaves).root
    assert _leaf(ignoring, first_of(ignoring)) > _leaf(report, first_of(ignoring))


def first_of(report: RewardReport) -> str:
    return next(s.submitter for s in report.submissions if s.prize_rank == 1)
