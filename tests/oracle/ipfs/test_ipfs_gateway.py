"""Gateway fetches: verified DAG walks, and the faults only a fake gateway can inject.

`faulty_gateway` (conftest) is a local HTTP server standing in for a gateway that lies,
fails or stalls; a real kubo gateway cannot be made to do that on demand.
"""

import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from oracle.errors import (
    CidMismatch,
    ContentTooLarge,
    ContentUnreachable,
    ReadOnlyBackend,
)
from oracle.ipfs.cids import RAW, cid_for_block
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.fallback import FallbackStore
from oracle.ipfs.gateway import GatewayStore
from oracle.ipfs.importer import CHUNK_SIZE
from oracle.ipfs.transport import RetryPolicy

FAST = RetryPolicy(attempts=3, initial_delay=0.01, max_delay=0.05, timeout=2.0)


@pytest.fixture
def published(tmp_path: Path, make_content: Callable[[int], bytes]) -> tuple[EmbeddedStore, str]:
    """A three-leaf file in an embedded store, to serve from the fake gateway."""
    store = EmbeddedStore(tmp_path / "origin")
    return store, store.add_bytes(make_content(2 * CHUNK_SIZE + 10)).cid


def test_cat_walks_the_dag_block_by_block(faulty_gateway, published) -> None:
    origin, cid = published
    faulty_gateway.serve(origin.iter_blocks(cid))
    gateway = GatewayStore(faulty_gateway.url, policy=FAST)
    assert gateway.cat(cid) == origin.cat(cid)
    assert len(faulty_gateway.requests) == 4  # root + three leaves
    assert all(path.endswith("?format=raw") for path in faulty_gateway.requests)
    assert gateway.has(cid)


def test_gateway_serving_tampered_block_is_caught(faulty_gateway, published) -> None:
    origin, cid = published
    faulty_gateway.serve(origin.iter_blocks(cid))
    leaf = cid_for_block(RAW, origin.cat(cid)[CHUNK_SIZE : 2 * CHUNK_SIZE])
    faulty_gateway.tampered.add(str(leaf))
    with pytest.raises(CidMismatch, match=str(leaf)):
        GatewayStore(faulty_gateway.url, policy=FAST).cat(cid)


def test_fallback_skips_the_lying_gateway(faulty_gateway, published, tmp_path: Path) -> None:
    origin, cid = published
    faulty_gateway.serve(origin.iter_blocks(cid))
    faulty_gateway.tampered.update(faulty_gateway.blocks)
    chain = FallbackStore([GatewayStore(faulty_gateway.url, policy=FAST), origin])
    assert chain.cat(cid) == origin.cat(cid)


def test_transient_errors_are_retried_with_backoff(
    faulty_gateway, published, no_sleep: list[float]
) -> None:
    origin, cid = published
    faulty_gateway.serve(origin.iter_blocks(cid))
    faulty_gateway.fail_next = 2
    policy = RetryPolicy(attempts=4, initial_delay=0.5, max_delay=0.8)
    assert GatewayStore(faulty_gateway.url, policy=policy).get_block(cid)
    assert no_sleep == [0.5, 0.8]  # doubled, then capped
    assert len(faulty_gateway.requests) == 3


def test_unreachable_after_bounded_retries(faulty_gateway, published) -> None:
    _, cid = published
    faulty_gateway.fail_next = 100
    started = time.monotonic()
    with pytest.raises(ContentUnreachable, match="failed 3 times.*HTTP 503"):
        GatewayStore(faulty_gateway.url, policy=FAST).cat(cid)
    assert len(faulty_gateway.requests) == FAST.attempts
    assert time.monotonic() - started < 2


def test_not_found_is_not_retried(faulty_gateway, published) -> None:
    _, cid = published
    with pytest.raises(ContentUnreachable, match="does not have"):
        GatewayStore(faulty_gateway.url, policy=FAST).cat(cid)
    assert len(faulty_gateway.requests) == 1


def test_dead_gateway_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    cid = cid_for_block(RAW, b"anything")
    with pytest.raises(ContentUnreachable, match="ConnectError"):
        GatewayStore(f"http://127.0.0.1:{port}", policy=FAST).cat(cid)


def test_stalled_gateway_times_out(faulty_gateway, published) -> None:
    origin, cid = published
    faulty_gateway.serve(origin.iter_blocks(cid))
    faulty_gateway.delay = 0.5
    policy = RetryPolicy(attempts=2, initial_delay=0.01, timeout=0.1)
    with pytest.raises(ContentUnreachable, match="Timeout"):
        GatewayStore(faulty_gateway.url, policy=policy).get_block(cid)


def test_oversized_block_is_not_read(faulty_gateway, published) -> None:
    _, cid = published
    faulty_gateway.oversize = True
    with pytest.raises(ContentTooLarge, match="over the limit"):
        GatewayStore(faulty_gateway.url, policy=FAST).get_block(cid)


def test_no_backend_has_it(faulty_gateway, tmp_path: Path) -> None:
    cid = cid_for_block(RAW, b"nobody has this")
    chain = FallbackStore(
        [EmbeddedStore(tmp_path / "data"), GatewayStore(faulty_gateway.url, policy=FAST)]
    )
    with pytest.raises(ContentUnreachable, match="no backend could deliver") as caught:
        chain.cat(cid)
    assert "embedded" in str(caught.value) and "gateway" in str(caught.value)
    assert not chain.has(cid)


def test_gateway_is_read_only(faulty_gateway) -> None:
    with pytest.raises(ReadOnlyBackend):
        GatewayStore(faulty_gateway.url).add_bytes(b"x")
