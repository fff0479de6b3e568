"""Runs inside the scorer sandbox, never imported by the oracle: a Codabench scoring program
behind Coopetition's `score(y_true, y_pred)` (docs/codabench.md).

`coop challenge import` writes this file with one line prepended, `CONFIG = {...}`: the
bundle's scoring program (a base64 zip), its command, the reference file's name and shape,
the result file's name and the leaderboard key that is the score. For each part of the
rows, `score` lays out Codabench's folders under a fresh /tmp folder (program/,
input/ref/, input/res/, output/), writes the reference rows and the predictions in the
reference file's shape, runs the command's Python script in this process (its argv and
working folder as Codabench sets them; `$input`-style placeholders and `/app/` paths point
at the fresh folder), then reads output/scores.json or output/scores.txt.
"""

import base64
import io
import json
import os
import runpy
import shlex
import sys
import tempfile
import zipfile
from typing import Any

CONFIG: dict[str, Any] = {}  # replaced by `coop challenge import`


def score(y_true: Any, y_pred: Any, **params: Any) -> float:
    root = tempfile.mkdtemp(prefix="codabench-", dir="/tmp")
    for part in ("program", "input/ref", "input/res", "output", "shared"):
        os.makedirs(os.path.join(root, part))
    _unpack_program(os.path.join(root, "program"), root)
    _write_rows(os.path.join(root, "input", "ref", CONFIG["reference_file"]), y_true)
    _write_rows(os.path.join(root, "input", "res", CONFIG["result_file"]), y_pred)
    _run(_argv(root), os.path.join(root, "program"))
    return float(_scores(os.path.join(root, "output"))[CONFIG["score_key"]])


def _unpack_program(folder: str, root: str) -> None:
    archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(CONFIG["program_zip"])))
    for name in archive.namelist():
        target = os.path.join(folder, name)
        if name.endswith("/"):
            os.makedirs(target, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        data = archive.read(name)
        if name.endswith(".py"):  # Codabench mounts everything under /app
            data = data.replace(b"/app/", root.encode() + b"/")
        with open(target, "wb") as handle:
            handle.write(data)


def _write_rows(path: str, values: Any) -> None:
    shape = CONFIG["reference_shape"]
    lines = []
    if shape["header"] is not None:
        lines.append(",".join(shape["header"]))
    for row, value in enumerate(values.tolist()):
        text = str(int(value)) if shape["integer"] and float(value).is_integer() else repr(value)
        if shape["id_column"] is None:
            lines.append(text)
        else:
            cells = [str(row) if c == shape["id_column"] else text for c in shape["header"]]
            lines.append(",".join(cells))
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")


def _argv(root: str) -> list[str]:
    command = CONFIG["command"]
    for placeholder, where in (
        ("$input", "input"), ("$output", "output"), ("$program", "program"),
        ("$hidden", "input/ref"), ("$predictions", "input/res"), ("$shared", "shared"),
        ("$tmp", "output"), ("/app/", ""),
    ):  # fmt: skip
        command = command.replace(placeholder, os.path.join(root, where).rstrip("/") + (
            "/" if placeholder.endswith("/") else ""))  # fmt: skip
    words = shlex.split(command)
    if not words or os.path.basename(words[0]) not in ("python", "python3") or len(words) < 2:
        raise RuntimeError(f"the scoring program's command is not `python SCRIPT ...`: {command}")
    return words[1:]


def _run(argv: list[str], program_dir: str) -> None:
    saved_argv, saved_path, saved_cwd = sys.argv, list(sys.path), os.getcwd()
    known = set(sys.modules)
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))
    os.chdir(program_dir)
    try:
        runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as done:
        if done.code not in (None, 0):
            raise RuntimeError(f"the scoring program exited with status {done.code}") from None
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        os.chdir(saved_cwd)
        for name in set(sys.modules) - known:  # the program's own modules, fresh next part
            del sys.modules[name]


def _scores(output: str) -> dict[str, Any]:
    as_json = os.path.join(output, "scores.json")
    if os.path.exists(as_json):
        with open(as_json) as handle:
            loaded: dict[str, Any] = json.load(handle)
            return loaded
    as_text = os.path.join(output, "scores.txt")
    if not os.path.exists(as_text):
        raise RuntimeError("the scoring program wrote neither scores.json nor scores.txt")
    scores: dict[str, Any] = {}
    with open(as_text) as handle:
        for line in handle:
            key, sep, value = line.partition(":")
            if sep and key.strip():
                scores[key.strip()] = float(value.strip())
    return scores
