"""The one interface every IPFS backend implements, and copying a DAG between backends.

A backend only knows how to fetch a block's bytes (`_fetch_block`, untrusted); this base
class checks every block against its CID before anything sees it, and walks UnixFS DAGs
on top of that, so no backend can hand out unverified bytes.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from multiformats import CID

from oracle.ipfs.cids import parse_cid, verify_block
from oracle.ipfs.reader import read_file, walk_dag
from oracle.types import Cid

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 1024 * MiB
# The largest block bitswap moves (kubo: 2 MiB); a bigger "block" is refused unread.
MAX_BLOCK_SIZE = 2 * MiB


@dataclass(frozen=True)
class AddResult:
    """What adding content produced: the root CID and the bytes involved."""

    cid: Cid
    content_size: int  # bytes of file content (summed over a directory's files)
    dag_size: int  # bytes of all blocks, kubo's cumulative "Size"


class ContentStore(ABC):
    """A place IPFS content can be added to and fetched from, always verified."""

    name: str = "store"

    @abstractmethod
    def add_bytes(self, data: bytes) -> AddResult:
        """Add bytes as one file; the CID equals `ipfs add --cid-version=1`'s."""

    @abstractmethod
    def add_path(self, path: Path) -> AddResult:
        """Add a file or directory tree; the CID equals `ipfs add -r --cid-version=1`'s."""

    @abstractmethod
    def put_block(self, cid: CID, block: bytes) -> None:
        """Store one block under its CID (the block is checked against it first)."""

    @abstractmethod
    def pin(self, cid: str | CID) -> None:
        """Keep the whole DAG of `cid` here; fails if it is not complete."""

    @abstractmethod
    def has(self, cid: str | CID) -> bool:
        """Whether this backend can deliver the root block of `cid` now."""

    @abstractmethod
    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        """The bytes this backend holds for `cid`, unverified; ContentUnreachable if none."""

    def get_block(self, cid: str | CID) -> bytes:
        """One block, checked against its CID (CidMismatch if it does not hash to it)."""
        parsed = parse_cid(cid)
        block = self._fetch_block(parsed, MAX_BLOCK_SIZE)
        verify_block(parsed, block)
        return block

    def cat(self, cid: str | CID, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        """The content of a file, every block verified, refusing more than `max_bytes`."""
        return read_file(self.get_block, parse_cid(cid), max_bytes)

    def iter_blocks(self, cid: str | CID) -> Iterator[tuple[CID, bytes]]:
        """Every distinct block of the DAG under `cid`, verified, parents first."""
        return walk_dag(self.get_block, parse_cid(cid))

    def close(self) -> None:
        """Release connections; the store must not be used afterwards."""
        return None  # nothing to release unless a backend holds connections

    def __enter__(self) -> "ContentStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def replicate(source: ContentStore, target: ContentStore, cid: str | CID) -> int:
    """Copy every block of `cid` from source to target, verified, then pin it there.

    Returns the number of blocks copied.
    """
    count = 0
    for block_cid, block in source.iter_blocks(cid):
        target.put_block(block_cid, block)
        count += 1
    target.pin(cid)
    return count
