"""Against a real kubo daemon: identical CIDs, and content moving both ways verified."""

import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from oracle.cli.main import cli
from oracle.errors import BackendUnavailable, ContentTooLarge, ContentUnreachable, NotAFile
from oracle.ipfs.cids import RAW, cid_for_block
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.gateway import GatewayStore
from oracle.ipfs.importer import import_path
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.ipfs.store import replicate
from oracle.ipfs.transport import RetryPolicy

pytestmark = pytest.mark.kubo
FAST = RetryPolicy(attempts=2, initial_delay=0.01, timeout=30)
SIZES = ["0B", "1B", "256KiB", "256KiB+1", "10MiB", "50MiB"]


@pytest.fixture
def kubo_store(kubo: KuboDaemon) -> Iterator[KuboStore]:
    with KuboStore(kubo.api_url, policy=FAST) as store:
        yield store


@pytest.fixture
def embedded(tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(tmp_path / "data")


@pytest.mark.parametrize("label", SIZES)
def test_file_cid_equals_ipfs_add(
    kubo: KuboDaemon, kubo_store: KuboStore, sample_files: dict[str, Path], label: str
) -> None:
    path = sample_files[label]
    ours = str(import_path(path).cid)
    assert ours == kubo.cli("add", "--cid-version=1", "-Q", "--pin=false", str(path))
    assert ours == kubo_store.add_path(path).cid  # over the RPC API


@pytest.mark.parametrize("label", SIZES)
def test_each_size_moves_both_ways_verified(
    kubo: KuboDaemon,
    kubo_store: KuboStore,
    sample_files: dict[str, Path],
    tmp_path: Path,
    label: str,
) -> None:
    """Added on one side, fetched block by block and verified on the other, both ways."""
    path = sample_files[label]
    data = path.read_bytes()
    ours = EmbeddedStore(tmp_path / "ours")
    added = ours.add_path(path)
    replicate(ours, kubo_store, added.cid)  # embedded -> kubo over block/put, then pin/add
    assert kubo.cli("block", "stat", added.cid)  # kubo holds the root ...
    assert kubo_store.cat(added.cid) == data  # ... and /api/v0/cat gives the bytes back

    theirs = kubo.cli("add", "--cid-version=1", "-Q", str(path))  # kubo's own importer
    assert theirs == added.cid
    fresh = EmbeddedStore(tmp_path / "fresh")
    copied = replicate(kubo_store, fresh, theirs)  # kubo -> embedded over block/get
    assert fresh.cat(theirs, max_bytes=len(data)) == data
    via_gateway = EmbeddedStore(tmp_path / "via-gateway")
    assert replicate(GatewayStore(kubo.gateway_url, policy=FAST), via_gateway, theirs) == copied
    assert via_gateway.cat(theirs) == data


def test_directory_cid_equals_ipfs_add_r(
    kubo: KuboDaemon, kubo_store: KuboStore, embedded: EmbeddedStore, sample_tree: Path
) -> None:
    ours = embedded.add_path(sample_tree)
    assert ours.cid == kubo.cli("add", "-r", "--cid-version=1", "-Q", str(sample_tree))
    via_rpc = kubo_store.add_path(sample_tree)
    assert via_rpc.cid == ours.cid
    dag_size = kubo.cli("dag", "stat", "--progress=false", "--enc=json", ours.cid)
    assert f'"Size":{ours.dag_size}' in dag_size.replace(" ", "")


def test_coop_cid_matches_kubo(kubo: KuboDaemon, sample_tree: Path) -> None:
    result = CliRunner().invoke(cli, ["cid", str(sample_tree)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == kubo.cli(
        "add", "-r", "--cid-version=1", "-Qn", str(sample_tree)
    )


def test_embedded_to_kubo_via_block_put(
    kubo: KuboDaemon,
    kubo_store: KuboStore,
    embedded: EmbeddedStore,
    make_content: Callable[..., bytes],
) -> None:
    data = make_content(3 * 1024 * 1024, seed=11)
    added = embedded.add_bytes(data)
    assert not kubo_store.has(added.cid)
    copied = replicate(embedded, kubo_store, added.cid)
    assert copied == 13  # 12 leaves + root
    assert kubo_store.cat(added.cid) == data
    assert added.cid in kubo.cli("pin", "ls", "--type=recursive", added.cid)


def test_embedded_tree_to_kubo(
    kubo: KuboDaemon, kubo_store: KuboStore, embedded: EmbeddedStore, sample_tree: Path
) -> None:
    added = embedded.add_path(sample_tree)
    replicate(embedded, kubo_store, added.cid)
    readme = kubo.cli("cat", f"{added.cid}/README.md")
    assert readme == (sample_tree / "README.md").read_text().strip()


def test_kubo_to_embedded_via_rpc(
    kubo_store: KuboStore, embedded: EmbeddedStore, sample_files: dict[str, Path]
) -> None:
    added = kubo_store.add_path(sample_files["10MiB"])
    replicate(kubo_store, embedded, added.cid)  # block/get, each block verified
    assert embedded.cat(added.cid) == sample_files["10MiB"].read_bytes()
    assert kubo_store.cat(added.cid) == sample_files["10MiB"].read_bytes()


def test_kubo_to_embedded_via_its_gateway(
    kubo: KuboDaemon, kubo_store: KuboStore, embedded: EmbeddedStore, sample_tree: Path
) -> None:
    added = kubo_store.add_path(sample_tree)
    gateway = GatewayStore(kubo.gateway_url, policy=FAST)
    replicate(gateway, embedded, added.cid)
    part = import_path(sample_tree / "train" / "shards" / "part-0.bin").cid
    assert embedded.cat(part) == (sample_tree / "train" / "shards" / "part-0.bin").read_bytes()
    assert gateway.cat(part) == embedded.cat(part)


def test_kubo_missing_cid_is_unreachable(kubo: KuboDaemon, kubo_store: KuboStore) -> None:
    absent = cid_for_block(RAW, b"not in this repo")
    with pytest.raises(ContentUnreachable, match="does not have"):
        kubo_store.cat(absent)
    with pytest.raises(ContentUnreachable):
        GatewayStore(kubo.gateway_url, policy=FAST).cat(absent)


def test_kubo_limits(
    kubo_store: KuboStore, sample_files: dict[str, Path], sample_tree: Path
) -> None:
    added = kubo_store.add_path(sample_files["256KiB+1"])
    with pytest.raises(ContentTooLarge, match="1000"):
        kubo_store.cat(added.cid, max_bytes=1000)
    tree = kubo_store.add_path(sample_tree)
    with pytest.raises(NotAFile):
        kubo_store.cat(tree.cid)


def test_foreign_layout_is_read_block_by_block(
    kubo: KuboDaemon, kubo_store: KuboStore, sample_files: dict[str, Path]
) -> None:
    path = sample_files["256KiB+1"]
    small_chunks = kubo.cli("add", "--cid-version=1", "--chunker=size-1000", "-Q", str(path))
    assert small_chunks != str(import_path(path).cid)
    assert kubo_store.cat(small_chunks) == path.read_bytes()


def test_dead_kubo_fails_after_bounded_retries() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    dead = KuboStore(f"/ip4/127.0.0.1/tcp/{port}", policy=FAST)
    with pytest.raises(BackendUnavailable, match="failed 2 times"):
        dead.add_bytes(b"x")
    with pytest.raises(ContentUnreachable, match="failed 2 times"):
        dead.cat(cid_for_block(RAW, b"x"))
