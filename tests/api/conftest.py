"""The API over an index of a real chain: in-process (TestClient) and served by uvicorn."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import free_port
from oracle.indexer.runner import Indexer
from tests.indexer.conftest import indexer, life  # noqa: F401  (fixtures)
from tests.ledger.lifecycle import Life


@pytest.fixture
def api_config(life: Life, indexer: Indexer) -> ApiConfig:  # noqa: F811
    return ApiConfig(db_path=indexer.db_path, ipfs_dir=life.store.root, web_dir=None,
                     stream_poll_seconds=0.1)  # fmt: skip


@pytest.fixture
def client(api_config: ApiConfig) -> Iterator[TestClient]:
    with TestClient(create_app(api_config)) as test_client:
        yield test_client


@dataclass
class Served:
    url: str
    server: uvicorn.Server


@contextmanager
def serve(config: ApiConfig) -> Iterator[Served]:
    """uvicorn on a free loopback port in a thread of this process, stopped afterwards."""
    app: FastAPI = create_app(config)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           timeout_graceful_shutdown=2))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield Served(f"http://127.0.0.1:{port}", server)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def served(api_config: ApiConfig) -> Iterator[Served]:
    with serve(api_config) as running:
        yield running
