"""The scoring queue everyone can see (issue 14): each revealed, unscored submission's
place and an estimate from the recent scoring times, the same in the API (/v1/queue and a
submission's page) and in `coop status`. A real chain, a real index."""

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient

from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from oracle.ledger.queue import Pending, ScoredTimes, scoring_queue
from oracle.ledger.replay import read_ledger
from tests.api.test_cli import chain_env
from tests.indexer.story import ALICE, BOB, CAROL
from tests.ledger.lifecycle import Life, predictions


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def pause(life: Life, seconds: int) -> None:
    life.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]


def block_time(life: Life, block: int) -> int:
    return int(life.w3.eth.get_block(block)["timestamp"])


def test_pending_submissions_have_a_place_and_an_estimate_from_recent_scores(
    life: Life, indexer: Indexer, client: TestClient, tmp_path: Path
) -> None:
    first = life.submit(ALICE, predictions(life.files, "baseline"))
    pause(life, 100)
    life.submit(BOB, predictions(life.files, "linear"))
    pause(life, 200)
    life.score_and_post()  # two scored: the history
    pause(life, 50)
    waiting = [life.submit(who, predictions(life.files, "linear")) for who in (CAROL, ALICE)]
    pause(life, 30)
    life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    indexer.catch_up()

    ledger = read_ledger(life.platform)
    scored = [ledger.submissions[i] for i in (first, first + 1)]
    reveal_times = [block_time(life, s.reveal.block) for s in scored if s.reveal]
    score_time = max(block_time(life, s.score.block) for s in scored if s.score)
    each = (score_time - min(reveal_times)) / 2
    now = block_time(life, life.w3.eth.block_number)

    queue = get(client, "/v1/queue")
    assert queue["seconds_per_submission"] == each and queue["based_on"] == 2
    assert [p["submission_id"] for p in queue["pending"]] == waiting
    assert [p["position"] for p in queue["pending"]] == [1, 2]
    for place in queue["pending"]:
        sub = ledger.submissions[place["submission_id"]]
        assert sub.reveal is not None
        waited = now - block_time(life, sub.reveal.block)
        assert place["waited_seconds"] == waited
        assert place["estimate_seconds"] == max(0, round(place["position"] * each) - waited)
    assert get(client, "/v1/queue", challenge_id=life.challenge_id + 1)["pending"] == []

    page = get(client, f"/v1/submissions/{waiting[1]}")
    assert page["queue"]["position"] == 2 and page["state"] == "revealed"
    assert get(client, f"/v1/submissions/{first}")["queue"] is None  # scored

    env = chain_env(life, tmp_path / "node")
    shown = CliRunner().invoke(cli, ["status", str(waiting[1])], env=env)
    assert shown.exit_code == 0, shown.output
    assert f"Submission {waiting[1]} (challenge {life.challenge_id}, phase 0): revealed" in (
        shown.output
    )
    assert "queue    2 of 2 (waited " in shown.output
    as_json = json.loads(CliRunner().invoke(cli, ["status", str(waiting[1]), "--json"],
                                            env=env).output)  # fmt: skip
    assert as_json["queue"] == page["queue"]
    done = CliRunner().invoke(cli, ["status", str(first)], env=env)
    assert "scored" in done.output and "status   VALID" in done.output
    missing = CliRunner().invoke(cli, ["status", "99"], env=env)
    assert missing.exit_code == 2 and "no submission 99 on this chain yet" in missing.output


def test_without_two_scores_there_is_no_estimate_only_a_place() -> None:
    pending = [Pending(5, 1, 0, 20, 1000), Pending(4, 1, 0, 20, 1000), Pending(3, 2, 0, 19, 990)]
    queue = scoring_queue(pending, [ScoredTimes(900, 950)], now=1010)
    assert [(p.submission_id, p.position) for p in queue.places] == [(3, 1), (4, 2), (5, 3)]
    assert all(p.estimate_seconds is None for p in queue.places)
    assert queue.places[0].waited_seconds == 20
    timed = scoring_queue(pending, [ScoredTimes(900, 950), ScoredTimes(910, 1000)], now=1010)
    assert timed.seconds_per_submission == 50  # (1000 - 900) / 2
    assert [p.estimate_seconds for p in timed.places] == [30, 90, 140]
