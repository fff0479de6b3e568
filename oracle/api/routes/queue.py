"""/v1/queue: every revealed submission still waiting for its score, with a place and a wait."""

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oracle.api.models import ScoringQueue
from oracle.api.read.queue import queue
from oracle.api.responses import answer

router = APIRouter(prefix="/v1", tags=["queue"])


@router.get("/queue", response_model=ScoringQueue)
async def get_queue(
    request: Request,
    challenge_id: int | None = Query(None, ge=0, description="Only this challenge's places."),
) -> Response:
    """Pending submissions in the order the oracles take them (oldest reveal first, across
    challenges), each with its position, how long it has waited and an estimate of the
    wait left from the recent scoring times in the index (docs/api.md)."""
    return answer(request, lambda db: queue(db, challenge_id))
