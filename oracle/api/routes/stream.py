"""Live leaderboard: server-sent events whenever the index changes a challenge's public board."""

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from oracle.api.config import ApiConfig
from oracle.api.db import IndexReader
from oracle.api.deps import ChallengeId, api_config
from oracle.api.pagination import PageRequest
from oracle.api.read.boards import public_board
from oracle.api.read.common import meta

router = APIRouter(prefix="/v1/challenges", tags=["challenges"])


class _Board:
    """Reads the board only when the index's change counter moved since the last read."""

    def __init__(self, reader: IndexReader, challenge_id: int, limit: int) -> None:
        self.reader = reader
        self.challenge_id = challenge_id
        self.page = PageRequest(limit, None)
        self.version: str | None = None
        self.body = ""

    def refresh(self) -> bool:
        """True when the board's JSON changed."""
        db = self.reader.connection()
        version = meta(db, "version") or "0"
        if version == self.version:
            return False
        self.version = version
        body = public_board(db, self.challenge_id, self.page).model_dump_json()
        changed, self.body = body != self.body, body
        return changed


@router.get("/{challenge_id}/leaderboard/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}}}})  # fmt: skip
async def leaderboard_stream(
    request: Request, challenge_id: ChallengeId,
    limit: Annotated[int, Query(ge=1, le=500, description="Entries per update.")] = 20,
) -> StreamingResponse:  # fmt: skip
    """`event: leaderboard` with the public board on connect and after every change."""
    config: ApiConfig = api_config(request)
    board = _Board(request.app.state.reader, challenge_id, limit)
    await run_in_threadpool(board.refresh)  # an unknown challenge is a 404 here, not mid-stream
    return StreamingResponse(
        _events(request, board, config),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(request: Request, board: _Board, config: ApiConfig) -> AsyncIterator[str]:
    yield _event(board)
    quiet_since = time.monotonic()
    while not await request.is_disconnected():
        await asyncio.sleep(config.stream_poll_seconds)
        if await run_in_threadpool(board.refresh):
            yield _event(board)
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > config.keepalive_seconds:
            yield ": keep-alive\n\n"
            quiet_since = time.monotonic()


def _event(board: _Board) -> str:
    return f"event: leaderboard\nid: {board.version}\ndata: {board.body}\n\n"
