"""Code submissions run in the sandbox: an honest model's predictions score as a file;
bad code gets a status and a reason, and the next run works."""

import gzip
from pathlib import Path

import pytest

from oracle.coderun import code_seed, fetch_inputs, run_code, sandbox_files
from oracle.devnet.datasets import example_files
from oracle.ipfs.importer import import_bytes
from oracle.runtime import Runtime
from oracle.scoring import read_labels, score_submission, split_holdout
from oracle.spec import load_spec
from oracle.status import Status
from oracle.submission_spec import CodeLimits

ROOT = Path(__file__).resolve().parents[2]
SALT = bytes(range(32))

LIMITS = CodeLimits(cpu_seconds=20, wall_seconds=30, memory_mb=512, output_mb=8, log_kb=16)
FILES = example_files("diabetes-regression")
BY_CID = {str(import_bytes(data).cid): data for data in FILES.values()}
SPEC = load_spec(ROOT / "examples" / "specs" / "diabetes-regression.json")
INPUTS = sandbox_files(fetch_inputs(SPEC, BY_CID.__getitem__))


def folder_with(tmp_path: Path, main: str | None, **others: str) -> Path:
    folder = tmp_path / "submission"
    folder.mkdir(parents=True)
    if main is not None:
        (folder / "main.py").write_text(main)
    for name, text in others.items():
        (folder / name).write_text(text)
    return folder


def run(folder: Path, runtime: Runtime, limits: CodeLimits = LIMITS):  # type: ignore[no-untyped-def]
    return run_code(folder, limits, INPUTS, runtime, code_seed(31337, 1, 0, 7), 10**6)


def test_inputs_are_named_by_their_role_in_the_spec() -> None:
    assert sorted(INPUTS) == ["/in/sample_submission.csv", "/in/test_features.csv", "/in/train.csv"]


def test_an_honest_model_writes_predictions_that_score_like_a_file(
    sklearn_runtime: Runtime,
) -> None:
    folder = ROOT / "examples" / "code" / "diabetes-ridge"
    result = run(folder, sklearn_runtime)
    assert result.status is Status.VALID, (result.reason, result.run and result.run.log)
    assert result.predictions_name == "predictions.csv"
    assert "ridge alpha" in result.run.log  # type: ignore[union-attr]
    labels = split_holdout(SPEC, read_labels(SPEC, FILES["labels.csv"]), SALT)
    score = score_submission(SPEC, labels, result.predictions)  # type: ignore[arg-type]
    assert score.valid and score.public_score is not None
    assert score.public_score < 70  # ridge beats the constant guess (the 84 baseline)
    again = run(folder, sklearn_runtime)
    assert again.predictions == result.predictions  # same seed, same bytes


BAD_CODE = [
    ("an endless loop", "while True:\n    pass\n", Status.TIMEOUT, "CPU time"),
    ("sleeps past the wall limit", "import time\ntime.sleep(60)\n", Status.TIMEOUT,
     "wall-clock"),
    ("a fork bomb", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n"
     "        pass\n", Status.TIMEOUT, "CPU time"),
    ("allocates past the memory limit", "x = []\nwhile True:\n    x.append(bytearray(10**7))\n",
     Status.OUT_OF_MEMORY, "512 MB"),
    ("writes past the output limit", "f = open('/out/predictions.csv', 'wb')\nwhile True:\n"
     "    f.write(b'x' * 2**20)\n", Status.RUN_FAILED, "exited with status 1"),
    ("opens a network connection", "import socket\nsocket.create_connection(('1.1.1.1', 80), 2)\n",
     Status.RUN_FAILED, "OSError"),
    ("reads the host's files", "print(open('/root/.bashrc').read())\n", Status.RUN_FAILED,
     "FileNotFoundError"),
    ("has a syntax error", "def broken(:\n", Status.RUN_FAILED, "SyntaxError"),
    ("writes nothing", "print('done')\n", Status.NO_OUTPUT, "/out/predictions.csv"),
    ("is killed by a signal", "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n",
     Status.RUN_FAILED, "SIGSEGV"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "main", "status", "reason"), BAD_CODE,
                         ids=[b[0] for b in BAD_CODE])  # fmt: skip
