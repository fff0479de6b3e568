"""Every shell command shown in README.md, docs/participant.md, owner.md and auditor.md runs
against `make run`'s platform (`coop up` with its defaults), as a newcomer would run it.

A command is every line of a ```sh block (continued by a trailing backslash) and every
`$ ` line of a ```console block (a transcript). A command must exit 0, unless the output
shown under it has a line starting with `Error:` (then exit status 2 and an `Error:`
line), `FAILED:` (an audit's discrepancy: 1) or `INCOMPLETE:` (an audit that could not
fetch everything: 3). A block the test cannot run unattended is preceded by
`<!-- docs-test: skip: WHY -->`, and WHY may not be empty. Each document runs in one shell
of its own, from the top, against a fresh `coop up` started with its defaults, in a
folder that looks like a fresh clone (its own HOME, so `~/.coop` and `~/.brownie` are the
test's), after the `export` lines that `coop up`'s banner prints (the docs ask the reader
to paste them). Inline `code` in the prose names commands; it is not run.
"""

import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from oracle.chain.anvil import free_port, port_is_free
from oracle.chain.artifacts import REPO_ROOT

COOP = [sys.executable, "-m", "oracle.cli"]
DOCS = ("README.md", "docs/participant.md", "docs/owner.md", "docs/auditor.md")
SKIP = re.compile(r"<!--\s*docs-test:\s*skip:?\s*(.*?)\s*-->")
FENCE = re.compile(r"^```(\w*)\s*$")
# What a fresh clone holds after `make setup`, linked into the test's folder.
CLONE = ("Makefile", "README.md", "brownie-config.yaml", "contracts", "examples",
         "scripts", "build", "node_modules", ".venv", ".tools", "tools", "oracle", "tests",
         "docs", "bench", "pyproject.toml", "foundry.toml")  # fmt: skip
END = "@@docs-test-end"
API_PORT = 8000  # `make run`'s, which the docs use as an IPFS gateway


# What a transcript's output says → the exit status the command must have.
EXPECTED_STATUS = {"Error:": 2, "FAILED:": 1, "INCOMPLETE:": 3}


@dataclass(frozen=True)
class Command:
    doc: str
    line: int
    text: str
    expect_error: bool
    status: int = 0
    marker: str = ""

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}: {self.text}"


@dataclass(frozen=True)
class Skipped:
    doc: str
    line: int
    reason: str


