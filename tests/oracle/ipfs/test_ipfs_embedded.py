"""The embedded block store: add, fetch verified, pin, and refuse corrupt or oversized data."""

from collections.abc import Callable
from pathlib import Path

import pytest

from oracle.errors import CidMismatch, ContentTooLarge, ContentUnreachable, NotAFile
from oracle.ipfs.cids import RAW, cid_for_block, parse_cid
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.importer import CHUNK_SIZE, import_path


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "data")


@pytest.mark.parametrize("label", ["0B", "1B", "256KiB", "256KiB+1", "10MiB"])
def test_add_then_cat_round_trips(
    store: EmbeddedStore, sample_files: dict[str, Path], label: str
) -> None:
    path = sample_files[label]
    added = store.add_path(path)
    assert added.cid == str(import_path(path).cid)
    assert store.cat(added.cid) == path.read_bytes()
    assert added.cid in store.pins()


def test_directory_round_trips_file_by_file(store: EmbeddedStore, sample_tree: Path) -> None:
    added = store.add_path(sample_tree)
    blocks = dict(store.iter_blocks(added.cid))
    assert len(blocks) >= 10
    big = import_path(sample_tree / "train" / "shards" / "part-0.bin").cid
    assert store.cat(big) == (sample_tree / "train" / "shards" / "part-0.bin").read_bytes()
    with pytest.raises(NotAFile, match="directory"):
        store.cat(added.cid)


def test_block_changed_on_disk_is_caught_and_named(
    store: EmbeddedStore, make_content: Callable[[int], bytes]
) -> None:
    data = make_content(CHUNK_SIZE * 2 + 5)
    added = store.add_bytes(data)
    leaf = cid_for_block(RAW, data[CHUNK_SIZE : 2 * CHUNK_SIZE])
    block_file = store._block_path(leaf)
    block_file.write_bytes(b"bit rot" + block_file.read_bytes()[7:])
    with pytest.raises(CidMismatch, match=str(leaf)):
        store.cat(added.cid)


def test_put_block_refuses_bytes_that_do_not_match(store: EmbeddedStore) -> None:
    cid = cid_for_block(RAW, b"genuine")
    with pytest.raises(CidMismatch):
        store.put_block(cid, b"forged")
    assert not store.has(cid)


def test_missing_content_is_unreachable(store: EmbeddedStore) -> None:
    absent = cid_for_block(RAW, b"never added")
    assert not store.has(absent)
    with pytest.raises(ContentUnreachable, match=str(absent)):
        store.cat(absent)


def test_oversized_file_is_refused_before_its_leaves_are_read(
    store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch, make_content: Callable[[int], bytes]
) -> None:
    added = store.add_bytes(make_content(3 * CHUNK_SIZE))
    fetched: list[str] = []
    original = store._fetch_block
    monkeypatch.setattr(store, "_fetch_block", lambda c, n: fetched.append(c) or original(c, n))
    with pytest.raises(ContentTooLarge, match=f"{3 * CHUNK_SIZE} bytes.*limit of 1000 bytes"):
        store.cat(added.cid, max_bytes=1000)
    assert fetched == [parse_cid(added.cid)]


def test_pin_fails_when_a_block_is_missing(
    store: EmbeddedStore, make_content: Callable[[int], bytes]
) -> None:
    data = make_content(CHUNK_SIZE + 1)
    added = store.add_bytes(data)
    store._block_path(cid_for_block(RAW, data[CHUNK_SIZE:])).unlink()
    with pytest.raises(ContentUnreachable):
        store.pin(added.cid)
