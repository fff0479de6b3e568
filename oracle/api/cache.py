"""Answers served from memory while the index has not changed: an ASGI layer before FastAPI.

A `GET /v1/...` JSON answer depends only on its path, its query and the index. This layer
keys each 200 answer by those and the index's state (`db.index_state`: its change counter
and the time marks passed), and serves a repeat from memory, `If-None-Match` included,
without routing, validation or SQL. Anything else (errors, streams, /ipfs) passes through,
and so do the two answers that show the indexed block itself (status, audit) the one
that asks the oracles (a submission's scoring), the export and grants (read from the chain).

A profile the indexer rendered ahead of time is answered here too, from its stored JSON
(`profiles.rendered_profile`, the bytes the route would send): with 50,000 profiles most
requests are a first visit, and routing one through FastAPI cost more CPU than the read.
An address that is not one, or a profile still pending, goes on to the route.
"""

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from oracle.api.db import IndexReader, index_state
from oracle.api.problems import ApiProblem
from oracle.api.read.common import checksummed
from oracle.api.read.profiles import rendered_profile
from oracle.api.responses import NO_CACHE, etag_of

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

CACHED_PREFIX = "/v1/"
NOT_CACHED = ("/stream", "/audit", "/v1/status", "/scoring", "/export", "/grants")
PROFILE_PATH = re.compile(r"/v1/profiles/([^/]+)")


class AnswerCacheLayer:
    def __init__(self, app: App, index: IndexReader) -> None:
        self.app = app
        self.index = index

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not path.startswith(CACHED_PREFIX)
            or path.endswith(NOT_CACHED)
        ):
            await self.app(scope, receive, send)
            return
        try:
            state = index_state(self.index.connection())
        except Exception:  # no index yet, or being rebuilt: let the handlers answer
            await self.app(scope, receive, send)
            return
        key = (path, scope.get("query_string", b"").decode("latin-1"), state)
        cached = self.index.cache.get(key)
        if cached is None and (cached := self._rendered(path)) is not None:
            self.index.cache.put(key, cached)
        if cached is not None:
            await _send_cached(scope, send, *cached)
            return
        await self.app(scope, receive, _recording(send, self.index, key))

    def _rendered(self, path: str) -> tuple[bytes, str] | None:
        """(body, etag) of a profile the indexer rendered, when `path` asks for one."""
        found = PROFILE_PATH.fullmatch(path)
        if found is None:
            return None
        try:
            address = checksummed(found[1])
        except ApiProblem:  # the route answers it (422)
            return None
        body = rendered_profile(self.index.connection(), address)
        return None if body is None else (body, etag_of(body))


def _recording(send: Send, index: IndexReader, key: Any) -> Send:
    """Passes the answer on, and keeps a 200 JSON body with its ETag."""
    status = 0
    etag: str | None = None
    parts: list[bytes] = []

    async def recording_send(message: Message) -> None:
        nonlocal status, etag
        if message["type"] == "http.response.start":
            status = int(message["status"])
            headers = {k.lower(): v for k, v in message.get("headers", [])}
            tag = headers.get(b"etag")
            json = headers.get(b"content-type", b"").startswith(b"application/json")
            etag = tag.decode("latin-1") if tag is not None and json else None
        elif message["type"] == "http.response.body":
            parts.append(bytes(message.get("body", b"")))
            if not message.get("more_body", False) and status == 200 and etag is not None:
                index.cache.put(key, (b"".join(parts), etag))
        await send(message)

    return recording_send


async def _send_cached(scope: Scope, send: Send, body: bytes, etag: str) -> None:
    wanted = b""
    for name, value in scope.get("headers", []):
        if name.lower() == b"if-none-match":
            wanted = value
    tags = {t.strip().removeprefix(b"W/") for t in wanted.split(b",")} if wanted else set()
    not_modified = etag.encode() in tags or b"*" in tags
    headers = [(b"etag", etag.encode()), (b"cache-control", NO_CACHE.encode())]
    if not_modified:
        await send({"type": "http.response.start", "status": 304, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
        return
    headers += [(b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]  # fmt: skip
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
