"""Server-sent events: a browser watching a leaderboard sees a new score arrive."""

import json
import queue
import threading
from typing import Any

import httpx

from oracle.indexer.runner import Indexer
from tests.api.conftest import Served
from tests.indexer.story import ALICE, BOB, address
from tests.ledger.lifecycle import Life, predictions


def listen(url: str, events: "queue.Queue[Any]", wanted: int) -> None:
    """Reads `wanted` leaderboard events from the stream, then hangs up."""
    try:
        with httpx.stream("GET", url, timeout=30) as response:
            events.put(response.headers["content-type"])
            name, data = "", ""
            for line in response.iter_lines():
                if line.startswith("event:"):
                    name = line.removeprefix("event:").strip()
                elif line.startswith("data:"):
                    data = line.removeprefix("data:").strip()
                elif line == "" and data:
                    if name == "leaderboard":  # `index` events only say something else changed
                        events.put((name, json.loads(data)))
                        wanted -= 1
                    name, data = "", ""
                    if wanted == 0:
                        return
    except Exception as exc:  # handed to the test thread, which fails on it
        events.put(exc)


def test_the_stream_delivers_the_board_again_when_a_score_lands(
    life: Life, indexer: Indexer, served: Served
) -> None:
    life.submit(ALICE, predictions(life.files, "baseline"))
    life.score_and_post()
    indexer.catch_up()
    events: queue.Queue[Any] = queue.Queue()
    url = f"{served.url}/v1/challenges/{life.challenge_id}/leaderboard/stream?limit=5"
    thread = threading.Thread(target=listen, args=(url, events, 2), daemon=True)
    thread.start()

    assert str(events.get(timeout=15)).startswith("text/event-stream")
    name, board = events.get(timeout=15)
    assert name == "leaderboard"
    assert [e["participant"] for e in board["items"]] == [address(ALICE)]

    life.submit(BOB, predictions(life.files, "linear"))
    life.score_and_post()
    assert events.empty(), "nothing is sent before the index changes"
    indexer.catch_up()

    name, board = events.get(timeout=15)
    assert name == "leaderboard"
    assert [e["participant"] for e in board["items"]] == [address(BOB), address(ALICE)]
    thread.join(timeout=10)


def test_the_stream_of_an_unknown_challenge_is_a_404(life: Life, indexer: Indexer,
                                                     served: Served) -> None:  # fmt: skip
    indexer.catch_up()
    response = httpx.get(f"{served.url}/v1/challenges/42/leaderboard/stream", timeout=10)
    assert response.status_code == 404 and response.json()["reason"] == "unknown_challenge"
