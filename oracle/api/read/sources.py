"""A submission's source link, read from the coop-source.json at the top of its artifact in
the block store (oracle/submission_source.py writes and reads it; the CID binds it)."""

from oracle.api.models import SourceLink
from oracle.ipfs.store import ContentStore
from oracle.submission_source import artifact_source


def source_link(store: ContentStore, artifact_cid: str | None) -> SourceLink | None:
    manifest = None if artifact_cid is None else artifact_source(store, artifact_cid)
    if manifest is None:
        return None
    return SourceLink(repository=manifest.repository, commit=manifest.commit,
                      path=manifest.path, url=manifest.url)  # fmt: skip
