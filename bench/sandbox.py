"""Sandbox start-up cost: a trivial Python program run in the sandbox against the same
program run as a plain subprocess, alternating run by run, median of RUNS each.

Two programs: `pass` (interpreter start only) and `import numpy` (what a scorer or a
model loads first). The difference is what every custom-scorer run and every code
submission pays for its isolation: the stage (mount namespace, tmpfs copies), the control
group, bubblewrap's namespaces and the seccomp filter. Rows go to bench/report.json.
"""

import statistics
import subprocess
import sys
import time

from bench.report import Row, merge_rows
from oracle.sandbox import Job, Limits, run_job

RUNS = 15
LIMITS = Limits(cpu_seconds=10, memory_mb=512, wall_seconds=30)
PROGRAMS = {"trivial_python": "pass\n", "import_numpy": "import numpy\n"}


def _sandboxed(program: str) -> float:
    started = time.perf_counter()
    run = run_job(Job(argv=(sys.executable, "-I", "/in/main.py"),
                      files={"/in/main.py": program.encode()}), LIMITS)  # fmt: skip
    elapsed = time.perf_counter() - started
    assert run.succeeded, run.log
    return elapsed


def _plain(program: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-I", "-c", program], check=True)
    return time.perf_counter() - started


def main() -> None:
    rows = []
    for name, program in PROGRAMS.items():
        ours, baseline = [], []
        for _ in range(RUNS):
            ours.append(_sandboxed(program))
            baseline.append(_plain(program))
        ours_s, base_s = statistics.median(ours), statistics.median(baseline)
        print(f"{name}: sandbox {ours_s * 1000:.0f} ms, plain subprocess {base_s * 1000:.0f} ms")
        rows.append(Row(f"sandbox.{name}_s", round(ours_s, 4), "s",
                        f"plain_subprocess.{name}_s", round(base_s, 4)))  # fmt: skip
    merge_rows(rows)


if __name__ == "__main__":
    main()
