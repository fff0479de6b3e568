"""Lets `brownie run` import a script from a checkout whose path has a dot in a directory name.

brownie 1.22 imports a script as the module named by every part of its absolute path joined
with dots, with "/" on sys.path: /tmp/tmp.x1/coop/scripts/deploy.py becomes the module
`tmp.tmp.x1.coop.scripts.deploy`, and Python's import system then looks for a directory
/tmp/tmp (ModuleNotFoundError: No module named 'tmp.tmp'). The finder below, appended to
sys.meta_path, answers only the names the standard finders cannot: it maps a run of module
name parts back onto a directory whose name contains dots (/tmp/tmp + "." + x1). The
virtualenv loads it in brownie processes only (a .pth file written by tools/setup.sh).
"""

import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType


class DottedDirectoryFinder(MetaPathFinder):
    """Finds the packages a dotted directory name splits into, as namespace packages."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        # brownie puts the filesystem root on sys.path: a top-level name is a directory there.
        parents = path if path is not None else [p for p in sys.path if p == os.sep]
        part = fullname.rpartition(".")[2]
        for parent in parents:
            # A real directory `parent/part` is the standard finders' job; here `parent` may be
            # a dotted name's unfinished prefix (virtual), so `parent.part` is tried too.
            for location in (os.path.join(parent, part), f"{parent}.{part}"):
                if os.path.isdir(location) or _is_dotted_prefix(location):
                    spec = ModuleSpec(fullname, None, is_package=True)
                    spec.submodule_search_locations = [location]
                    return spec
        return None


def _is_dotted_prefix(location: str) -> bool:
    """True when some directory beside `location` is named `<its name>.<more>`."""
    directory, name = os.path.split(location)
    try:
        entries = os.listdir(directory or ".")
    except OSError:
        return False
    return any(
        entry.startswith(name + ".") and os.path.isdir(os.path.join(directory, entry))
        for entry in entries
    )


def install() -> None:
    """Appends the finder to sys.meta_path once (after the standard finders)."""
    if not any(isinstance(finder, DottedDirectoryFinder) for finder in sys.meta_path):
        sys.meta_path.append(DottedDirectoryFinder())
