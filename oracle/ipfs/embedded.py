"""The default backend: an IPFS block store in plain files under the data dir, no daemon.

Layout: `blocks/<2 chars>/<cid>` holds each block under its CIDv1 base32 text (sharded
by the next-to-last two characters, like kubo's flatfs), `pins/<cid>` marks a pinned
root. Writes go to a temporary file first and are renamed into place, so a crash never
leaves a half-written block under a real CID; a block changed on disk is caught on read.
"""

import os
import tempfile
from pathlib import Path

from multiformats import CID

from oracle.errors import ContentTooLarge, ContentUnreachable
from oracle.ipfs.cids import cid_key, parse_cid, verify_block
from oracle.ipfs.importer import DagEntry, import_bytes, import_path
from oracle.ipfs.store import AddResult, ContentStore
from oracle.types import Cid


class EmbeddedStore(ContentStore):
    """Blocks as files keyed by CID; CIDs identical to `ipfs add --cid-version=1`."""

    def __init__(self, data_dir: Path, *, include_hidden: bool = False) -> None:
        self.root = Path(data_dir)
        self.include_hidden = include_hidden
        self.name = f"embedded:{self.root}"
        (self.root / "blocks").mkdir(parents=True, exist_ok=True)
        (self.root / "pins").mkdir(parents=True, exist_ok=True)

    def add_bytes(self, data: bytes) -> AddResult:
        return self._added(import_bytes(data, self._store))

    def add_path(self, path: Path) -> AddResult:
        entry = import_path(Path(path), self._store, include_hidden=self.include_hidden)
        return self._added(entry)

    def put_block(self, cid: CID, block: bytes) -> None:
        parsed = parse_cid(cid)
        verify_block(parsed, block)
        self._store(parsed, block)

    def pin(self, cid: str | CID) -> None:
        parsed = parse_cid(cid)
        for _ in self.iter_blocks(parsed):
            pass  # walking reads and verifies every block, so a gap fails here
        (self.root / "pins" / cid_key(parsed)).touch()

    def pins(self) -> list[Cid]:
        """The pinned root CIDs, sorted."""
        return sorted(Cid(path.name) for path in (self.root / "pins").iterdir())

    def has(self, cid: str | CID) -> bool:
        return self._block_path(parse_cid(cid)).is_file()

    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        path = self._block_path(cid)
        try:
            with open(path, "rb") as handle:
                size = os.fstat(handle.fileno()).st_size
                if size > limit:
                    raise ContentTooLarge(
                        f"block {cid_key(cid)} in {self.root} is {size} bytes, over the "
                        f"block limit of {limit} bytes; not read"
                    )
                return handle.read()
        except FileNotFoundError:
            raise ContentUnreachable(
                f"{cid_key(cid)} is not in the embedded store at {self.root}; add it, "
                "or fetch it from kubo or a gateway"
            ) from None

    def _store(self, cid: CID, block: bytes) -> None:
        path = self._block_path(cid)
        if path.exists():
            return
        path.parent.mkdir(exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(block)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _block_path(self, cid: CID) -> Path:
        key = cid_key(cid)
        return self.root / "blocks" / key[-3:-1] / key

    def _added(self, entry: DagEntry) -> AddResult:
        key = cid_key(entry.cid)
        (self.root / "pins" / key).touch()
        return AddResult(cid=key, content_size=entry.content_size, dag_size=entry.dag_size)
