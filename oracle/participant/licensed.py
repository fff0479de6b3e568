"""Giving a submission a licence: the file or folder packed with the manifest naming it.

A predictions file becomes a folder holding the file and `coop-source.json`; a folder is
copied with the licence written into its manifest (added, or merged into the one it has,
such as `--from-git`'s; a manifest naming another licence is refused). The CID of the
result is what is committed, so the licence is bound by it (docs/decisions.md, "Licences").
"""

import shutil
from pathlib import Path
from typing import Any

from oracle.artifact_manifest import MANIFEST, manifest_fields, manifest_json
from oracle.errors import CoopError
from oracle.spec import ChallengeSpec


class LicenceRefused(CoopError, ValueError):
    """The licence asked for cannot be used in this challenge; the message says which can."""


def check_licence(spec: ChallengeSpec, spdx: str) -> None:
    """Refuses a licence the phase's spec does not allow."""
    if spdx not in spec.licences.allowed:
        raise LicenceRefused(f"the challenge does not allow {spdx!r}; choose one of "
                             f"{', '.join(spec.licences.allowed)}")  # fmt: skip


def with_licence(path: Path, spdx: str, into: Path) -> Path:
    """The new folder `into`: `path` (a file, or a folder's content) and a manifest
    naming `spdx`."""
    fields: dict[str, Any] = {}
    if path.is_dir():
        shutil.copytree(path, into)
        if (into / MANIFEST).exists():
            fields = manifest_fields((into / MANIFEST).read_bytes()) or {}
            if fields.get("licence", spdx) != spdx:
                raise LicenceRefused(f"{path / MANIFEST} names the licence "
                                     f"{fields['licence']!r}, not {spdx!r}: change one of "
                                     "them")  # fmt: skip
    else:
        into.mkdir(parents=True)
        shutil.copyfile(path, into / path.name)
    (into / MANIFEST).write_text(manifest_json({"licence": spdx, **fields}))
    return into
