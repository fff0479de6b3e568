"""Turn files and directories into UnixFS DAGs exactly as `ipfs add --cid-version=1` does.

The rules (kubo defaults for CIDv1): fixed 256 KiB chunks stored as raw leaves; a file of
one chunk (or none) is that single raw leaf; longer files form a balanced tree of dag-pb
File nodes with at most 174 links each; directories are dag-pb Directory nodes whose links
are sorted by name bytes; symlinks are dag-pb Symlink nodes; hidden entries (".name") are
skipped as `ipfs add -r` does without --hidden. Input is read one chunk at a time and
each block goes to an optional sink, so a 50 MiB file never sits in memory.
"""

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import NamedTuple, Protocol

from multiformats import CID

from oracle.errors import IpfsError
from oracle.ipfs.cids import DAG_PB, RAW, cid_for_block
from oracle.ipfs.dagpb import PBLink, PBNode, encode_name, encode_node
from oracle.ipfs.unixfs import DIRECTORY_DATA, NodeType, UnixFSData, encode_unixfs, symlink_data

CHUNK_SIZE = 262_144
MAX_LINKS = 174
# kubo shards a directory (HAMT) once its links' estimated size reaches this; we refuse.
HAMT_THRESHOLD = 262_144

BlockSink = Callable[[CID, bytes], None]


class Readable(Protocol):
    def readinto(self, buffer: memoryview, /) -> int | None: ...


class EntryKind(str, Enum):
    FILE = "file"
    DIRECTORY = "directory"
    SYMLINK = "symlink"


@dataclass(frozen=True)
class DagEntry:
    """The root of an imported DAG: its CID, kubo's cumulative "Size", content bytes."""

    cid: CID
    dag_size: int
    content_size: int
    kind: EntryKind


class _Child(NamedTuple):
    cid: CID
    tsize: int
    filesize: int


class FileBuilder:
    """Balanced layout fed leaf by leaf; keeps only one open list of links per tree level."""

    def __init__(self, sink: BlockSink | None = None, max_links: int = MAX_LINKS) -> None:
        self._sink = sink
        self._max_links = max_links
        self._levels: list[list[_Child]] = []

    def add_leaf(self, chunk: bytes | memoryview) -> None:
        """Append one chunk of file content as a raw leaf."""
        cid = cid_for_block(RAW, chunk)
        if self._sink is not None:
            self._sink(cid, bytes(chunk))
        self._push(0, _Child(cid, len(chunk), len(chunk)))

    def finish(self) -> DagEntry:
        """Close every open level and return the root (an empty file is an empty leaf)."""
        if not self._levels:
            self.add_leaf(b"")
        level = 0
        while level < len(self._levels) - 1:
            if self._levels[level]:
                self._push(level + 1, self._emit(self._levels[level]))
                self._levels[level] = []
            level += 1
        top = self._levels[-1]
        root = top[0] if len(top) == 1 else self._emit(top)
        return DagEntry(root.cid, root.tsize, root.filesize, EntryKind.FILE)

    def _push(self, level: int, child: _Child) -> None:
        if level == len(self._levels):
            self._levels.append([])
        links = self._levels[level]
        if len(links) == self._max_links:
            # The node at this level is full and more content follows: seal it.
            self._push(level + 1, self._emit(links))
            links = self._levels[level] = []
        links.append(child)

    def _emit(self, children: list[_Child]) -> _Child:
        sizes = tuple(child.filesize for child in children)
        meta = UnixFSData(NodeType.FILE, filesize=sum(sizes), blocksizes=sizes)
        links = tuple(PBLink(child.cid, "", child.tsize) for child in children)
        block = encode_node(PBNode(links, encode_unixfs(meta)))
        cid = cid_for_block(DAG_PB, block)
        if self._sink is not None:
            self._sink(cid, block)
        return _Child(cid, len(block) + sum(child.tsize for child in children), sum(sizes))


def import_stream(
    stream: Readable, sink: BlockSink | None = None, *, chunk_size: int = CHUNK_SIZE
) -> DagEntry:
    """Import everything `stream` yields as one file, reading one chunk at a time."""
    builder = FileBuilder(sink)
    view = memoryview(bytearray(chunk_size))
    while True:
        filled = _read_full(stream, view)
        if filled:
            builder.add_leaf(view[:filled])
        if filled < chunk_size:
            return builder.finish()


def import_bytes(data: bytes, sink: BlockSink | None = None) -> DagEntry:
    """Import an in-memory byte string as one file."""
    builder = FileBuilder(sink)
    view = memoryview(data)
    for start in range(0, len(data), CHUNK_SIZE):
        builder.add_leaf(view[start : start + CHUNK_SIZE])
    return builder.finish()


def import_path(
    path: Path, sink: BlockSink | None = None, *, include_hidden: bool = False
) -> DagEntry:
    """Import a file, directory tree or symlink (not followed) the way `ipfs add -r` does.

    Raises OSError when the path cannot be read and IpfsError for what `ipfs add` would
    not produce as a plain UnixFS DAG (devices, sockets, directories kubo would shard).
    """
    mode = os.lstat(path).st_mode
    if stat.S_ISLNK(mode):
        return _import_symlink(path, sink)
    if stat.S_ISDIR(mode):
        return _import_directory(path, sink, include_hidden)
    if stat.S_ISREG(mode):
        with open(path, "rb", buffering=0) as stream:
            return import_stream(stream, sink)
    raise IpfsError(f"{path} is not a regular file, directory or symlink; it cannot be added")


def _import_symlink(path: Path, sink: BlockSink | None) -> DagEntry:
    block = encode_node(PBNode((), symlink_data(os.readlink(path))))
    cid = cid_for_block(DAG_PB, block)
    if sink is not None:
        sink(cid, block)
    return DagEntry(cid, len(block), 0, EntryKind.SYMLINK)


def _import_directory(path: Path, sink: BlockSink | None, include_hidden: bool) -> DagEntry:
    with os.scandir(path) as entries:
        names = [entry.name for entry in entries if include_hidden or entry.name[0] != "."]
    children = {name: import_path(path / name, sink, include_hidden=include_hidden)
                for name in names}  # fmt: skip
    return directory_entry(children, sink, str(path))


def directory_entry(children: dict[str, DagEntry], sink: BlockSink | None, where: str) -> DagEntry:
    """The Directory node linking `children` (name → imported entry), as `ipfs add -r` makes
    it: links sorted by name bytes; a directory kubo would shard is refused."""
    names = sorted(children, key=encode_name)
    links: list[PBLink] = []
    dag_size = content_size = estimate = 0
    for name in names:
        child = children[name]
        links.append(PBLink(child.cid, name, child.dag_size))
        dag_size += child.dag_size
        content_size += child.content_size
        estimate += len(encode_name(name)) + len(bytes(child.cid))
    block = encode_node(PBNode(tuple(links), DIRECTORY_DATA))
    if max(estimate, len(block)) >= HAMT_THRESHOLD:
        raise IpfsError(
            f"{where} has {len(names)} entries: kubo would store it as a sharded (HAMT) "
            "directory, which this importer does not build; split it into subdirectories"
        )
    cid = cid_for_block(DAG_PB, block)
    if sink is not None:
        sink(cid, block)
    return DagEntry(cid, dag_size + len(block), content_size, EntryKind.DIRECTORY)


def _read_full(stream: Readable, view: memoryview) -> int:
    """Fill `view` unless the stream ends first (kubo's splitter uses io.ReadFull too)."""
    filled = 0
    while filled < len(view):
        got = stream.readinto(view[filled:])
        if not got:
            break
        filled += got
    return filled
