"""Write a UnixFS directory (a code submission) from IPFS into a local folder, checked.

Every block is verified against its CID by the `get_block` it is given, and the tree is
held to what a code submission may be: plain files and folders (a symlink or a sharded
directory is refused, never written), names that stay inside the folder, at most
`max_bytes` of content and `max_entries` entries. A file CID (not a directory) is refused
too: the caller decides what a bare file means.
"""

import functools
from pathlib import Path

from multiformats import CID

from oracle.errors import ContentTooLarge, MalformedDag, NotAFile
from oracle.ipfs.cids import DAG_PB, cid_key
from oracle.ipfs.dagpb import decode_node
from oracle.ipfs.reader import BlockGetter, iter_file
from oracle.ipfs.unixfs import NodeType, decode_unixfs

MAX_NESTING = 32


def is_directory(get_block: BlockGetter, cid: CID) -> bool:
    if cid.codec.name != DAG_PB:
        return False
    node = decode_node(get_block(cid))
    return node.data is not None and decode_unixfs(node.data).type == NodeType.DIRECTORY


def export_folder(
    get_block: BlockGetter, cid: CID, dest: Path, max_bytes: int, max_entries: int = 10_000
) -> int:
    """Write directory `cid` into the new folder `dest`; the bytes of content written."""
    get_block = functools.lru_cache(maxsize=16)(get_block)  # each block is read twice in a row
    if not is_directory(get_block, cid):
        raise NotAFile(f"{cid_key(cid)} is not a folder (a UnixFS directory)")
    dest.mkdir(parents=True)
    budget = _Budget(max_bytes, max_entries, cid)
    _export(get_block, cid, dest, budget, depth=0)
    return budget.bytes


class _Budget:
    def __init__(self, max_bytes: int, max_entries: int, root: CID) -> None:
        self.max_bytes, self.max_entries, self.root = max_bytes, max_entries, root
        self.bytes = self.entries = 0

    def entry(self) -> None:
        self.entries += 1
        if self.entries > self.max_entries:
            raise ContentTooLarge(
                f"{cid_key(self.root)} holds more than {self.max_entries} entries"
            )

    def add(self, size: int) -> None:
        self.bytes += size
        if self.bytes > self.max_bytes:
            raise ContentTooLarge(
                f"{cid_key(self.root)} holds more than {self.max_bytes} bytes; reading stopped"
            )


def _export(get_block: BlockGetter, cid: CID, dest: Path, budget: _Budget, depth: int) -> None:
    if depth > MAX_NESTING:
        raise MalformedDag(f"{cid_key(cid)} nests folders deeper than {MAX_NESTING} levels")
    node = decode_node(get_block(cid))
    seen: set[str] = set()
    for link in node.links:
        name = link.name or ""
        if name in ("", ".", "..") or "/" in name or "\0" in name or name in seen:
            raise MalformedDag(f"{cid_key(cid)} has an entry named {name!r}")
        seen.add(name)
        budget.entry()
        kind = _kind(get_block, link.cid)
        if kind == NodeType.DIRECTORY:
            (dest / name).mkdir()
            _export(get_block, link.cid, dest / name, budget, depth + 1)
        elif kind in (NodeType.FILE, NodeType.RAW):
            with (dest / name).open("xb") as out:
                for piece in iter_file(get_block, link.cid, budget.max_bytes - budget.bytes):
                    budget.add(len(piece))
                    out.write(piece)
        else:
            what = "a symlink" if kind == NodeType.SYMLINK else f"a {kind.name} node"
            raise MalformedDag(f"{name} in {cid_key(cid)} is {what}; only files and folders")


def _kind(get_block: BlockGetter, cid: CID) -> NodeType:
    if cid.codec.name != DAG_PB:
        return NodeType.RAW
    node = decode_node(get_block(cid))
    if node.data is None:
        raise MalformedDag(f"{cid_key(cid)} is a dag-pb node without UnixFS data")
    return decode_unixfs(node.data).type


def read_root_file(get_block: BlockGetter, cid: CID, name: str, max_bytes: int) -> bytes | None:
    """The file `name` at the top of directory `cid`, or None when `cid` is not a directory
    or holds no such file (a sharded directory is read as holding none)."""
    if not is_directory(get_block, cid):
        return None
    for link in decode_node(get_block(cid)).links:
        if link.name == name and _kind(get_block, link.cid) in (NodeType.FILE, NodeType.RAW):
            return b"".join(iter_file(get_block, link.cid, max_bytes))
    return None
