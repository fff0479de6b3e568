"""The daemon's HTTP server (a thread of the daemon's process): peers and operators.

    GET  /healthz              HealthModel; 200 while the loop turns, 503 otherwise
    GET  /metrics              Prometheus text
    POST /v1/proposals         ProposalModel     → 200 SignatureModel | 409/422 RefusalModel
    POST /v1/root-proposals    RootProposalModel → 200 SignatureModel | 409/422 RefusalModel

409 means "retry later" (this oracle is behind), 422 a refusal (with the reason); a body
that is not a valid proposal gets 400 with the reason.
"""

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pydantic import BaseModel, ValidationError

from oracle.daemon.wire import (
    HealthModel,
    ProposalModel,
    RefusalModel,
    RootProposalModel,
    SignatureModel,
)

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 << 20


@dataclass(frozen=True)
class Handlers:
    """What the server calls; each returns a model to send back."""

    health: Callable[[], HealthModel]
    metrics: Callable[[], bytes]
    review_scores: Callable[[ProposalModel], SignatureModel | RefusalModel]
    review_root: Callable[[RootProposalModel], SignatureModel | RefusalModel]


class _Handler(BaseHTTPRequestHandler):
    server: "OracleHttpServer"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http: " + format, *args)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, model: BaseModel | dict[str, Any]) -> None:
        data = model.model_dump() if isinstance(model, BaseModel) else model
        self._send(status, json.dumps(data).encode(), "application/json")

    def do_GET(self) -> None:
        handlers = self.server.handlers
        if self.path == "/healthz":
            health = handlers.health()
            self._json(200 if health.status == "ok" else 503, health)
        elif self.path == "/metrics":
            self._send(200, handlers.metrics(), "text/plain; version=0.0.4; charset=utf-8")
        else:
            self._json(404, {"detail": f"no such path {self.path}"})

    def do_POST(self) -> None:
        handlers = self.server.handlers
        routes: dict[str, tuple[type[BaseModel], Callable[[Any], BaseModel]]] = {
            "/v1/proposals": (ProposalModel, handlers.review_scores),
            "/v1/root-proposals": (RootProposalModel, handlers.review_root),
        }
        route = routes.get(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        if route is None:
            self.rfile.read(min(length, MAX_BODY_BYTES))
            self._json(404, {"detail": f"no such path {self.path}"})
            return
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            self._json(413, {"detail": f"body over {MAX_BODY_BYTES} bytes"})
            return
        model_type, review = route
        try:
            proposal = model_type.model_validate_json(self.rfile.read(length))
        except ValidationError as exc:
            self._json(400, {"detail": f"not a valid proposal: {exc.errors()[:3]}"})
            return
        try:
            answer = review(proposal)
        except Exception as exc:  # a bug must not kill the server thread; say what happened
            log.exception("reviewing a proposal failed")
            self._json(500, {"detail": f"{type(exc).__name__}: {exc}"})
            return
        if isinstance(answer, SignatureModel):
            self._json(200, answer)
        else:
            assert isinstance(answer, RefusalModel)
            self._json(409 if answer.retry else 422, answer)


class OracleHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, handlers: Handlers) -> None:
        self.handlers = handlers
        super().__init__((host, port), _Handler)
        self.thread = threading.Thread(target=self.serve_forever, name="http", daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
