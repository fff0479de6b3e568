"""`coop score`: the oracles' numbers for a file, exit 0 when valid, 2 with the reason when not,
and never a traceback; two separate processes print the very same bytes."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from eth_utils.crypto import keccak
from scoring_helpers import SPECS, spec_json

from oracle.cli.main import cli
from oracle.scoring.files import PARALLEL_CSV_BYTES

SALT_HEX = "0x" + "07" * 32
Files = Callable[[str], dict[str, bytes]]


@pytest.fixture
def diabetes(tmp_path: Path, example_files: Files) -> dict[str, Path]:
    files = example_files("diabetes-regression")
    paths = {}
    for name in ("labels.csv", "sample_submission.csv"):
        paths[name] = tmp_path / name
        paths[name].write_bytes(files[name])
    published = spec_json("diabetes-regression")
    published["split"]["salt_hash"] = "0x" + keccak(bytes.fromhex(SALT_HEX[2:])).hex()
    paths["spec"] = tmp_path / "spec.json"
    paths["spec"].write_text(json.dumps(published))
    return paths


def score(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["score", *map(str, args)])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_valid_file_prints_both_scores_and_wads(diabetes: dict[str, Path]) -> None:
    args = (diabetes["spec"], diabetes["labels.csv"], diabetes["sample_submission.csv"])
    code, out, _ = score(*args, "--salt", SALT_HEX, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["status"] == 0 and report["status_name"] == "VALID"
    assert report["public_rows"] + report["private_rows"] == report["rows"] == 111
    assert int(report["public_wad"]) % 10**16 == 0  # the eta grid (0.01)
    assert 70 < report["private_score"] < 100
    code, text, _ = score(*args, "--salt", SALT_HEX)
    assert code == 0 and "VALID (0): rmse (lower is better) on 111 test rows" in text
    assert f"wad {report['private_wad']}" in text


def test_invalid_file_exits_2_with_the_reason_on_stderr(diabetes: dict[str, Path]) -> None:
    bad = diabetes["sample_submission.csv"].with_name("bad.csv")
    bad.write_bytes(diabetes["sample_submission.csv"].read_bytes().replace(b"\n4,", b"\n0,"))
    code, out, err = score(diabetes["spec"], diabetes["labels.csv"], bad, "--salt", SALT_HEX)
    assert code == 2 and out == ""
    assert "WRONG_IDS (3): 1 test id(s) missing, e.g. '4'" in err and "'0' appears 2 times" in err
    code, out, err = score(diabetes["spec"], diabetes["labels.csv"], bad, "--salt", SALT_HEX,
                           "--json")  # fmt: skip
    assert code == 2 and json.loads(out)["status_name"] == "WRONG_IDS" and "WRONG_IDS" in err


def test_a_header_field_over_128_kib_exits_2_with_one_bounded_line(
    diabetes: dict[str, Path],
) -> None:
    hostile = diabetes["sample_submission.csv"].with_name("hostile.csv")
    body = diabetes["sample_submission.csv"].read_bytes().split(b"\n", 1)[1]
    hostile.write_bytes(b"id,prediction,\x1b[2J" + b"x" * 200_000 + b"\n" + body)
    code, out, err = score(diabetes["spec"], diabetes["labels.csv"], hostile, "--salt", SALT_HEX)
    assert code == 2 and out == ""
    assert err.startswith("Error: WRONG_FORMAT (2): the header cannot be read as CSV")
    assert err.count("\n") == 1 and len(err) < 1100 and "\x1b" not in err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("--salt", "0x" + "08" * 32), "not the spec's split.salt_hash"),
        (("--salt", "0x1234"), "expected 32 bytes"),
        (("--salt", SALT_HEX, "--commitment", "0x" + "00" * 32), "do not match --commitment"),
    ],
)
def test_wrong_salt_or_commitment_is_refused(
    diabetes: dict[str, Path], change: tuple[str, ...], message: str
) -> None:
    code, _, err = score(diabetes["spec"], diabetes["labels.csv"],
                         diabetes["sample_submission.csv"], *change)  # fmt: skip
    assert code == 2 and message in err


def test_right_commitment_and_unpublished_spec_are_accepted(diabetes: dict[str, Path]) -> None:
    commitment = keccak(
        keccak(diabetes["labels.csv"].read_bytes()) + keccak(bytes.fromhex(SALT_HEX[2:]))
    )
    args = (diabetes["labels.csv"], diabetes["sample_submission.csv"], "--salt", SALT_HEX)
    assert score(diabetes["spec"], *args, "--commitment", "0x" + commitment.hex())[0] == 0
    code, _, err = score(SPECS / "diabetes-regression.json", *args[:2])  # zero salt hash, no salt
    assert code == 0 and "no --salt" in err


def test_bad_spec_and_labels_are_one_line_errors(diabetes: dict[str, Path]) -> None:
    broken = diabetes["spec"].with_name("broken.json")
    broken.write_text(diabetes["spec"].read_text().replace('"lower"', '"sideways"'))
    code, _, err = score(broken, diabetes["labels.csv"], diabetes["sample_submission.csv"])
    assert code == 2 and "at direction: 'sideways' is not one of" in err
    labels = diabetes["labels.csv"].with_name("labels-bad.csv")
    labels.write_bytes(b"id,target\n1,2\n1,3\n")
    code, _, err = score(diabetes["spec"], labels, diabetes["sample_submission.csv"])
    assert code == 2 and "repeats the id '1'" in err


def test_help_shows_an_example() -> None:
    result = CliRunner().invoke(cli, ["score", "--help"])
    assert result.exit_code == 0 and "coop score examples/specs/diabetes-regression.json" in (
        result.output
    )


def test_two_independent_runs_print_identical_bytes(diabetes: dict[str, Path]) -> None:
    command = [sys.executable, "-c", "from oracle.cli.main import cli; cli()", "score",
               str(diabetes["spec"]), str(diabetes["labels.csv"]),
               str(diabetes["sample_submission.csv"]), "--salt", SALT_HEX, "--json"]  # fmt: skip
    runs = [
        subprocess.run(command, capture_output=True, check=False,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        for seed in ("1", "2")
    ]  # fmt: skip
    assert [r.returncode for r in runs] == [0, 0], [r.stderr[-2000:] for r in runs]
    assert runs[0].stdout == runs[1].stdout and json.loads(runs[0].stdout)["status"] == 0


def test_short_lived_processes_reading_csv_exit_cleanly(tmp_path: Path) -> None:
    """Arrow's own CSV thread pool made 10-60% of short processes (such as `coop score`)
    abort at exit: "terminate called without an active exception", apache/arrow#34314.
    The reader now parses in threads it joins itself; a >4 MiB file takes that path."""
    data = tmp_path / "predictions.csv"
    data.write_text("id,prediction\n" + "".join(f"{i},{i % 5 / 3!r}\n" for i in range(250_000)))
    assert data.stat().st_size > PARALLEL_CSV_BYTES
    program = (
        "import sys, pyarrow as pa\n"
        "from oracle.scoring.files import read_table\n"
        "types = {'id': pa.string(), 'prediction': pa.float64()}\n"
        "for path in sys.argv[1:]:\n"
        "    print(read_table(open(path, 'rb').read(), types, 2**30).num_rows)\n"
    )
    for _ in range(8):
        run = subprocess.run([sys.executable, "-c", program, str(data)], capture_output=True)
        assert (run.returncode, run.stderr, run.stdout) == (0, b"", b"250000\n")


def test_the_installed_coop_command_exits_2_with_one_line_on_stderr(
    diabetes: dict[str, Path], tmp_path: Path
) -> None:
    coop = Path(sys.executable).with_name("coop")  # the console script `pip install` made
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"id,prediction\n1,nan\n")
    runs = {
        "cid ok": subprocess.run([coop, "cid", diabetes["labels.csv"]], capture_output=True),
        "cid missing": subprocess.run([coop, "cid", tmp_path / "nope"], capture_output=True),
        "score invalid": subprocess.run(
            [coop, "score", diabetes["spec"], diabetes["labels.csv"], bad, "--salt", SALT_HEX],
            capture_output=True,
        ),
    }
    ok = runs.pop("cid ok")
    assert (ok.returncode, ok.stderr) == (0, b"") and ok.stdout.startswith(b"bafkrei")
    for name, run in runs.items():
        assert run.returncode == 2 and run.stdout == b"", name
        assert b"Traceback" not in run.stderr and run.stderr.count(b"\n") == 1, run.stderr
    assert b"does not exist" in runs["cid missing"].stderr
    assert b"NOT_FINITE (5): column 'prediction' is nan for id '1'" in runs["score invalid"].stderr
