"""Boards per phase through the API: a later phase, scored on another holdout split, never
mixes with an earlier one, and the earlier phase's opened private board stays reachable."""

from typing import Any

from fastapi.testclient import TestClient

from oracle.indexer import boards
from oracle.indexer.runner import Indexer
from oracle.ledger.boards import improvements, private_board, public_board
from oracle.ledger.replay import read_ledger
from oracle.sqlite import transaction
from tests.indexer.story import ALICE, BOB, CAROL, address
from tests.indexer.tables import dump
from tests.ledger.lifecycle import Life, predictions


def get(client: TestClient, path: str, **params: object) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def entries(board: Any) -> list[tuple[str, int]]:
    return [(e["participant"], e["submission_id"]) for e in board["items"]]


def test_each_phase_has_its_own_boards(life: Life, indexer: Indexer, client: TestClient) -> None:
    mean = life.submit(ALICE, predictions(life.files, "baseline"))
    linear = life.submit(BOB, predictions(life.files, "linear"))
    broken = life.submit(CAROL, b"id,prediction\n0,not-a-number\n")
    life.score_and_post()
    life.end_phase()
    # issue 15: phase 1 changes the figure of merit (MAE, a new baseline and target)
    added = life.add_phase(100 * 10**18, metric={"name": "mae"}, baseline="70", target="40")
    life.travel_to(added.commit_start)
    late = life.submit(ALICE, predictions(life.files, "linear"))  # only alice plays phase 1
    life.score_and_post(phase=1)
    indexer.catch_up()
    cid = life.challenge_id

    # the history of the figure of merit: each phase, what changed, its best scores
    history = get(client, f"/v1/challenges/{cid}")["phases"]
    assert [p["changed"] for p in history] == [
        ["first phase"],
        ["baseline 84 -> 70", "target 50 -> 40"],
    ]
    assert [p["baseline"]["wad"] for p in history] == [str(84 * 10**18), str(70 * 10**18)]
    assert history[0]["best_public"]["submission_id"] == linear
    assert history[0]["best_private"]["submission_id"] == linear
    assert history[1]["best_public"]["submission_id"] == late
    assert history[1]["best_private"] is None  # not opened yet
    path = f"/v1/challenges/{cid}/leaderboard"

    latest = get(client, f"{path}/public")
    assert latest["phase"] == 1 and entries(latest) == [(address(ALICE), late)]
    assert "phase 1" in latest["note"]
    first = get(client, f"{path}/public", phase=0)
    assert first["phase"] == 0
    assert entries(first) == [(address(BOB), linear), (address(ALICE), mean)]

    opened = get(client, f"{path}/private", phase=0)
    assert opened["opened"] is True
    assert entries(opened) == [(address(BOB), linear), (address(ALICE), mean)]
    waiting = get(client, f"{path}/private")
    assert waiting["phase"] == 1 and waiting["opened"] is False

    # the index's boards are the ledger's (what `coop leaderboard` shows), phase by phase
    ledger = read_ledger(life.platform)
    lc = ledger.challenge(cid)
    for phase in (0, 1):
        board = get(client, f"{path}/public", phase=phase)
        assert entries(board) == [(e.participant, e.submission_id)
                                  for e in public_board(ledger, lc, phase)]  # fmt: skip
    assert entries(opened) == [
        (e.participant, e.submission_id) for e in private_board(ledger, lc, 0)
    ]
    # the best over time is the phase's too: phase 1 starts again from the baseline
    (step,) = get(client, f"/v1/challenges/{cid}/improvements")["items"]
    assert (step["phase"], step["submission_id"]) == (1, late)
    assert step["previous_best"]["wad"] == str(lc.phases[1].baseline)
    for phase in (0, 1):
        steps = get(client, f"/v1/challenges/{cid}/improvements", phase=phase)["items"]
        assert [(i["submission_id"], i["score"]["wad"]) for i in steps] == [
            (i.submission_id, str(i.score)) for i in improvements(ledger, lc, phase)
        ]
    # rebuilt from the facts (after a rewind), the boards are the same rows
    followed = dump(indexer.db)
    with transaction(indexer.db):
        boards.recompute(indexer.db)
    assert dump(indexer.db) == followed

    # an invalid submission's opened commitment is no private score of 0
    invalid = get(client, f"/v1/submissions/{broken}")
    assert invalid["score"]["valid"] is False
    assert invalid["private_score"] is not None and invalid["private_score"]["score"] is None
    assert get(client, f"/v1/submissions/{linear}")["private_score"]["score"] is not None
