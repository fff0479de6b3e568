"""Build a runtime lock into a virtualenv of its own, once, from the package registry.

The venv lives in CACHE/<digest hex>, is made from this interpreter's base Python (never
the project's own environment, whose packages it cannot see) and holds exactly the
locked distributions: pip installs the pins with --no-deps from wheels, then the venv's
own list of distributions is compared with the lock. A finished venv carries its lock
text in `coop-runtime.lock`; anything else in the cache is rebuilt. A runtime that
cannot be built is the operator's problem (ConfigError), never the participant's.
"""

import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oracle.errors import ConfigError
from oracle.runtime.lock import RuntimeLock, normalise, this_python

log = logging.getLogger(__name__)
MARKER = "coop-runtime.lock"
_LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m, json; "
    "print(json.dumps(sorted([d.metadata['Name'], d.version] for d in m.distributions())))"
)


@dataclass(frozen=True)
class Runtime:
    """A built runtime: its interpreter and the folders the sandbox must bind read-only."""

    lock: RuntimeLock
    root: Path

    @property
    def python(self) -> Path:
        return self.root / "bin" / "python"

    @property
    def binds(self) -> tuple[Path, ...]:
        base = Path(sys.base_prefix)
        return (self.root,) if str(base).startswith("/usr/") else (self.root, base)


def ensure_runtime(
    lock: RuntimeLock, cache: Path, progress: Callable[[str], None] = log.info
) -> Runtime:
    """The runtime of `lock`, built under `cache` first if it is not there yet."""
    if lock.python != this_python():
        raise ConfigError(
            f"the challenge's runtime needs Python {lock.python}; this oracle runs "
            f"Python {this_python()}: run it with Python {lock.python}"
        )
    target = cache / lock.digest.removeprefix("sha256:")
    if _finished(target, lock):
        return Runtime(lock, target)
    cache.mkdir(parents=True, exist_ok=True)
    building = cache / f".building-{target.name}-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    progress(f"building runtime {lock.digest} ({len(lock.packages)} packages) in {target}")
    try:
        _run([sys.executable, "-m", "venv", "--without-pip", str(building)], "create the venv")
        pip = [sys.executable, "-m", "pip", "--python", str(building / "bin" / "python"),
               "--disable-pip-version-check", "--no-input", "install", "--no-deps",
               "--only-binary=:all:", *lock.pins]  # fmt: skip
        if lock.packages:
            _run(pip, "install the locked packages")
        _check_contents(building, lock)
        (building / MARKER).write_text(lock.text)
        if _finished(target, lock):  # another process finished first
            shutil.rmtree(building)
        else:
            shutil.rmtree(target, ignore_errors=True)
            building.rename(target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    progress(f"runtime {lock.digest} ready")
    return Runtime(lock, target)


def _finished(target: Path, lock: RuntimeLock) -> bool:
    try:
        return (target / MARKER).read_text() == lock.text
    except OSError:
        return False


def _run(command: list[str], what: str) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-3:]
        raise ConfigError(f"cannot {what} for the runtime: {' | '.join(tail)}")
    return done.stdout


def _check_contents(venv: Path, lock: RuntimeLock) -> None:
    listed = json.loads(_run([str(venv / "bin" / "python"), "-I", "-c", _LIST_DISTRIBUTIONS],
                             "list the runtime's packages"))  # fmt: skip
    installed = sorted((normalise(name), version) for name, version in listed)
    if installed != list(lock.packages):
        extra = sorted(set(installed) - set(lock.packages))
        missing = sorted(set(lock.packages) - set(installed))
        raise ConfigError(
            f"the runtime's venv does not hold exactly its lock (extra {extra}, missing "
            f"{missing}); the lock must pin every dependency"
        )
