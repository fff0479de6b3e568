"""Errors as RFC 9457 problem details (application/problem+json), mapped in one place.

Every error has a stable `reason` code next to the human `detail`. Handlers raise
`ApiProblem`; library errors (CoopError subclasses) and FastAPI's own validation and
routing errors are translated here, so no user input reaches a bare 500.
"""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from oracle.api.models import Problem
from oracle.errors import (
    CidMismatch,
    ConfigError,
    ContentTooLarge,
    ContentUnreachable,
    CoopError,
    InvalidCid,
    MalformedDag,
    NotAFile,
)
from oracle.text import safe_reason

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"


class ApiProblem(Exception):
    """An answer other than success: status code, reason code, and what to do."""

    def __init__(self, status: int, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.reason = reason
        self.detail = detail


def not_found(reason: str, detail: str) -> ApiProblem:
    return ApiProblem(404, reason, detail)


def invalid(reason: str, detail: str) -> ApiProblem:
    return ApiProblem(422, reason, detail)


def problem_response(
    request: Request, status: int, reason: str, detail: str,
    errors: list[dict[str, Any]] | None = None,
) -> Response:  # fmt: skip
    problem = Problem(
        type=f"/problems/{reason}",
        title=reason.replace("_", " ").capitalize(),
        status=status,
        detail=safe_reason(detail),
        reason=reason,
        instance=request.url.path,
        errors=errors,
    )
    body = problem.model_dump_json(exclude_none=True)
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


_LIBRARY_ERRORS: tuple[tuple[type[CoopError], int, str], ...] = (
    (InvalidCid, 422, "invalid_cid"),
    (NotAFile, 422, "not_a_file"),
    (ContentTooLarge, 413, "too_large"),
    (ContentUnreachable, 404, "unknown_cid"),
    (CidMismatch, 502, "corrupt_block"),
    (MalformedDag, 422, "malformed_dag"),  # the content's own fault, not a gateway's
    (ConfigError, 503, "index_unavailable"),
)


def install(app: FastAPI) -> None:
    """Registers the handlers that turn every error into a problem response."""

    @app.exception_handler(ApiProblem)
    async def _problem(request: Request, exc: ApiProblem) -> Response:
        return problem_response(request, exc.status, exc.reason, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        return problem_response(request, 422, "invalid_parameter", detail, errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        reason = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        detail = str(exc.detail)
        if exc.status_code == 404:
            detail = f"nothing at {request.url.path}; the API lives under /v1 (see /docs)"
        return problem_response(request, exc.status_code, reason, detail)

    @app.exception_handler(CoopError)
    async def _library(request: Request, exc: CoopError) -> Response:
        for kind, status, reason in _LIBRARY_ERRORS:
            if isinstance(exc, kind):
                return problem_response(request, status, reason, str(exc))
        return problem_response(request, 400, "bad_request", str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error serving %s", request.url.path)
        return problem_response(
            request, 500, "internal_error", "the server failed; the error is in its log"
        )
