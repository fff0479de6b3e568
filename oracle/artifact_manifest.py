"""The small manifest inside a folder artifact, `coop-source.json`: its licence and source.

One JSON object, every field optional:

    {"licence": "MIT",                                   # an SPDX identifier
     "repository": URL, "commit": HEX, "path": SUBFOLDER}  # where the code came from

It is part of the folder the CID names, so what it says is bound by the CID committed on
chain. A bare file has no manifest; a predictions file takes one by being submitted as a
folder holding the file and the manifest (docs/decisions.md, "Licences"). The source
fields are read by oracle/submission_source.py, the licence here.
"""

import json
import re
from dataclasses import dataclass
from typing import Any

from oracle.errors import InvalidCid
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import read_root_file
from oracle.ipfs.store import ContentStore

MANIFEST = "coop-source.json"
MANIFEST_MAX_BYTES = 4096
UNREADABLE_LICENCE = "(unreadable coop-source.json)"  # not an SPDX id: never allowed
SPDX_ID = re.compile(r"[A-Za-z0-9.+-]{1,64}")  # the spec schema's pattern


@dataclass(frozen=True)
class DeclaredLicence:
    spdx: str
    declared: bool  # False: the manifest names none, the spec's default applies


def manifest_fields(data: bytes) -> dict[str, Any] | None:
    """The manifest's JSON object, or None when it is not one."""
    try:
        raw = json.loads(data)
    except ValueError:
        return None
    return raw if isinstance(raw, dict) else None


def manifest_json(fields: dict[str, Any]) -> str:
    """The manifest's text for `fields` (the one way it is written)."""
    return json.dumps(fields, indent=2) + "\n"


def read_manifest(store: ContentStore, artifact_cid: str) -> bytes | None:
    """The manifest's bytes at the top of the artifact; None for a file or a folder without
    one. Raises IpfsError when the artifact cannot be had now."""
    try:
        cid = parse_cid(artifact_cid)
    except (InvalidCid, ValueError):
        return None
    return read_root_file(store.get_block, cid, MANIFEST, MANIFEST_MAX_BYTES)


def licence_in(data: bytes | None, default: str) -> DeclaredLicence:
    """The licence a manifest's bytes declare (`default` when there is no manifest or it
    names none); a manifest that is not JSON, or whose licence is not an SPDX-shaped
    string, declares UNREADABLE_LICENCE, which no spec allows."""
    if data is None:
        return DeclaredLicence(default, False)
    fields = manifest_fields(data)
    if fields is None:
        return DeclaredLicence(UNREADABLE_LICENCE, True)
    spdx = fields.get("licence")
    if spdx is None:
        return DeclaredLicence(default, False)
    readable = isinstance(spdx, str) and SPDX_ID.fullmatch(spdx)
    return DeclaredLicence(spdx if readable else UNREADABLE_LICENCE, True)


def artifact_licence(store: ContentStore, artifact_cid: str, default: str) -> DeclaredLicence:
    """The licence of a revealed artifact. Raises IpfsError when it cannot be had now."""
    return licence_in(read_manifest(store, artifact_cid), default)
