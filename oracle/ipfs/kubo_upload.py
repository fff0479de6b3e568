"""The multipart body kubo's `/api/v0/add` expects for a file, symlink or directory tree.

Each entry is one part named "file" whose filename is the path relative to the parent of
the root, percent-escaped (kubo unescapes it and would otherwise cut it at the last
slash); directories are empty parts of type application/x-directory and come before
their entries (depth first); symlinks are application/symlink parts holding the target.
Hidden entries are left out, as `ipfs add -r` does without --hidden.
"""

import os
import stat
import urllib.parse
from contextlib import ExitStack
from pathlib import Path
from typing import BinaryIO

DIRECTORY = "application/x-directory"
SYMLINK = "application/symlink"
FILE = "application/octet-stream"

Part = tuple[str, tuple[str, bytes | BinaryIO, str]]


def directory_parts(root: Path, files: ExitStack) -> list[Part]:
    """The parts for `root`, in kubo's order; file handles are closed by `files`."""
    parts: list[Part] = []
    _add_entry(root, root.name, parts, files)
    return parts


def _add_entry(path: Path, name: str, parts: list[Part], files: ExitStack) -> None:
    filename = urllib.parse.quote(name, safe="")
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        target = os.readlink(path).encode("utf-8", "surrogateescape")
        parts.append(("file", (filename, target, SYMLINK)))
    elif stat.S_ISDIR(mode):
        parts.append(("file", (filename, b"", DIRECTORY)))
        with os.scandir(path) as entries:
            children = sorted(entry.name for entry in entries if entry.name[0] != ".")
        for child in children:
            _add_entry(path / child, f"{name}/{child}", parts, files)
    else:
        handle = files.enter_context(path.open("rb"))
        parts.append(("file", (filename, handle, FILE)))
