"""`coop index rebuild` and `coop api serve` as an operator runs them."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
from click.testing import CliRunner

from oracle.chain.anvil import free_port
from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from tests.indexer.story import ALICE, BOB
from tests.ledger.lifecycle import Life, predictions

COOP = [sys.executable, "-c", "from oracle.cli.main import cli; cli(prog_name='coop')"]


def chain_env(life: Life, data_dir: Path) -> dict[str, str]:
    life.platform.deployment.save(data_dir / "deployment.json")
    return {
        "COOP_RPC_URL": life.w3.provider.endpoint_uri,  # type: ignore[attr-defined]
        "COOP_DEPLOYMENT": str(data_dir / "deployment.json"),
        "COOP_DATA_DIR": str(data_dir),
        "COOP_CONFIRMATIONS": "0",
        "COOP_POLL_SECONDS": "0.2",
    }


def test_index_rebuild_reads_every_event(life: Life, tmp_path: Path) -> None:
    life.submit(ALICE, predictions(life.files, "baseline"))
    env = chain_env(life, tmp_path / "node")

    result = CliRunner().invoke(cli, ["index", "rebuild", "--json"], env=env)

    assert result.exit_code == 0, result.output
    done = json.loads(result.output)
    assert done["events"] >= 4 and done["block"] == life.w3.eth.block_number
    assert Path(done["db"]) == tmp_path / "node" / "index.sqlite3"


def test_api_serve_follows_the_chain_while_it_serves(life: Life, tmp_path: Path) -> None:
    data_dir = tmp_path / "node"
    env = {**os.environ, **chain_env(life, data_dir)}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [*COOP, "api", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        board = f"{url}/v1/challenges/{life.challenge_id}/leaderboard/public"
        assert wait_for(lambda: httpx.get(board).json()["total"] == 0, process)
        life.submit(BOB, predictions(life.files, "linear"))
        life.score_and_post()
        assert wait_for(lambda: httpx.get(board).json()["total"] == 1, process)
        assert httpx.get(f"{url}/openapi.json").json()["info"]["title"] == "Coopetition API"
    finally:
        process.terminate()
        process.wait(timeout=20)
    log = process.stderr.read().decode() if process.stderr else ""
    # uvicorn drains, then re-raises the SIGTERM it caught: exit by that signal is clean.
    assert process.returncode in (0, -15) and "Finished server process" in log, log


def wait_for(check: Callable[[], bool], process: "subprocess.Popen[bytes]") -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            if check():
                return True
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        time.sleep(0.2)
    return False


def test_api_serve_with_two_worker_processes_answers_from_the_index(
    life: Life, indexer: Indexer, tmp_path: Path
) -> None:
    indexer.catch_up()
    port = free_port()
    env = {**os.environ, "COOP_DATA_DIR": str(tmp_path / "node")}
    process = subprocess.Popen(
        [*COOP, "api", "serve", "--no-follow", "--workers", "2", "--db", str(indexer.db_path),
         "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/v1/challenges/{life.challenge_id}"
    try:
        assert wait_for(lambda: httpx.get(url).json()["challenge_id"] == life.challenge_id,
                        process)  # fmt: skip
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_api_serve_workers_on_a_port_in_use_says_so(indexer: Indexer, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [*COOP, "api", "serve", "--no-follow", "--workers", "2", "--db",
             str(indexer.db_path), "--host", "127.0.0.1", "--port", str(port)],
            env={**os.environ, "COOP_DATA_DIR": str(tmp_path)}, capture_output=True,
            text=True, timeout=120,
        )  # fmt: skip
    assert result.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr, result.stderr
    assert "Pick another --port" in result.stderr
