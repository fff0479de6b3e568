"""The supervisor of `coop up` with real child processes that keep dying: said, restarted,
and after growing pauses while they keep stopping soon after each start."""

import subprocess
import sys
import time

from oracle.devnet.supervisor import Supervised, Supervisor, pause_before_restart


def test_a_service_that_keeps_stopping_is_restarted_after_growing_pauses() -> None:
    said: list[str] = []
    processes: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        processes.append(subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"]))

    start()
    flaky = Supervised(
        "flaky",
        lambda: processes[-1].poll() is None,
        lambda: processes[-1].returncode,
        start,
        lambda: "the end of its log",
        "/data/flaky",
    )
    supervisor = Supervisor([flaky], said.append)
    processes[-1].wait()
    supervisor.check()  # a first stop: restarted at once
    assert said == [
        "flaky stopped unexpectedly (exit status 3); restarting it in 0 s with its data in "
        "/data/flaky; the platform keeps going. The end of its log:\nthe end of its log",
        "flaky restarted",
    ]
    processes[-1].wait()
    supervisor.check()  # stopped again right after its start: it waits first
    assert "restarting it in 1 s" in said[2] and len(said) == 3 and len(processes) == 2
    time.sleep(1.1)
    supervisor.check()
    assert said[3] == "flaky restarted" and len(processes) == 3
    for process in processes:
        process.wait()


def test_the_pause_doubles_up_to_thirty_seconds() -> None:
    assert [pause_before_restart(n) for n in range(1, 9)] == [0, 1, 2, 4, 8, 16, 30, 30]
