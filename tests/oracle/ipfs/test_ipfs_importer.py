"""The importer's layout rules: raw leaves, balanced 174-ary tree, directories, streaming."""

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from multiformats import CID

from oracle.errors import InvalidCid, IpfsError
from oracle.ipfs.cids import DAG_PB, RAW, parse_cid
from oracle.ipfs.dagpb import decode_node
from oracle.ipfs.importer import (
    CHUNK_SIZE,
    MAX_LINKS,
    EntryKind,
    FileBuilder,
    import_bytes,
    import_path,
    import_stream,
)
from oracle.ipfs.unixfs import decode_unixfs


class Collect:
    """A block sink that keeps every block, for inspecting the DAG shape."""

    def __init__(self) -> None:
        self.blocks: dict[CID, bytes] = {}

    def __call__(self, cid: CID, block: bytes) -> None:
        self.blocks[cid] = block

    def node(self, cid: CID) -> tuple[list[CID], tuple[int, ...]]:
        node = decode_node(self.blocks[cid])
        meta = decode_unixfs(node.data or b"")
        return [link.cid for link in node.links], meta.blocksizes


def test_empty_and_single_chunk_files_are_one_raw_leaf() -> None:
    assert str(import_bytes(b"").cid) == (
        "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
    )
    one_chunk = import_bytes(b"\x01" * CHUNK_SIZE)
    assert one_chunk.cid.codec.name == RAW
    assert one_chunk.cid.raw_digest == hashlib.sha256(b"\x01" * CHUNK_SIZE).digest()


def test_one_byte_past_a_chunk_makes_a_two_leaf_file_node() -> None:
    sink = Collect()
    entry = import_bytes(b"\x02" * (CHUNK_SIZE + 1), sink)
    assert entry.cid.codec.name == DAG_PB
    children, sizes = sink.node(entry.cid)
    assert sizes == (CHUNK_SIZE, 1)
    assert all(child.codec.name == RAW for child in children)
    assert entry.dag_size == len(sink.blocks[entry.cid]) + CHUNK_SIZE + 1


def test_tree_grows_a_level_after_174_leaves() -> None:
    sink = Collect()
    builder = FileBuilder(sink)
    for i in range(MAX_LINKS + 1):
        builder.add_leaf(i.to_bytes(2, "big"))
    root = builder.finish()
    children, sizes = sink.node(root.cid)
    assert len(children) == 2
    assert sizes == (2 * MAX_LINKS, 2)
    full, rest = (sink.node(child)[0] for child in children)
    assert (len(full), len(rest)) == (MAX_LINKS, 1)


def test_exactly_174_leaves_stay_one_level() -> None:
    sink = Collect()
    builder = FileBuilder(sink)
    for i in range(MAX_LINKS):
        builder.add_leaf(bytes([i]))
    children, _ = sink.node(builder.finish().cid)
    assert len(children) == MAX_LINKS


class Trickle(io.RawIOBase):
    """A stream that hands out at most 1000 bytes per read, like a pipe."""

    def __init__(self, data: bytes) -> None:
        self.data = memoryview(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        size = min(1000, len(buffer), len(self.data))
        buffer[:size] = self.data[:size]
        self.data = self.data[size:]
        return size


def test_short_reads_give_the_same_cid_as_whole_chunks() -> None:
    data = os.urandom(3 * CHUNK_SIZE + 17)
    assert import_stream(Trickle(data)).cid == import_bytes(data).cid


def test_hashing_a_50_mib_file_streams(sample_files: dict[str, Path]) -> None:
    tracemalloc.start()
    try:
        entry = import_path(sample_files["50MiB"])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert entry.content_size == 50 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes: the file was held in memory"


def test_directory_links_are_sorted_by_name_bytes_and_hidden_skipped(sample_tree: Path) -> None:
    sink = Collect()
    entry = import_path(sample_tree, sink)
    assert entry.kind == EntryKind.DIRECTORY
    names = [link.name for link in decode_node(sink.blocks[entry.cid]).links]
    assert names == [
        "README.md",
        "Zeta.txt",
        "empty-dir",
        "readme-link",
        "train",
        "é-unicode.txt",
    ]
    with_hidden = import_path(sample_tree, include_hidden=True)
    assert with_hidden.cid != entry.cid


def test_symlinks_are_stored_not_followed(sample_tree: Path) -> None:
    link = import_path(sample_tree / "readme-link")
    assert link.kind == EntryKind.SYMLINK
    assert link.cid != import_path(sample_tree / "README.md").cid


def test_directory_kubo_would_shard_is_refused(tmp_path: Path) -> None:
    for i in range(1200):
        (tmp_path / f"{i:04d}-{'x' * 200}").touch()
    with pytest.raises(IpfsError, match="sharded"):
        import_path(tmp_path)


def test_special_files_are_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(IpfsError, match="not a regular file"):
        import_path(fifo)


def test_cids_of_other_codecs_are_refused() -> None:
    dag_cbor = CID("base32", 1, "dag-cbor", ("sha2-256", hashlib.sha256(b"").digest()))
    with pytest.raises(InvalidCid, match="dag-cbor"):
        parse_cid(str(dag_cbor))
