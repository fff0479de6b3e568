"""Sandbox cost: programs run in the sandbox against the same programs run plainly,
alternating run by run, median of RUNS each.

- Start-up: `pass` and `import numpy` with this interpreter, against a plain subprocess:
  what every custom-scorer run and every code submission pays for its isolation (the
  stage's mount namespace and tmpfs copies, the control group, bubblewrap, seccomp).
- A code submission: a scikit-learn model that trains for about 2 seconds, run by
  `run_code` on the example runtime (examples/runtimes/scikit-learn.lock) against the same
  main.py run by the same runtime's Python outside the sandbox. Target <= 1.25x.
Rows go to bench/report.json.
"""

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from bench.report import Row, merge_rows
from oracle.coderun import run_code
from oracle.runtime import RuntimeLock, ensure_runtime
from oracle.sandbox import Job, Limits, run_job
from oracle.status import Status
from oracle.submission_spec import CodeLimits

RUNS = 7
ROOT = Path(__file__).resolve().parents[1]
LIMITS = Limits(cpu_seconds=10, memory_mb=512, wall_seconds=30)
PROGRAMS = {"trivial_python": "pass\n", "import_numpy": "import numpy\n"}
MODEL = """
import os
import numpy as np, pandas as pd
from sklearn.ensemble import RandomForestRegressor
IN, OUT = os.environ.get("BENCH_IN", "/in"), os.environ.get("BENCH_OUT", "/out")
train = pd.read_csv(f"{IN}/train.csv")
test = pd.read_csv(f"{IN}/test_features.csv")
x = [c for c in train.columns if c.startswith("x")]
model = RandomForestRegressor(n_estimators=60, random_state=int(os.environ.get("COOP_SEED", 0)))
model.fit(train[x], train["target"])
pd.DataFrame({"id": test["id"], "prediction": model.predict(test[x])}).to_csv(
    f"{OUT}/predictions.csv", index=False)
"""
CODE_LIMITS = CodeLimits(cpu_seconds=120, wall_seconds=300, memory_mb=2048)
PLAIN_ENV = {"COOP_SEED": "1", "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1",
             "OMP_NUM_THREADS": "1"}  # fmt: skip


def _medians(ours: Callable[[], object], plain: Callable[[], object]) -> tuple[float, float]:
    """Median wall time of each, run alternately RUNS times."""
    a: list[float] = []
    b: list[float] = []
    for _ in range(RUNS):
        for fn, times in ((ours, a), (plain, b)):
            started = time.perf_counter()
            fn()
            times.append(time.perf_counter() - started)
    return statistics.median(a), statistics.median(b)


def _startup_rows() -> list[Row]:
    rows = []
    for name, program in PROGRAMS.items():
        job = Job(argv=(sys.executable, "-I", "/in/main.py"),
                  files={"/in/main.py": program.encode()})  # fmt: skip
        plain = [sys.executable, "-I", "-c", program]
        ours, base = _medians(partial(run_job, job, LIMITS),
                              partial(subprocess.run, plain, check=True))  # fmt: skip
        print(f"{name}: sandbox {ours * 1000:.0f} ms, plain subprocess {base * 1000:.0f} ms")
        rows.append(Row(f"sandbox.{name}_s", round(ours, 4), "s", f"plain_subprocess.{name}_s",
                        round(base, 4)))  # fmt: skip
    return rows


def _model_files(folder: Path) -> dict[str, bytes]:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(6000, 8))
    y = x @ rng.normal(size=8) + rng.normal(0, 0.3, 6000)
    header = ",".join(f"x{j}" for j in range(8))
    train = "\n".join(",".join(f"{v:.5f}" for v in [*x[i], y[i]]) for i in range(5000))
    test = "\n".join(",".join([str(i), *(f"{v:.5f}" for v in x[i])]) for i in range(5000, 6000))
    files = {"train.csv": f"{header},target\n{train}\n".encode(),
             "test_features.csv": f"id,{header}\n{test}\n".encode()}  # fmt: skip
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _model_row() -> Row:
    lock = RuntimeLock.parse((ROOT / "examples" / "runtimes" / "scikit-learn.lock").read_text())
    runtime = ensure_runtime(lock, ROOT / ".tools" / "runtimes", print)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "code").mkdir()
        (root / "in").mkdir()
        (root / "out").mkdir()
        (root / "code" / "main.py").write_text(MODEL)
        files = _model_files(root / "in")
        inputs = {f"/in/{name}": data for name, data in files.items()}

        def sandboxed() -> None:
            result = run_code(root / "code", CODE_LIMITS, inputs, runtime, 1, 10**6)
            assert result.status is Status.VALID, result.reason

        def plain() -> None:
            env = {**PLAIN_ENV, "BENCH_IN": str(root / "in"), "BENCH_OUT": str(root / "out")}
            command = [str(runtime.python), "-I", "main.py"]
            subprocess.run(command, cwd=root / "code", env=env, check=True)

        ours, base = _medians(sandboxed, plain)
    print(f"a scikit-learn model: sandbox {ours:.2f} s, plain {base:.2f} s ({ours / base:.2f}x)")
    baseline = "plain_runtime_python.sklearn_model_s"
    return Row("sandbox.sklearn_model_s", round(ours, 3), "s", baseline, round(base, 3),
               target="<= 1.25x")  # fmt: skip


def main() -> None:
    merge_rows([*_startup_rows(), _model_row()])


if __name__ == "__main__":
    main()
