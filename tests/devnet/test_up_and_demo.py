"""`coop up` (make run) and `coop demo`, run as a user would: real processes, real chain."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from oracle.chain.anvil import free_port

COOP = [sys.executable, "-m", "oracle.cli"]


def children_of(pid: int) -> set[int]:
    """Every live descendant of `pid` (read from /proc)."""
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid == parent and int(entry.name) not in found:
                found.add(int(entry.name))
                frontier.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_up_runs_everything_and_ctrl_c_leaves_nothing_running(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [*COOP, "up", "--data-dir", str(tmp_path), "--api-port", str(port), "--chain-port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            if "Ctrl-C stops everything" in line:
                break
        text = "".join(output)
        assert f"http://127.0.0.1:{port}" in text, text
        started = children_of(process.pid)
        assert len(started) >= 5, "anvil, the API and three oracles"
        challenges = httpx.get(f"http://127.0.0.1:{port}/v1/challenges", timeout=10).json()
        (challenge,) = challenges["items"]  # the demo challenge, indexed from the chain
        assert challenge["challenge_id"] == 1 and challenge["spec_cid"].startswith("bafk")
        for url in re.findall(r"(http://127\.0\.0\.1:\d+)/metrics", text):
            assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/", timeout=10).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    assert process.returncode == 0, "".join(output) + rest
    assert "nothing is left running" in rest
    time.sleep(0.5)
    assert [pid for pid in started if alive(pid)] == []


def test_demo_plays_a_whole_challenge_and_the_audit_passes(tmp_path: Path) -> None:
    result = subprocess.run(
        [*COOP, "demo", "--data-dir", str(tmp_path)],
        capture_output=True, text=True, timeout=600, env={**os.environ},
    )  # fmt: skip
    out = result.stdout
    assert result.returncode == 0, out + result.stderr[-3000:]
    assert "Public leaderboard" in out and "Private leaderboard" in out
    assert re.search(r"eve\s+WRONG_ROW_COUNT|eve\s+WRONG_IDS", out), out
    assert "passes" in out and "to parent" in out, "chloe's fork passes part of her reward on"
    assert re.search(r"chloe\s+claimed [1-9]", out), out
    assert "Audit PASSED" in out
