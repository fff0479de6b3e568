"""Asking the oracles (COOP_ORACLE_URLS) why a revealed submission has no score yet.

Each oracle's /healthz lists the jobs it holds `waiting` (a failure that is not the
submitter's, tried again with backoff: docs/oracle.md). The answer is live, never cached;
an oracle that does not answer within ORACLE_TIMEOUT_SECONDS is listed with the error.
"""

import asyncio

import httpx
from pydantic import ValidationError

from oracle.api.models import OracleScoring
from oracle.health import HealthModel

ORACLE_TIMEOUT_SECONDS = 2.0


async def scoring_views(oracle_urls: tuple[str, ...], submission_id: int) -> list[OracleScoring]:
    """What each oracle says of `submission_id`, in the order of `oracle_urls`."""
    async with httpx.AsyncClient(timeout=ORACLE_TIMEOUT_SECONDS) as client:
        return list(await asyncio.gather(*(_ask(client, u, submission_id) for u in oracle_urls)))


async def _ask(client: httpx.AsyncClient, url: str, submission_id: int) -> OracleScoring:
    try:
        answer = await client.get(url.rstrip("/") + "/healthz")
        health = HealthModel.model_validate_json(answer.content)
    except (httpx.HTTPError, ValidationError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:300]
        return OracleScoring(oracle=url, answered=False, waiting=False, error=error)
    for job in health.waiting:
        if job.submission_id == submission_id:
            return OracleScoring(
                oracle=url,
                answered=True,
                waiting=True,
                reason=job.reason,
                tries=job.tries,
                next_try_in_seconds=job.next_try_in_seconds,
            )
    return OracleScoring(oracle=url, answered=True, waiting=False)
