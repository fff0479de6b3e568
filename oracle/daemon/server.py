"""The daemon's HTTP server (a thread of the daemon's process): peers and operators.

    GET  /healthz              HealthModel; 200 while the loop turns, 503 otherwise
    GET  /metrics              Prometheus text
    GET  /v1/runs/{id}         {cid, record}: this oracle's record of its run of a code
                               submission (oracle/coderun/record.py); 404 when it ran none
    POST /v1/proposals         ProposalModel     → 200 SignatureModel | 409/422 RefusalModel
    POST /v1/root-proposals    RootProposalModel → 200 SignatureModel | 409/422 RefusalModel

409 means "retry later" (this oracle is behind), 422 a refusal (with the reason); a body
that is not a valid proposal gets 400 with the reason. A POST must say its size: no
`Content-Length` gets 411, one over MAX_BODY_BYTES 413, a malformed or negative one 400 from
the HTTP parser, each before any of the body is read. No answer repeats what the client sent.

Served by uvicorn and starlette, as the API is, with bounds a peer cannot stretch: at most
MAX_CONCURRENT connections and requests at once (uvicorn answers 503 past that), a connection
that has not sent a whole request head within IDLE_TIMEOUT_SECONDS is closed, and a body that
has not arrived within BODY_TIMEOUT_SECONDS gets 408.
"""

import asyncio
import json
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import uvicorn
from pydantic import BaseModel, ValidationError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from uvicorn.protocols.http.h11_impl import H11Protocol

from oracle.daemon.wire import (
    ProposalModel,
    RefusalModel,
    RootProposalModel,
    SignatureModel,
)
from oracle.health import HealthModel
from oracle.ipfs.importer import import_bytes

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 << 20
MAX_CONCURRENT = 16
IDLE_TIMEOUT_SECONDS = 10.0
BODY_TIMEOUT_SECONDS = 10.0


@dataclass(frozen=True)
class Handlers:
    """What the server calls; each returns a model to send back."""

    health: Callable[[], HealthModel]
    metrics: Callable[[], bytes]
    review_scores: Callable[[ProposalModel], SignatureModel | RefusalModel]
    review_root: Callable[[RootProposalModel], SignatureModel | RefusalModel]
    run_record: Callable[[int], bytes | None]


class _BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline for each request head: uvicorn itself waits
    for a silent new connection (or a slowly sent head) without end."""

    _head_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_deadline()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm_head_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        super().connection_lost(exc)

    def _arm_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
        self._head_deadline = self.loop.call_later(IDLE_TIMEOUT_SECONDS, self._head_overdue)

    def _head_overdue(self) -> None:
        # A request whose head arrived has a cycle still running; anything else is a
        # connection that sent no (whole) request head in time.
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()


def _json(status: int, model: BaseModel | dict[str, Any]) -> JSONResponse:
    return JSONResponse(model.model_dump() if isinstance(model, BaseModel) else model, status)


def _create_app(handlers: Handlers) -> Starlette:
    async def healthz(_: Request) -> Response:
        health = await run_in_threadpool(handlers.health)
        return _json(200 if health.status == "ok" else 503, health)

    async def metrics(_: Request) -> Response:
        body = await run_in_threadpool(handlers.metrics)
        return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

    async def run(request: Request) -> Response:
        submission_id = int(request.path_params["submission_id"])
        record = await run_in_threadpool(handlers.run_record, submission_id)
        if record is None:
            return _json(404, {"detail": f"this oracle has no run of submission {submission_id}"})
        cid = str(import_bytes(record).cid)
        return _json(200, {"cid": cid, "record": json.loads(record)})

    def review_route(
        model_type: type[BaseModel], review: Callable[[Any], SignatureModel | RefusalModel]
    ) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            declared = request.headers.get("content-length")
            if declared is None:
                return _json(411, {"detail": "a proposal needs a Content-Length header"})
            # The HTTP parser has checked it is a number (else 400 before the app is called).
            if int(declared) > MAX_BODY_BYTES:
                return _json(413, {"detail": f"body over {MAX_BODY_BYTES} bytes"})
            try:
                body = await asyncio.wait_for(request.body(), BODY_TIMEOUT_SECONDS)
            except TimeoutError:
                return _json(408, {"detail": f"body not sent within {BODY_TIMEOUT_SECONDS} s"})
            try:
                proposal = model_type.model_validate_json(body)
            except ValidationError as exc:
                problems = exc.errors(include_url=False, include_input=False, include_context=False)
                reasons = "; ".join(
                    f"{'.'.join(str(part) for part in p['loc']) or 'body'}: {p['msg']}"
                    for p in problems[:3]
                )
                return _json(400, {"detail": f"not a valid proposal: {reasons}"})
            try:
                answer = await run_in_threadpool(review, proposal)
            except Exception as exc:  # a bug must not kill the server; say what happened
                log.exception("reviewing a proposal failed")
                return _json(500, {"detail": f"reviewing failed: {type(exc).__name__}"})
            if isinstance(answer, SignatureModel):
                return _json(200, answer)
            return _json(409 if answer.retry else 422, answer)

        return endpoint

    async def not_found(_: Request, __: Exception) -> Response:
        return _json(404, {"detail": "no such path"})

    async def wrong_method(_: Request, __: Exception) -> Response:
        return _json(405, {"detail": "method not allowed"})

    return Starlette(
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/metrics", metrics, methods=["GET"]),
            Route("/v1/runs/{submission_id:int}", run, methods=["GET"]),
            Route(
                "/v1/proposals",
                review_route(ProposalModel, handlers.review_scores),
                methods=["POST"],
            ),
            Route(
                "/v1/root-proposals",
                review_route(RootProposalModel, handlers.review_root),
                methods=["POST"],
            ),
        ],
        exception_handlers={404: not_found, 405: wrong_method},
    )


class OracleHttpServer:
    """The peer API on uvicorn in a thread of its own; the socket is bound at construction,
    so `port` is known (and taken) before `start`."""

    def __init__(self, host: str, port: int, handlers: Handlers) -> None:
        self.handlers = handlers
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._socket = socket.socket(family, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self._socket.listen(MAX_CONCURRENT)
        config = uvicorn.Config(
            _create_app(handlers),
            http=_BoundedH11Protocol,
            limit_concurrency=MAX_CONCURRENT,
            timeout_keep_alive=int(IDLE_TIMEOUT_SECONDS),
            h11_max_incomplete_event_size=64 << 10,
            log_config=None,
            access_log=False,
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._serve, name="http", daemon=True)

    def _serve(self) -> None:
        self._server.run(sockets=[self._socket])

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self._server.should_exit = True
            self.thread.join()
        self._socket.close()
