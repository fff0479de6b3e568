"""/v1/status: which deployment the index follows and how far it has read."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from oracle.api.models import Status
from oracle.api.read.status import status
from oracle.api.responses import answer

router = APIRouter(prefix="/v1", tags=["status"])


@router.get("/status", response_model=Status)
async def get_status(request: Request) -> Response:
    return answer(request, lambda db: status(db))
