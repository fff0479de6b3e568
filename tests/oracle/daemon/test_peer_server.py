"""The oracle's peer HTTP server against hostile clients, spoken to over raw sockets."""

import socket
from collections.abc import Iterator

import pytest

from oracle.daemon import server as server_module
from oracle.daemon.server import Handlers, OracleHttpServer
from oracle.daemon.wire import RefusalModel
from oracle.health import HealthModel

SECRET = "s3cr3t-marker"


def _handlers() -> Handlers:
    return Handlers(
        health=lambda: HealthModel(
            status="ok", oracle="", last_block=0, lag_blocks=0, jobs={}, seconds_since_loop=0
        ),
        metrics=lambda: b"",
        review_scores=lambda m: RefusalModel(retry=True, reason="later"),
        review_root=lambda m: RefusalModel(retry=True, reason="later"),
        run_record=lambda sid: None,
    )


@pytest.fixture
def server() -> Iterator[OracleHttpServer]:
    s = OracleHttpServer("127.0.0.1", 0, _handlers())
    s.start()
    yield s
    s.stop()


def _exchange(port: int, raw: bytes) -> bytes:
    """Sends `raw`, then reads until the server closes or answers one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(raw)
        data = b""
        while b"\r\n\r\n" not in data or len(data.split(b"\r\n\r\n", 1)[1]) < _length(data):
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
        return data


def _length(data: bytes) -> int:
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def _status(response: bytes) -> int:
    return int(response.split(b" ", 2)[1])


def test_a_negative_content_length_is_refused_without_reading_the_body(
    server: OracleHttpServer,
) -> None:
    response = _exchange(
        server.port,
        b"POST /v1/proposals HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n" + SECRET.encode(),
    )
    assert _status(response) == 400
    assert SECRET.encode() not in response


def test_a_post_without_content_length_gets_411(server: OracleHttpServer) -> None:
    response = _exchange(
        server.port,
        b"POST /v1/proposals HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n0\r\n\r\n",
    )
    assert _status(response) == 411
    assert b"Content-Length" in response


def test_an_oversized_body_is_refused_before_it_is_sent(server: OracleHttpServer) -> None:
    declared = server_module.MAX_BODY_BYTES + 1
    response = _exchange(
        server.port,
        f"POST /v1/proposals HTTP/1.1\r\nHost: x\r\nContent-Length: {declared}\r\n\r\n".encode(),
    )
    assert _status(response) == 413


def test_no_answer_repeats_the_request(server: OracleHttpServer) -> None:
    path = f"/{SECRET}".encode()
    not_found = _exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert _status(not_found) == 404 and SECRET.encode() not in not_found
    body = f'{{"cut_block": "{SECRET}"}}'.encode()
    invalid = _exchange(
        server.port,
        b"POST /v1/proposals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body,
    )
    assert _status(invalid) == 400
    assert b"not a valid proposal" in invalid and b"cut_block" in invalid
    assert SECRET.encode() not in invalid


def test_a_silent_connection_is_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "IDLE_TIMEOUT_SECONDS", 0.5)
    s = OracleHttpServer("127.0.0.1", 0, _handlers())
    s.start()
    try:
        with socket.create_connection(("127.0.0.1", s.port), timeout=30) as conn:
            conn.sendall(b"POST /v1/proposals HTTP/1.1\r\nHost: x\r\n")  # a head never finished
            assert conn.recv(1024) == b""  # closed by the server, not by this client's timeout
    finally:
        s.stop()


def test_requests_past_the_concurrency_bound_get_503(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_module, "MAX_CONCURRENT", 2)
    s = OracleHttpServer("127.0.0.1", 0, _handlers())
    s.start()
    held = [socket.create_connection(("127.0.0.1", s.port), timeout=30) for _ in range(2)]
    try:
        response = _exchange(s.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _status(response) == 503
    finally:
        for conn in held:
            conn.close()
        s.stop()
