"""Custom scorers run in bubblewrap; misbehaving ones get a status, the caller carries on."""

import numpy as np
import pytest

from oracle.scoring.files import ArtifactRejected
from oracle.scoring.sandbox import Limits, run_scorer
from oracle.status import Status

Y = np.array([1.0, 2.0, 3.0])
P = np.array([1.0, 2.5, 2.0])
FAST = Limits(cpu_seconds=2, memory_mb=512, wall_seconds=10)


def test_honest_scorer_returns_its_score() -> None:
    program = b"import numpy as np\ndef score(y_true, y_pred, power=2):\n" \
              b"    return float(np.mean(np.abs(y_true - y_pred) ** power))\n"  # fmt: skip
    assert run_scorer(program, Y, P, {"power": 1}, FAST) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("body", "status", "reason"),
    [
        (b"def score(a, b):\n    while True: pass\n", Status.TIMEOUT, "CPU"),
        (b"import time\ndef score(a, b):\n    time.sleep(60)\n", Status.TIMEOUT, "longer than"),
        (
            b"def score(a, b):\n    x = []\n    while True: x.append(b' ' * 10**7)\n",
            Status.SCORER_FAILED,
            "memory",
        ),  # fmt: skip
        (
            b"import socket\ndef score(a, b):\n"
            b"    socket.create_connection(('127.0.0.1', 22), timeout=2)\n",
            Status.SCORER_FAILED,
            "failed",
        ),  # fmt: skip
        (
            b"def score(a, b):\n    open('/work/escape.txt', 'w').write('x')\n",
            Status.SCORER_FAILED,
            "Read-only file system",
        ),  # fmt: skip
        (
            b"def score(a, b):\n    raise ValueError('bad shapes')\n",
            Status.SCORER_FAILED,
            "bad shapes",
        ),  # fmt: skip
    ],
)
def test_misbehaving_scorers_fail_cleanly(body: bytes, status: Status, reason: str) -> None:
    limits = Limits(cpu_seconds=2, memory_mb=512, wall_seconds=4)
    with pytest.raises(ArtifactRejected) as caught:
        run_scorer(body, Y, P, {}, limits)
    assert caught.value.status is status
    assert reason in caught.value.reason


def test_scorer_may_write_its_own_tmp() -> None:
    program = b"def score(a, b):\n    open('/tmp/x', 'w').write('ok')\n    return 1.0\n"
    assert run_scorer(program, Y, P, {}, FAST) == 1.0


def test_engine_runs_a_spec_pinned_scorer_program() -> None:
    import json
    from pathlib import Path

    from oracle.scoring.engine import read_labels, score_submission
    from oracle.spec import load_spec

    example = Path(__file__).resolve().parents[3] / "examples/specs/diabetes-regression.json"
    raw = json.loads(example.read_text())
    raw["scorer"] = {"kind": "program", "cid": "bafkreiscorer", "cpu_seconds": 5,
                     "memory_mb": 512, "wall_seconds": 10}  # fmt: skip
    spec = load_spec(json.dumps(raw).encode())
    labels = read_labels(spec, b"id,target\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(40)))
    preds = b"id,prediction\n" + b"".join(b"%d,%d\n" % (i, i + 2) for i in range(40))
    program = b"import numpy as np\ndef score(t, p):\n    return float(np.max(np.abs(t - p)))\n"
    result = score_submission(spec, labels, preds, b"\x00" * 32, program)
    assert result.status is Status.VALID and result.public_score == result.private_score == 2.0
    missing = score_submission(spec, labels, preds, b"\x00" * 32)
    assert missing.status is Status.SCORER_FAILED and "not available" in missing.reason
