"""JSON answers with a strong ETag: `If-None-Match` with it gets a 304 (see also cache.py)."""

import hashlib
import sqlite3
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

from oracle.api.db import IndexReader

NO_CACHE = "no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def matches(request: Request, etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (weak tags compare equal too)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return "*" in tags or etag in tags


def answer(request: Request, build: Callable[[sqlite3.Connection], BaseModel]) -> Response:
    """The JSON of `build(db)` on this thread's connection to the index, with its ETag."""
    return answer_json(request, lambda db: build(db).model_dump_json().encode())


def answer_json(request: Request, body_of: Callable[[sqlite3.Connection], bytes]) -> Response:
    """`body_of(db)` (JSON bytes) with its ETag, or 304 when the request already has it.

    Handlers calling these are `async def`: the index's queries are indexed and take about
    a millisecond, less than a hop to the thread pool and back costs under load."""
    reader: IndexReader = request.app.state.reader
    body = body_of(reader.connection())
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": NO_CACHE}
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)
