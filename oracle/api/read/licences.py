"""Each submission's licence for the API: the one its artifact's coop-source.json names,
else its phase's spec default (oracle/artifact_manifest.py), read from the block store.

Artifacts and specs never change under their CIDs, so what is read is kept (bounded); an
artifact or spec the store does not hold gives no licence (None) and is tried again.
"""

import sqlite3
from collections.abc import Iterable

from oracle.api.models import Leaderboard, Page, SubmissionLicence, SubmissionSummary
from oracle.artifact_manifest import licence_in, read_manifest
from oracle.errors import CoopError
from oracle.ipfs.store import ContentStore
from oracle.licences.table import is_open
from oracle.spec import SPEC_MAX_BYTES, load_spec

MAX_KEPT = 100_000
_manifests: dict[str, bytes | None] = {}
_defaults: dict[str, str] = {}


def _kept(cache: dict[str, object], key: str, value: object) -> None:
    if len(cache) >= MAX_KEPT:
        cache.clear()
    cache[key] = value


def _default(store: ContentStore, spec_cid: str) -> str | None:
    if spec_cid not in _defaults:
        try:
            default = load_spec(store.cat(spec_cid, max_bytes=SPEC_MAX_BYTES)).licences.default
        except (CoopError, ValueError):
            return None
        _kept(_defaults, spec_cid, default)  # type: ignore[arg-type]
    return _defaults[spec_cid]


def _licence_of(store: ContentStore, default: str, artifact_cid: str) -> SubmissionLicence | None:
    if artifact_cid not in _manifests:
        try:
            manifest = read_manifest(store, artifact_cid)
        except (CoopError, ValueError):
            return None
        _kept(_manifests, artifact_cid, manifest)  # type: ignore[arg-type]
    declared = licence_in(_manifests[artifact_cid], default)
    return SubmissionLicence(spdx=declared.spdx, declared=declared.declared,
                             open=is_open(declared.spdx))  # fmt: skip


def licences(
    db: sqlite3.Connection, store: ContentStore, submission_ids: Iterable[int]
) -> dict[int, SubmissionLicence]:
    """The licence of each revealed submission among `submission_ids` that can be read."""
    ids = sorted(set(submission_ids))
    if not ids:
        return {}
    rows = db.execute(
        "SELECT s.submission_id, p.spec_cid, r.artifact_cid FROM submissions s "
        "JOIN reveals r USING (submission_id) "
        "JOIN phases p ON p.challenge_id = s.challenge_id AND p.phase = s.phase "
        f"WHERE s.submission_id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    # each phase's spec once per call: one the store lacks is not tried fifty times a page
    defaults = {spec: _default(store, spec) for spec in {str(r[1]) for r in rows}}
    found = {
        int(sid): _licence_of(store, default, cid)
        for sid, spec, cid in rows
        if (default := defaults[spec]) is not None
    }
    return {sid: licence for sid, licence in found.items() if licence is not None}


def summaries_with_licences(
    db: sqlite3.Connection, store: ContentStore, page: Page[SubmissionSummary]
) -> Page[SubmissionSummary]:
    found = licences(db, store, (item.submission_id for item in page.items))
    items = [item.model_copy(update={"licence": found.get(item.submission_id)})
             for item in page.items]  # fmt: skip
    return page.model_copy(update={"items": items})


def board_with_licences(
    db: sqlite3.Connection, store: ContentStore, board: Leaderboard
) -> Leaderboard:
    found = licences(db, store, (entry.submission_id for entry in board.items))
    items = [entry.model_copy(update={"licence": found[entry.submission_id].spdx})
             if entry.submission_id in found else entry for entry in board.items]  # fmt: skip
    return board.model_copy(update={"items": items})
