"""Live leaderboard: server-sent events when the index changes a challenge's public board
(`leaderboard`, with the board) or anything else (`index`, so a page can refresh the rest)."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from oracle.api.config import ApiConfig
from oracle.api.db import IndexReader
from oracle.api.deps import ChallengeId, OptionalPhase, api_config, block_store
from oracle.api.pagination import PageRequest
from oracle.api.read.boards import public_board
from oracle.api.read.common import meta
from oracle.api.read.licences import board_with_licences
from oracle.ipfs.store import ContentStore

router = APIRouter(prefix="/v1/challenges", tags=["challenges"])


class _Board:
    """Reads the board only when the index's change counter moved since the last read."""

    def __init__(self, reader: IndexReader, store: ContentStore, challenge_id: int,
                 phase: int | None, limit: int) -> None:  # fmt: skip
        self.reader = reader
        self.store = store
        self.challenge_id = challenge_id
        self.phase = phase
        self.page = PageRequest(limit, None)
        self.version: str | None = None
        self.body = ""

    def refresh(self) -> str | None:
        """What changed since the last read: "leaderboard" (the board's JSON), "index"
        (something else in the index, e.g. a submission or a review), or None."""
        db = self.reader.connection()
        version = meta(db, "version") or "0"
        if version == self.version:
            return None
        self.version = version
        found = public_board(db, self.challenge_id, self.phase, self.page)
        body = board_with_licences(db, self.store, found).model_dump_json()
        changed, self.body = body != self.body, body
        return "leaderboard" if changed else "index"


@router.get("/{challenge_id}/leaderboard/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})  # fmt: skip
async def leaderboard_stream(
    request: Request, challenge_id: ChallengeId,
    limit: Annotated[int, Query(ge=1, le=500, description="Entries per update.")] = 20,
    phase: OptionalPhase = None,
) -> StreamingResponse:  # fmt: skip
    """`event: leaderboard` with a phase's public board (latest by default) on connect and
    after every change."""
    config: ApiConfig = api_config(request)
    board = _Board(request.app.state.reader, block_store(request), challenge_id, phase, limit)
    await run_in_threadpool(board.refresh)  # an unknown challenge is a 404 here, not mid-stream
    return StreamingResponse(
        _events(request, board, config),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(request: Request, board: _Board, config: ApiConfig) -> AsyncIterator[str]:
    yield _event(board, "leaderboard")
    quiet_since = time.monotonic()
    while not await request.is_disconnected():
        await asyncio.sleep(config.stream_poll_seconds)
        changed = await run_in_threadpool(board.refresh)
        if changed is not None:
            yield _event(board, changed)
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > config.keepalive_seconds:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()


def _event(board: _Board, name: str) -> str:
    data = board.body if name == "leaderboard" else json.dumps({"version": board.version})
    return f"event: {name}\nid: {board.version}\ndata: {data}\n\n"
