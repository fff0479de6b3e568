"""Custom scorers run in bubblewrap: honest ones give their score, misbehaving ones a status
with the reason, and the oracle process carries on unharmed."""

import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from scoring_helpers import SALT, csv_bytes, spec_json

from oracle.errors import CidMismatch, ConfigError
from oracle.ipfs.importer import import_bytes
from oracle.sandbox import Limits as SandboxLimits
from oracle.scoring import read_labels, score_submission, split_holdout
from oracle.scoring.custom_scorer import run_scorer
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import load_spec
from oracle.status import Status

Y = np.array([1.0, 2.0, 3.0])
P = np.array([1.0, 2.5, 2.0])
PARTS = {"public": (Y, P), "private": (Y, P + 1)}
LIMITS = SandboxLimits(cpu_seconds=1, memory_mb=256, wall_seconds=3)
# A CPU-bound scorer on a loaded machine gets a fraction of a core: a roomy wall clock lets
# the CPU limit (the thing tested) strike first, however busy the machine is.
CPU_BOUND = SandboxLimits(cpu_seconds=1, memory_mb=256, wall_seconds=60)


def run(
    program: str, params: dict[str, object] | None = None, limits: SandboxLimits = LIMITS
) -> dict[str, float]:
    return run_scorer(program.encode(), PARTS, params or {}, limits)


def test_honest_scorer_gets_each_part_and_its_params() -> None:
    program = (
        "import numpy as np\n"
        "def score(y_true, y_pred, power=2):\n"
        "    print('chatter on stdout does not break the result')\n"
        "    return float(np.mean(np.abs(y_true - y_pred) ** power))\n"
    )
    assert run(program, {"power": 1}) == {"public": 0.5, "private": 2.5 / 3}


# Bound read-only wherever the checkout lives (a repository under /tmp would land in the
# scorer's private tmpfs instead, which is allowed).
ESCAPE_TARGET = Path(sys.executable).parent / "escaped.txt"

MISBEHAVIOUR = [
    ("endless loop", "def score(a, b):\n    while True: pass\n", Status.TIMEOUT, "CPU time"),
    (
        "ignores SIGXCPU",
        "import signal\ndef score(a, b):\n"
        "    signal.signal(signal.SIGXCPU, signal.SIG_IGN)\n    while True: pass\n",
        Status.TIMEOUT,
        "CPU time",
    ),
    ("sleeps", "import time\ndef score(a, b):\n    time.sleep(60)\n", Status.TIMEOUT, "wall-clock"),
    (
        "allocates without end",
        "def score(a, b):\n    x = []\n    while True: x.append(bytearray(10**7))\n",
        Status.SCORER_FAILED,
        "ran out of memory (limit 256 MB)",
    ),
    (
        "tries the network",
        "import socket\ndef score(a, b):\n"
        "    socket.create_connection(('1.1.1.1', 53), timeout=2)\n",
        Status.SCORER_FAILED,
        "Network is unreachable",
    ),
    (
        "writes into its Python installation",
        f"def score(a, b):\n    open({str(ESCAPE_TARGET)!r}, 'w').write('x')\n",
        Status.SCORER_FAILED,
        "Read-only file system",
    ),
    (
        "writes next to its inputs",
        "def score(a, b):\n    open('/in/scorer.py', 'w').write('x')\n",
        Status.SCORER_FAILED,
        "Read-only file system",
    ),
    (
        "reads the oracle's home",
        f"def score(a, b):\n    return len(open({str(Path.home() / '.bashrc')!r}).read())\n",
        Status.SCORER_FAILED,
        "No such file",
    ),
    ("crashes", "def score(a, b):\n    raise ValueError('bad shapes')\n", Status.SCORER_FAILED,
     "ValueError: bad shapes"),
    ("returns NaN", "def score(a, b):\n    return float('nan')\n", Status.SCORER_FAILED, "nan"),
    ("returns text", "def score(a, b):\n    return 'high'\n", Status.SCORER_FAILED, "not a number"),
    ("has no score()", "x = 1\n", Status.SCORER_FAILED, "AttributeError"),
    ("exits", "import sys\ndef score(a, b):\n    sys.exit(0)\n", Status.SCORER_FAILED,
     "SystemExit"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "program", "status", "reason"), MISBEHAVIOUR, ids=[m[0] for m in MISBEHAVIOUR]
)
def test_misbehaving_scorer_gets_a_status_and_the_caller_carries_on(
    name: str, program: str, status: Status, reason: str
) -> None:
    limits = CPU_BOUND if reason == "CPU time" else LIMITS
    started = time.monotonic()
    with pytest.raises(ArtifactRejected) as caught:
        run(program, limits=limits)
    assert caught.value.status is status
    assert reason in caught.value.reason
    assert time.monotonic() - started < limits.wall_seconds + 2
    assert not ESCAPE_TARGET.exists()
    assert run("def score(a, b):\n    return 1.0\n") == {"public": 1.0, "private": 1.0}


