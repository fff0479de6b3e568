"""The audit's ReadOnce store: a block the steps read again is fetched and verified once, a
refusal is not remembered, and past its byte budget it keeps nothing more (memory stays
bounded) while every read still gives verified bytes."""

from pathlib import Path

import pytest
from multiformats import CID

from oracle.audit.read_once import ReadOnce
from oracle.errors import CidMismatch, ContentTooLarge
from oracle.ipfs.cids import cid_key
from oracle.ipfs.embedded import EmbeddedStore


class CountingStore(EmbeddedStore):
    """The embedded store, counting the blocks it reads from disk."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.fetched = 0

    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        self.fetched += 1
        return super()._fetch_block(cid, limit)


def test_each_file_is_read_from_the_store_once(tmp_path: Path) -> None:
    inner = CountingStore(tmp_path)
    cid = str(inner.add_bytes(b"id,prediction\n1,2.5\n").cid)
    store = ReadOnce(inner)

    reads = [store.cat(cid, max_bytes=1000) for _ in range(3)] + [store.get_block(cid)]

    assert reads == [b"id,prediction\n1,2.5\n"] * 4
    assert inner.fetched == 1


def test_a_refusal_is_raised_each_time_and_the_limit_still_holds(tmp_path: Path) -> None:
    inner = CountingStore(tmp_path)
    cid = str(inner.add_bytes(b"x" * 100).cid)
    store = ReadOnce(inner)

    for _ in range(2):
        with pytest.raises(ContentTooLarge):
            store.cat(cid, max_bytes=10)
    assert store.cat(cid, max_bytes=100) == b"x" * 100


def test_past_the_budget_nothing_more_is_kept_and_reads_stay_verified(tmp_path: Path) -> None:
    inner = CountingStore(tmp_path)
    first, second = (str(inner.add_bytes(bytes([n]) * 600).cid) for n in (1, 2))
    store = ReadOnce(inner, budget=1500)  # room for the first file's block and content only

    store.cat(first)
    store.cat(second)
    assert inner.fetched == 2 and store.kept <= store.budget
    store.cat(first)
    assert inner.fetched == 2, "the first file was kept"
    store.cat(second)
    assert inner.fetched == 3, "the second was not: it is read again"
    key = cid_key(CID.decode(second))
    on_disk = inner.root / "blocks" / key[-3:-1] / key  # the embedded store's layout
    on_disk.write_bytes(b"\0" * 600)  # the second file changed on disk after it was read
    with pytest.raises(CidMismatch):
        store.cat(second)
