"""`coop runtime`: the runtime a code challenge pins, from a lock file: its digest, its build."""

import json
from pathlib import Path

import click

from oracle.runtime import RuntimeLock, ensure_runtime
from oracle.settings import load_settings


@click.group("runtime")
def runtime() -> None:
    """The Python runtime code submissions run on: a lock file's digest, or its build.

    \b
    A lock file names the Python version and pins every package, dependencies included:
      python==3.11
      numpy==2.4.6
      ...
    (examples/runtimes/scikit-learn.lock is the example runtime).
    """


def _lock(path: Path) -> RuntimeLock:
    return RuntimeLock.parse(path.read_text())


@runtime.command("digest")
@click.argument("lock_file", metavar="LOCK", type=click.Path(exists=True, dir_okay=False,
                                                              path_type=Path))  # fmt: skip
def digest(lock_file: Path) -> None:
    """Print the spec's `submission.runtime` section for LOCK (its digest included).

    \b
    Example:
      $ coop runtime digest examples/runtimes/scikit-learn.lock
    """
    lock = _lock(lock_file)
    section = {"python": lock.python, "packages": lock.pins, "digest": lock.digest}
    click.echo(json.dumps(section, indent=2))


@runtime.command("build")
@click.argument("lock_file", metavar="LOCK", type=click.Path(exists=True, dir_okay=False,
                                                              path_type=Path))  # fmt: skip
def build(lock_file: Path) -> None:
    """Build LOCK's runtime now (oracles otherwise build it at the first code submission).

    It goes to COOP_RUNTIME_DIR (default DATA_DIR/runtimes), one virtualenv per digest,
    installed from the package registry with exactly the pinned packages.

    \b
    Example:
      $ coop runtime build examples/runtimes/scikit-learn.lock
    """
    lock = _lock(lock_file)
    built = ensure_runtime(lock, load_settings().runtime_path, click.echo)
    click.echo(f"{lock.digest}: {built.python}")
