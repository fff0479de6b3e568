"""The Python runtimes code submissions run on: a locked package list, its digest, its venv.

lock = RuntimeLock.parse(text) / RuntimeLock(python, packages); lock.digest
runtime = ensure_runtime(lock, cache_dir)   # built once from the package registry
"""

from oracle.runtime.build import Runtime, ensure_runtime
from oracle.runtime.lock import RuntimeLock

__all__ = ["Runtime", "RuntimeLock", "ensure_runtime"]
