"""UnixFS directories (code submissions): walked, listed, written out, or put together.

Every block is verified against its CID by the `get_block` it is given, and the tree is
held to what a code submission may be: plain files and folders (a symlink or a sharded
directory is refused, never written), names that stay inside the folder, at most
`max_bytes` of content and `max_entries` entries. A file CID (not a directory) is refused
too: the caller decides what a bare file means. `assemble_folder` builds the directory of
files already stored, with the CID `ipfs add -r` gives the same tree.
"""

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from multiformats import CID

from oracle.errors import ContentTooLarge, MalformedDag, NotAFile
from oracle.ipfs.cids import DAG_PB, cid_key
from oracle.ipfs.dagpb import decode_node
from oracle.ipfs.importer import BlockSink, DagEntry, EntryKind, directory_entry
from oracle.ipfs.reader import BlockGetter, iter_file
from oracle.ipfs.unixfs import NodeType, decode_unixfs

MAX_NESTING = 32
MAX_ENTRIES = 10_000


@dataclass(frozen=True)
class FolderEntry:
    path: PurePosixPath  # inside the folder, e.g. lib/model.py
    cid: CID
    is_folder: bool
    size: int  # a file's bytes as its nodes declare them; 0 for a folder
    dag_size: int  # the file's blocks, as `ipfs add` counts them; 0 for a folder


def is_directory(get_block: BlockGetter, cid: CID) -> bool:
    if cid.codec.name != DAG_PB:
        return False
    node = decode_node(get_block(cid))
    return node.data is not None and decode_unixfs(node.data).type == NodeType.DIRECTORY


def has_root_entry(get_block: BlockGetter, cid: CID, name: str) -> bool:
    """Whether `cid` is a directory with an entry `name` at its top."""
    if not is_directory(get_block, cid):
        return False
    return any(link.name == name for link in decode_node(get_block(cid)).links)


def walk_folder(
    get_block: BlockGetter, cid: CID, max_entries: int = MAX_ENTRIES
) -> Iterator[FolderEntry]:
    """Every entry of directory `cid`, a folder before what it holds, checked as it goes
    (a file CID is refused at once, the rest as the entries are read)."""
    if not is_directory(get_block, cid):
        raise NotAFile(f"{cid_key(cid)} is not a folder (a UnixFS directory)")
    return _walk(get_block, cid, PurePosixPath(), _Budget(2**62, max_entries, cid), depth=0)


def list_folder(
    get_block: BlockGetter, cid: CID, max_entries: int = MAX_ENTRIES
) -> list[FolderEntry]:
    """The files of directory `cid` (not its folders), in path order."""
    return sorted((e for e in walk_folder(get_block, cid, max_entries) if not e.is_folder),
                  key=lambda e: e.path.parts)  # fmt: skip


def export_folder(
    get_block: BlockGetter, cid: CID, dest: Path, max_bytes: int, max_entries: int = MAX_ENTRIES
) -> int:
    """Write directory `cid` into the new folder `dest`; the bytes of content written."""
    get_block = functools.lru_cache(maxsize=16)(get_block)  # each block is read twice in a row
    entries = walk_folder(get_block, cid, max_entries)  # refuses a file before any mkdir
    budget = _Budget(max_bytes, max_entries, cid)
    dest.mkdir(parents=True)
    for entry in entries:
        target = dest.joinpath(*entry.path.parts)
        if entry.is_folder:
            target.mkdir()
            continue
        with target.open("xb") as out:
            for piece in iter_file(get_block, entry.cid, budget.max_bytes - budget.bytes):
                budget.add(len(piece))
                out.write(piece)
    return budget.bytes


def assemble_folder(
    get_block: BlockGetter, files: Mapping[str, CID], sink: BlockSink | None
) -> DagEntry:
    """The directory holding stored files at their paths (`a/b.py` → CID), with the CID
    `ipfs add -r` gives the same tree; its directory blocks go to `sink`."""
    tree: dict[str, object] = {}
    for path, cid in files.items():
        *folders, name = PurePosixPath(path).parts
        node = tree
        for folder in folders:
            child = node.setdefault(folder, {})
            if not isinstance(child, dict):
                raise MalformedDag(f"{path}: {folder} is a file and a folder")
            node = child
        if name in node:
            raise MalformedDag(f"{path} is named twice")
        node[name] = cid

    def build(node: dict[str, object], where: str) -> DagEntry:
        children = {
            name: build(child, f"{where}{name}/") if isinstance(child, dict)
            else _file_entry(get_block, child, f"{where}{name}")  # type: ignore[arg-type]
            for name, child in node.items()
        }  # fmt: skip
        return directory_entry(children, sink, where or "the folder")

    return build(tree, "")


def _file_entry(get_block: BlockGetter, cid: CID, where: str) -> DagEntry:
    size, dag_size = _file_sizes(get_block, cid, where)
    return DagEntry(cid, dag_size, size, EntryKind.FILE)


def _file_sizes(get_block: BlockGetter, cid: CID, where: str) -> tuple[int, int]:
    """(content bytes, cumulative block bytes) of a stored file, from its root block."""
    block = get_block(cid)
    if cid.codec.name != DAG_PB:
        return len(block), len(block)
    node = decode_node(block)
    meta = decode_unixfs(node.data) if node.data is not None else None
    if meta is None or meta.type not in (NodeType.FILE, NodeType.RAW):
        raise NotAFile(f"{where} ({cid_key(cid)}) is not a file")
    size = len(meta.data or b"") + sum(meta.blocksizes)
    return size, len(block) + sum(link.tsize or 0 for link in node.links)


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


def _walk(get_block: BlockGetter, cid: CID, at: PurePosixPath, budget: _Budget,
          depth: int) -> Iterator[FolderEntry]:  # fmt: skip
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
            yield FolderEntry(at / name, link.cid, True, 0, 0)
            yield from _walk(get_block, link.cid, at / name, budget, depth + 1)
        elif kind in (NodeType.FILE, NodeType.RAW):
            size, dag_size = _file_sizes(get_block, link.cid, str(at / name))
            yield FolderEntry(at / name, link.cid, False, size, dag_size)
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
