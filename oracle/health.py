"""What an oracle daemon answers at `GET /healthz`: served by the daemon (oracle/daemon/server.py)
and read by the API, which asks the oracles why a submission waits (oracle/api/oracles.py)."""

from pydantic import BaseModel


class WaitingModel(BaseModel):
    """A submission this oracle cannot score now, for a reason that is not its submitter's."""

    submission_id: int
    challenge_id: int
    reason: str
    tries: int
    next_try_in_seconds: float


class HealthModel(BaseModel):
    """`GET /healthz`: 200 while the loop turns, 503 when it is stuck or stopping."""

    status: str  # "ok" | "starting" | "stopping" | "stalled"
    oracle: str
    last_block: int
    lag_blocks: int
    jobs: dict[str, int]
    seconds_since_loop: float
    waiting: list[WaitingModel] = []  # the first WAITING_SHOWN, oldest reveal first
