"""Fixtures for the IPFS tests: deterministic content, a sample tree, a faulty gateway.

The faulty gateway is a tiny HTTP server on 127.0.0.1 that speaks the trustless-gateway
block protocol and can inject faults we cannot get from a real node on demand: tampered
bytes, 5xx answers, slow answers, oversized bodies.
"""

import contextlib
import os
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from oracle.ipfs.cids import cid_key, parse_cid

KiB = 1024
MiB = 1024 * KiB
SIZES = {
    "0B": 0,
    "1B": 1,
    "256KiB": 256 * KiB,
    "256KiB+1": 256 * KiB + 1,
    "10MiB": 10 * MiB,
    "50MiB": 50 * MiB,
}


def content(size: int, seed: int = 7) -> bytes:
    """Deterministic pseudo-random bytes (the same on every run and machine)."""
    return random.Random(seed * 1_000_003 + size).randbytes(size)


@pytest.fixture(scope="session")
def make_content() -> Callable[..., bytes]:
    """The `content(size, seed=7)` generator, for tests that need bytes in memory."""
    return content


@pytest.fixture(scope="session")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One file per size in SIZES, written once per test session."""
    folder = tmp_path_factory.mktemp("sizes")
    files = {}
    for label, size in SIZES.items():
        path = folder / f"{label}.bin"
        path.write_bytes(content(size))
        files[label] = path
    return files


@pytest.fixture(scope="session")
def sample_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nested dirs, an empty file, a 300 KiB file, an empty dir, a symlink, a hidden file."""
    root = tmp_path_factory.mktemp("tree") / "dataset"
    (root / "train" / "shards").mkdir(parents=True)
    (root / "empty-dir").mkdir()
    (root / "README.md").write_text("# sample\n")
    (root / "train" / "empty.csv").write_bytes(b"")
    (root / "train" / "shards" / "part-0.bin").write_bytes(content(300 * KiB, seed=3))
    (root / "train" / "labels.csv").write_text("id,y\n1,0.5\n")
    (root / "Zeta.txt").write_text("upper case sorts first\n")
    (root / "é-unicode.txt").write_text("utf-8 name\n")
    (root / ".hidden").write_text("skipped like ipfs add -r without -H\n")
    os.symlink("README.md", root / "readme-link")
    return root


@dataclass
class FaultyGateway:
    """State of the fault-injection gateway; tests change it between requests."""

    url: str = ""
    blocks: dict[str, bytes] = field(default_factory=dict)
    tampered: set[str] = field(default_factory=set)
    fail_next: int = 0  # answer this many requests with `fail_status` first
    fail_status: int = 503
    delay: float = 0.0
    oversize: bool = False
    requests: list[str] = field(default_factory=list)

    def serve(self, blocks: Iterable[tuple[object, bytes]]) -> None:
        for cid, block in blocks:
            self.blocks[cid_key(parse_cid(str(cid)))] = block

    def answer(self, path: str) -> tuple[int, bytes]:
        self.requests.append(path)
        if self.delay:
            time.sleep(self.delay)
        if self.fail_next > 0:
            self.fail_next -= 1
            return self.fail_status, b"injected failure"
        key = path.split("/ipfs/", 1)[-1].split("?", 1)[0]
        if self.oversize:
            return 200, b"\0" * (2 * MiB + 1)
        if key not in self.blocks:
            return 404, b"not found"
        block = self.blocks[key]
        if key in self.tampered:
            block = bytes([block[0] ^ 0xFF]) + block[1:] if block else b"\xff"
        return 200, block


def _handler(state: FaultyGateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = state.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/vnd.ipld.raw")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            # The client may hang up on purpose (size limit, timeout).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            status, body = state.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def faulty_gateway() -> Iterator[FaultyGateway]:
    """A gateway on a free 127.0.0.1 port that we can make lie, fail or stall."""
    state = FaultyGateway()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record backoff sleeps instead of waiting them out."""
    waits: list[float] = []
    monkeypatch.setattr("oracle.ipfs.transport.backoff_sleep", waits.append)
    return waits
