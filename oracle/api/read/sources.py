"""A submission's source link, read from the coop-source.json at the top of its artifact in
the block store (oracle/submission_source.py writes it; the CID binds it)."""

from oracle.api.models import SourceLink
from oracle.errors import IpfsError
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import read_root_file
from oracle.ipfs.store import ContentStore
from oracle.submission_source import MANIFEST, MANIFEST_MAX_BYTES, read_manifest


def source_link(store: ContentStore, artifact_cid: str | None) -> SourceLink | None:
    """None for a file artifact, one without a manifest, an ill-formed manifest, or an
    artifact this store does not hold (yet)."""
    if artifact_cid is None:
        return None
    try:
        raw = read_root_file(store.get_block, parse_cid(artifact_cid), MANIFEST,
                             MANIFEST_MAX_BYTES)  # fmt: skip
    except (IpfsError, ValueError):
        return None
    manifest = None if raw is None else read_manifest(raw)
    if manifest is None:
        return None
    return SourceLink(repository=manifest.repository, commit=manifest.commit,
                      path=manifest.path, url=manifest.url)  # fmt: skip
