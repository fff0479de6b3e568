"""Walk UnixFS DAGs block by block: read a file's bytes, or list every block of a DAG.

The walkers take a `get_block` function that returns bytes already checked against their
CID; on top of that they check the links: every child must deliver exactly the number of
bytes its parent declares, and the total must stay within the caller's limit.
"""

from collections.abc import Callable, Iterator

from multiformats import CID

from oracle.errors import ContentTooLarge, MalformedDag, NotAFile
from oracle.ipfs.cids import DAG_PB, RAW, cid_key
from oracle.ipfs.dagpb import PBNode, decode_node
from oracle.ipfs.unixfs import NodeType, UnixFSData, decode_unixfs

BlockGetter = Callable[[CID], bytes]

MAX_DEPTH = 32  # a balanced 174-ary tree of depth 32 is far beyond any real file
MAX_DAG_DEPTH = 256  # directories nest deeper than file trees, but not without end


def read_file(get_block: BlockGetter, cid: CID, max_bytes: int) -> bytes:
    """The whole content of the UnixFS file (or raw block) `cid`, at most `max_bytes`."""
    return b"".join(iter_file(get_block, cid, max_bytes))


def iter_file(get_block: BlockGetter, cid: CID, max_bytes: int) -> Iterator[bytes]:
    """Yield the content of file `cid` in order, refusing anything over `max_bytes`."""
    root = get_block(cid)
    if cid.codec.name == RAW:
        _check_limit(cid, len(root), max_bytes)
        yield root
        return
    node, meta = _decode_file_node(cid, root, at_root=True)
    declared = _declared_size(cid, meta)
    _check_limit(cid, declared, max_bytes)
    emitted = 0
    for piece in _walk_file(get_block, cid, node, meta, depth=0):
        emitted += len(piece)
        _check_limit(cid, emitted, max_bytes)
        yield piece
    if emitted != declared:
        raise MalformedDag(f"{cid_key(cid)} declares {declared} bytes but holds {emitted}")


def walk_dag(get_block: BlockGetter, cid: CID) -> Iterator[tuple[CID, bytes]]:
    """Yield (cid, block) for every distinct block reachable from `cid`, parents first."""
    seen: set[bytes] = set()
    stack: list[tuple[CID, int]] = [(cid, 0)]
    while stack:
        current, depth = stack.pop()
        key = bytes(current.set(version=1)) if current.version == 0 else bytes(current)
        if key in seen:
            continue
        seen.add(key)
        if depth > MAX_DAG_DEPTH:
            raise MalformedDag(f"{cid_key(cid)} is nested deeper than any UnixFS DAG should be")
        block = get_block(current)
        yield current, block
        if current.codec.name == DAG_PB:
            links = decode_node(block).links
            stack.extend((link.cid, depth + 1) for link in reversed(links))


def _walk_file(
    get_block: BlockGetter, cid: CID, node: PBNode, meta: UnixFSData, depth: int
) -> Iterator[bytes]:
    if depth > MAX_DEPTH:
        raise MalformedDag(f"{cid_key(cid)} is nested deeper than {MAX_DEPTH} levels")
    if meta.data:
        yield meta.data
    if len(meta.blocksizes) != len(node.links):
        raise MalformedDag(
            f"{cid_key(cid)} has {len(node.links)} links but {len(meta.blocksizes)} blocksizes"
        )
    for link, expected in zip(node.links, meta.blocksizes, strict=True):
        child = get_block(link.cid)
        if link.cid.codec.name == RAW:
            pieces: Iterator[bytes] = iter((child,))
        else:
            child_node, child_meta = _decode_file_node(link.cid, child, at_root=False)
            if _declared_size(link.cid, child_meta) != expected:
                raise MalformedDag(f"{cid_key(link.cid)} does not hold the {expected} bytes")
            pieces = _walk_file(get_block, link.cid, child_node, child_meta, depth + 1)
        delivered = 0
        for piece in pieces:
            delivered += len(piece)
            if delivered > expected:
                break
            yield piece
        if delivered != expected:
            raise MalformedDag(
                f"{cid_key(link.cid)} holds {delivered} bytes where {cid_key(cid)} "
                f"declares {expected}"
            )


def _decode_file_node(cid: CID, block: bytes, *, at_root: bool) -> tuple[PBNode, UnixFSData]:
    node = decode_node(block)
    if node.data is None:
        raise MalformedDag(f"{cid_key(cid)} is a dag-pb node without UnixFS data")
    meta = decode_unixfs(node.data)
    if meta.type in (NodeType.FILE, NodeType.RAW):
        return node, meta
    if at_root and meta.type in (NodeType.DIRECTORY, NodeType.HAMT_SHARD, NodeType.SYMLINK):
        kind = "a symlink" if meta.type == NodeType.SYMLINK else "a directory"
        raise NotAFile(f"{cid_key(cid)} is {kind}, not a file; name a file inside it")
    raise MalformedDag(f"{cid_key(cid)} is a UnixFS {meta.type.name} node inside a file")


def _declared_size(cid: CID, meta: UnixFSData) -> int:
    size = len(meta.data or b"") + sum(meta.blocksizes)
    if meta.filesize is not None and meta.filesize != size:
        raise MalformedDag(
            f"{cid_key(cid)} declares filesize {meta.filesize} but its parts add up to {size}"
        )
    return size


def _check_limit(cid: CID, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ContentTooLarge(
            f"{cid_key(cid)} is at least {size} bytes, over the limit of {max_bytes} bytes; "
            "reading stopped. Raise the limit if this content is expected to be this large"
        )