def test_bad_code_gets_a_status_and_a_reason(
    tmp_path: Path, bare_runtime: Runtime, name: str, main: str, status: Status, reason: str
) -> None:
    limits = CodeLimits(cpu_seconds=2, wall_seconds=60 if status is Status.TIMEOUT and
                        "CPU" in reason else 4, memory_mb=512, output_mb=8, log_kb=16)  # fmt: skip
    result = run(folder_with(tmp_path, main), bare_runtime, limits)
    assert result.status is status, (result.reason, result.run and result.run.log)
    assert reason in result.reason
    assert len(result.reason) <= 300
    ok = folder_with(tmp_path / "next", "open('/out/predictions.csv', 'w').write('id\\n')\n")
    assert run(ok, bare_runtime).status is Status.VALID  # the next one runs as usual


def test_a_decompression_bomb_among_its_files_meets_the_memory_limit(
    tmp_path: Path, bare_runtime: Runtime
) -> None:
    """A 600 KB file in the folder that inflates to 600 MB: the program that opens it is
    stopped at the memory limit; the oracle's own export never inflates anything."""
    folder = folder_with(tmp_path, "import gzip\ndata = gzip.open('bomb.gz').read()\n")
    with gzip.open(folder / "bomb.gz", "wb", compresslevel=9) as bomb:
        for _ in range(600):
            bomb.write(bytes(1 << 20))
    assert (folder / "bomb.gz").stat().st_size < 1 << 20
    limits = CodeLimits(cpu_seconds=20, wall_seconds=60, memory_mb=256, output_mb=8, log_kb=16)
    result = run(folder, bare_runtime, limits)
    assert result.status is Status.OUT_OF_MEMORY, (result.reason, result.run and result.run.log)
    assert "256 MB" in result.reason
    ok = folder_with(tmp_path / "next", "open('/out/predictions.csv', 'w').write('id\\n')\n")
    assert run(ok, bare_runtime).status is Status.VALID  # the next one runs as usual


def test_printing_past_the_log_limit_keeps_the_head_and_the_tail(
    tmp_path: Path, bare_runtime: Runtime
) -> None:
    main = (
        "import sys\nprint('first line')\nfor i in range(200_000):\n"
        "    print('chatter', i)\nprint('last line')\n"
        "open('/out/predictions.csv', 'w').write('id,prediction\\n')\n"
    )
    result = run(folder_with(tmp_path, main), bare_runtime)
    assert result.status is Status.VALID
    log = result.run.log  # type: ignore[union-attr]
    assert log.startswith("first line") and "last line" in log and "bytes not kept" in log
    assert len(log) < 16 * 1024 + 4096 + 200


def test_a_folder_without_main_py_or_with_a_link_is_refused_before_it_runs(
    tmp_path: Path, bare_runtime: Runtime
) -> None:
    missing = run(folder_with(tmp_path / "a", None, **{"model.py": "x = 1\n"}), bare_runtime)
    assert missing.status is Status.WRONG_FORMAT and "no main.py" in missing.reason
    assert missing.run is None
    linked = folder_with(tmp_path / "b", "print(open('secret').read())\n")
    (linked / "secret").symlink_to("/etc/shadow")
    refused = run(linked, bare_runtime)
    assert refused.status is Status.WRONG_FORMAT and "secret is a link" in refused.reason


def test_the_program_sees_its_folder_read_only_and_its_seed(
    tmp_path: Path, bare_runtime: Runtime
) -> None:
    main = (
        "import os\nprint('seed', os.environ['COOP_SEED'], 'hashseed', "
        "os.environ['PYTHONHASHSEED'])\nprint(sorted(os.listdir('/in')), os.getcwd())\n"
        "try:\n    open('main.py', 'a').write('x')\n"
        "except OSError as e:\n    print('ro', e.errno)\n"
        "open('/out/predictions.csv', 'w').write('id\\n')\n"
    )
    result = run(folder_with(tmp_path, main, **{"helper.py": "X = 1\n"}), bare_runtime)
    log = result.run.log  # type: ignore[union-attr]
    assert f"seed {code_seed(31337, 1, 0, 7)} hashseed 0" in log
    assert "['sample_submission.csv', 'test_features.csv', 'train.csv'] /code" in log
    assert "ro 13" in log or "ro 30" in log  # EACCES or EROFS