def _joined(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines continued by a trailing backslash, joined into one command each."""
    commands: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, text in lines:
        if pending is not None:
            text = pending[1] + "\n" + text
            number = pending[0]
        pending = (number, text) if text.endswith("\\") else None
        if pending is None:
            commands.append((number, text))
    return commands


def commands_of(doc: str) -> tuple[list[Command], list[Skipped]]:
    lines = (REPO_ROOT / doc).read_text().splitlines()
    commands: list[Command] = []
    skipped: list[Skipped] = []
    skip_reason: str | None = None
    i = 0
    while i < len(lines):
        marker = SKIP.search(lines[i])
        if marker:
            skip_reason = marker.group(1)
        fence = FENCE.match(lines[i])
        if not fence:
            i += 1
            continue
        start, lang = i + 1, fence.group(1)
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            i += 1
        body = list(enumerate(lines[start:i], start=start + 1))
        i += 1
        if lang not in ("sh", "console"):
            skip_reason = None
            continue
        if skip_reason is not None:
            skipped.append(Skipped(doc, start, skip_reason))
            skip_reason = None
            continue
        if lang == "sh":
            shown = [(n, t) for n, t in body if t.strip() and not t.lstrip().startswith("#")]
            commands += [Command(doc, n, t, False) for n, t in _joined(shown)]
            continue
        # a transcript: `$ ` lines are commands, the lines up to the next one their output
        entries: list[tuple[int, list[str], list[str]]] = []
        for n, t in body:
            if t.startswith("$ "):
                entries.append((n, [t[2:]], []))
            elif entries and entries[-1][1][-1].endswith("\\") and not entries[-1][2]:
                entries[-1][1].append(t)
            elif entries:
                entries[-1][2].append(t)
        for n, cmd, output in entries:
            shown = [m for m in EXPECTED_STATUS if any(o.startswith(m) for o in output)]
            marker = shown[0] if shown else ""
            commands.append(Command(doc, n, "\n".join(cmd), bool(shown),
                                    EXPECTED_STATUS.get(marker, 0), marker))  # fmt: skip
    return commands, skipped


def test_every_doc_keeps_its_commands_extractable() -> None:
    """The docs show commands only in blocks the runner reads, and say why one is skipped."""
    for doc in DOCS:
        commands, skipped = commands_of(doc)
        assert commands, f"{doc}: no runnable commands found"
        for s in skipped:
            assert len(s.reason) > 10, f"{doc}:{s.line}: a skipped block must say why"
        text = (REPO_ROOT / doc).read_text()
        assert not re.search(
            r"^```(bash|shell)?\s*\n\$ ", text, re.M
        ), f"{doc}: a transcript without `console` on its fence is not run"


@pytest.fixture
def clone(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh-clone-like folder, its own HOME, and a fresh `coop up` with its defaults
    (each document is read by a newcomer who has just typed `make run`)."""
    root = tmp_path / "coop checkout.v2"  # a space and a dot, on purpose
    root.mkdir()
    for name in CLONE:
        if (REPO_ROOT / name).exists():
            (root / name).symlink_to(REPO_ROOT / name)
    home = root.parent / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOP_")}
    env.update(HOME=str(home), COOP_KUBO_BIN=os.environ.get("COOP_KUBO_BIN", ""))
    up_env = dict(env)
    env["PATH"] = "/usr/bin:/bin"  # coop, anvil, cast, brownie: only from the banner's line
    api_port = API_PORT if port_is_free(API_PORT) else free_port()  # the docs name 8000
    process = subprocess.Popen(
        [*COOP, "up", "--api-port", str(api_port)], cwd=root, env=up_env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    banner: list[str] = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            banner.append(line)
            if "Ctrl-C stops everything" in line:
                break
        assert process.poll() is None, "".join(banner)
        exports = [line.strip() for line in banner if line.strip().startswith("export ")]
        assert exports, "".join(banner)
        env["DOCS_TEST_EXPORTS"] = "\n".join(
            e for e in exports if not e.startswith("export COOP_PRIVATE_KEY")
        )
        yield root, env
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=120)


def run_doc(doc: str, root: Path, env: dict[str, str]) -> list[str]:
    """Runs the doc's commands in one bash; returns what went wrong, one entry a command."""
    commands, _ = commands_of(doc)
    script = ["set -o pipefail", env["DOCS_TEST_EXPORTS"]]
    for index, command in enumerate(commands):
        script += [command.text, f'echo "{END} {index} $?"']
    result = subprocess.run(
        ["bash", "-c", "\n".join(script)], cwd=root, env=env, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1500,
    )  # fmt: skip
    problems = []
    outputs = re.split(rf"^{END} (\d+) (\d+)$", result.stdout, flags=re.M)
    ran = {
        int(outputs[i]): (int(outputs[i + 1]), outputs[i - 1]) for i in range(1, len(outputs), 3)
    }
    for index, command in enumerate(commands):
        if index not in ran:
            problems.append(f"{command}\n  never finished (the shell stopped)")
            continue
        status, output = ran[index]
        if command.expect_error:
            ok = status == command.status and command.marker in output
            wanted = f"exit {command.status} with a {command.marker} line"
        else:
            ok, wanted = status == 0, "exit 0"
        if not ok:
            problems.append(
                f"{command}\n  exited {status}, the doc shows {wanted}:\n{output[-1500:]}"
            )
    return problems


@pytest.mark.parametrize("doc", DOCS)
def test_the_doc_runs_as_written(doc: str, clone: tuple[Path, dict[str, str]]) -> None:
    root, env = clone
    problems = run_doc(doc, root, env)
    assert not problems, "\n\n".join(problems)
