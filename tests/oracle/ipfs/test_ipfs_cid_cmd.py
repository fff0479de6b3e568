"""`coop cid`: the CID on stdout, --json for scripts, bad input as a reason with exit 2."""

import json
import os
from pathlib import Path

from click.testing import CliRunner

from oracle.cli.main import cli
from oracle.ipfs.importer import import_path

HELLO = "bafkreicysg23kiwv34eg2d7qweipxwosdo2py4ldv42nbauguluen5v6am"  # kubo: "hello\n"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["cid", *args], input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.output


def test_prints_the_cid_of_a_file(tmp_path: Path) -> None:
    (tmp_path / "hello.txt").write_bytes(b"hello\n")
    assert run(str(tmp_path / "hello.txt")) == (0, HELLO + "\n")


def test_reads_stdin() -> None:
    assert run("-", stdin=b"hello\n") == (0, HELLO + "\n")


def test_json_describes_a_directory(sample_tree: Path) -> None:
    code, output = run("--json", str(sample_tree))
    assert code == 0
    report = json.loads(output)
    assert report["cid"] == str(import_path(sample_tree).cid)
    assert report["kind"] == "directory"
    assert report["content_size"] == sum(
        (Path(d) / f).stat().st_size
        for d, _, files in os.walk(sample_tree)
        for f in files
        if not f.startswith(".") and not (Path(d) / f).is_symlink()
    )


def test_hidden_flag_changes_the_directory_cid(sample_tree: Path) -> None:
    assert run(str(sample_tree)) != run("--hidden", str(sample_tree))


def test_missing_path_is_bad_input_without_traceback(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "nope.csv"))
    assert code == 2
    assert "does not exist" in output
    assert "Traceback" not in output


def test_special_file_is_bad_input(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    code, output = run(str(tmp_path / "pipe"))
    assert code == 2
    assert "not a regular file" in output


def test_help_shows_an_example() -> None:
    result = CliRunner().invoke(cli, ["cid", "--help"])
    assert result.exit_code == 0
    assert "coop cid -" in result.output and HELLO in result.output
