"""Runtimes for the code-run tests, built once from the package registry and cached in
the checkout's .tools/runtimes (a second `make test` reuses them)."""

from pathlib import Path

import pytest

from oracle.runtime import Runtime, RuntimeLock, ensure_runtime

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".tools" / "runtimes"


@pytest.fixture(scope="session")
def bare_runtime() -> Runtime:
    """Python alone: enough for programs that misbehave."""
    return ensure_runtime(RuntimeLock.of("3.11", []), CACHE)


@pytest.fixture(scope="session")
def sklearn_runtime() -> Runtime:
    """The example runtime (examples/runtimes/scikit-learn.lock)."""
    lock = RuntimeLock.parse((ROOT / "examples" / "runtimes" / "scikit-learn.lock").read_text())
    return ensure_runtime(lock, CACHE)
