"""Each block and file an audit reads, fetched and verified once for the whole audit.

The licence, score, tie and near-copy checks each read every submission's artifact (the
licences its root block, the others the whole file), and each read parses the CID's text,
names the block by its base32 text and hashes it: most of what a small file costs. This
store in front of the auditor's keeps what it has verified, up to a byte budget (the
content of a phase of 100,000 small files is about 160 MB), and reads through once the
budget is spent, so memory stays bounded whatever the challenge holds.
"""

from pathlib import Path

from multiformats import CID

from oracle.ipfs.cids import parse_cid
from oracle.ipfs.reader import read_file
from oracle.ipfs.store import DEFAULT_MAX_BYTES, AddResult, ContentStore, MiB

BUDGET = 512 * MiB


class ReadOnce(ContentStore):
    """`store`, with every verified block and file kept until `budget` bytes are kept."""

    def __init__(self, store: ContentStore, budget: int = BUDGET) -> None:
        self.store = store
        self.name = store.name
        self.budget = budget
        self.kept = 0  # bytes kept so far (a file of one block counts twice, CID texts too)
        self._blocks: dict[CID, bytes] = {}
        self._files: dict[tuple[str | CID, int], bytes] = {}
        self._parsed: dict[str, CID] = {}  # a CID's text parsed once (0.3 ms in multiformats)

    def get_block(self, cid: str | CID) -> bytes:
        parsed = self._parse(cid)
        block = self._blocks.get(parsed)
        if block is None:
            block = self.store.get_block(parsed)  # verified there
            if self._room_for(block):
                self._blocks[parsed] = block
        return block

    def cat(self, cid: str | CID, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        # the same CID read with the same limit gives the same bytes or the same refusal
        # (refusals are not kept: they are raised again)
        key = (cid, max_bytes)
        data = self._files.get(key)
        if data is None:
            data = read_file(self.get_block, self._parse(cid), max_bytes)  # verified blocks
            if self._room_for(data):
                self._files[key] = data
        return data

    def _parse(self, cid: str | CID) -> CID:
        if not isinstance(cid, str):
            return cid
        parsed = self._parsed.get(cid)
        if parsed is None:
            parsed = parse_cid(cid)  # raises InvalidCid, as the store itself would
            if self._room_for(cid.encode()):
                self._parsed[cid] = parsed
        return parsed

    def _room_for(self, data: bytes) -> bool:
        if self.kept + len(data) > self.budget:
            return False
        self.kept += len(data)
        return True

    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        return self.get_block(cid)

    def add_bytes(self, data: bytes) -> AddResult:
        return self.store.add_bytes(data)

    def add_path(self, path: Path) -> AddResult:
        return self.store.add_path(path)

    def put_block(self, cid: CID, block: bytes) -> None:
        self.store.put_block(cid, block)

    def pin(self, cid: str | CID) -> None:
        self.store.pin(cid)

    def has(self, cid: str | CID) -> bool:
        return self.store.has(cid)

    def close(self) -> None:
        self.store.close()