def test_scorer_may_use_its_private_tmp_but_not_fill_the_disk() -> None:
    uses_tmp = "def score(a, b):\n    open('/tmp/x', 'w').write('ok')\n    return 2.0\n"
    assert run(uses_tmp)["public"] == 2.0
    fills = (
        "def score(a, b):\n    f = open('/tmp/big', 'wb')\n    while True: f.write(b'x' * 2**20)\n"
    )
    with pytest.raises(ArtifactRejected) as caught:
        run(fills)
    assert caught.value.status is Status.SCORER_FAILED
    assert "File too large" in caught.value.reason or "No space left" in caught.value.reason


def test_no_scorer_process_is_left_behind() -> None:
    run(
        "import os\ndef score(a, b):\n    os.fork() or __import__('time').sleep(30)\n    return 1\n"
    )
    leftovers = [p for p in os.listdir("/proc") if p.isdigit() and _cmdline(p).endswith("/in")]
    assert leftovers == []


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
    except OSError:
        return ""


def program_spec(program: bytes) -> bytes:
    raw = spec_json("diabetes-regression")
    raw["scorer"] = {"kind": "program", "cid": str(import_bytes(program).cid),
                     "cpu_seconds": 5, "memory_mb": 512, "wall_seconds": 10}  # fmt: skip
    raw["metric"] = {"name": "max_error", "params": {"scale": 2}}
    return json.dumps(raw).encode()


def test_engine_runs_the_spec_pinned_program_and_checks_its_cid() -> None:
    program = (
        b"import numpy as np\n"
        b"def score(t, p, scale):\n    return scale * float(np.max(np.abs(t - p)))\n"
    )
    spec = load_spec(program_spec(program))
    rows = [(i, i) for i in range(40)]
    labels = split_holdout(spec, read_labels(spec, csv_bytes("id,target", rows)), SALT)
    preds = csv_bytes("id,prediction", [(i, t + 2) for i, t in rows])
    result = score_submission(spec, labels, preds, scorer_program=program)
    assert result.valid and result.public_score == result.private_score == 4.0
    with pytest.raises(CidMismatch, match="the spec pins"):
        score_submission(spec, labels, preds, scorer_program=program + b"\n")
    with pytest.raises(ConfigError, match="pass its bytes"):
        score_submission(spec, labels, preds)


FORGED_RESULTS = [
    ("a boolean score", '{"scores": {"public": true, "private": true}}', "bool"),
    ("a list", "[1, 2]", "not a JSON object"),
    ("scores that are not a mapping", '{"scores": 5}', "one score for each"),
    ("a missing part", '{"scores": {"public": 1.0}}', "one score for each"),
    ("a text score", '{"scores": {"public": "1", "private": 1}}', "str"),
    ("deep nesting", "[" * 100_000 + "]" * 100_000, "no result"),
    ("no JSON at all", "\x1b[31mscore: 1\x07", "no result"),
]


@pytest.mark.parametrize(
    ("name", "text", "reason"), FORGED_RESULTS, ids=[f[0] for f in FORGED_RESULTS]
)
def test_a_result_of_another_shape_is_a_status_never_an_exception(
    name: str, text: str, reason: str
) -> None:
    program = (
        "import os, sys\n"
        f"open('/out/result.json', 'w').write({text!r})\n"
        'sys.stdout.write(\'{"scores": {"public": 1, "private": 1}}\\n\')\n'  # old channel
        "os._exit(0)\n"
    )
    with pytest.raises(ArtifactRejected) as caught:
        run(program)
    assert caught.value.status is Status.SCORER_FAILED
    assert reason in caught.value.reason


def test_a_scorer_reason_is_bounded_escaped_and_free_of_the_oracles_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COOP_PASSWORD", "correct-horse-battery-staple")
    program = (
        "import os\n"
        "def score(a, b):\n"
        "    env = open('/proc/1/environ', 'rb').read().decode(errors='replace')\n"
        "    raise ValueError('\\x1b[2J\\x07\\x00' + env + 'x' * 1_000_000)\n"
    )
    with pytest.raises(ArtifactRejected) as caught:
        run(program)
    reason = caught.value.reason
    assert caught.value.status is Status.SCORER_FAILED and "ValueError" in reason
    assert len(reason) <= 300
    assert not any(ch in reason for ch in "\x1b\x07\x00")
    assert "correct-horse-battery-staple" not in reason and "COOP_" not in reason
