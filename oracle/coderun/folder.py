"""What a code submission's folder may hold: main.py at its root, plain files and folders.

Checked before anything runs, so that a bad folder gets a status with a reason (never an
exception from the sandbox): no links (a link could point the stage at a host file), no
devices or pipes, a bounded number of files and bytes.
"""

import stat
from pathlib import Path

from oracle.scoring.rejection import ArtifactRejected
from oracle.status import Status

MAX_FILES = 10_000


def check_code_folder(folder: Path, max_bytes: int) -> int:
    """The folder's total size in bytes, or ArtifactRejected saying what is wrong."""
    if not folder.is_dir() or folder.is_symlink():
        raise ArtifactRejected(Status.WRONG_FORMAT, "a code submission is a folder with main.py")
    main = folder / "main.py"
    if main.is_symlink() or not main.is_file():
        raise ArtifactRejected(
            Status.WRONG_FORMAT,
            "the folder has no main.py at its root; put the program the oracles start there",
        )
    total = 0
    for count, path in enumerate(sorted(folder.rglob("*")), 1):
        mode = path.lstat().st_mode
        name = path.relative_to(folder)
        if stat.S_ISLNK(mode):
            raise ArtifactRejected(
                Status.WRONG_FORMAT, f"{name} is a link; a code submission holds plain files only"
            )
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            raise ArtifactRejected(Status.WRONG_FORMAT, f"{name} is not a plain file or folder")
        total += path.lstat().st_size if stat.S_ISREG(mode) else 0
        if count > MAX_FILES or total > max_bytes:
            raise ArtifactRejected(
                Status.TOO_LARGE,
                f"the folder holds more than {MAX_FILES} files or {max_bytes} bytes; keep data "
                "out of it (the inputs are in /in)",
            )
    return total
