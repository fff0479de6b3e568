"""A submission's receipt: the report its score's `reportDigest` names, read from the node's
block store (oracle/scoring/score_report.py, versions 1 and 2), and each oracle's own record
of its run, asked live of COOP_ORACLE_URLS (`GET /v1/runs/{id}` of the oracle)."""

import asyncio
import json

import httpx

from oracle.api.models import OracleRun, ScoreRecord, SubmissionReceipt
from oracle.errors import IpfsError
from oracle.ipfs.store import ContentStore
from oracle.scoring.score_report import MAX_REPORT_BYTES, read_report, score_report_cid

ORACLE_TIMEOUT_SECONDS = 2.0


async def oracle_runs(oracle_urls: tuple[str, ...], submission_id: int) -> list[OracleRun]:
    async with httpx.AsyncClient(timeout=ORACLE_TIMEOUT_SECONDS) as client:
        return list(await asyncio.gather(*(_ask(client, u, submission_id) for u in oracle_urls)))


async def _ask(client: httpx.AsyncClient, url: str, submission_id: int) -> OracleRun:
    try:
        answer = await client.get(f"{url.rstrip('/')}/v1/runs/{submission_id}")
        body = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        return OracleRun(oracle=url, answered=False, error=f"{type(exc).__name__}: {exc}"[:300])
    if answer.status_code != 200 or not isinstance(body, dict):
        detail = body.get("detail") if isinstance(body, dict) else None
        return OracleRun(oracle=url, answered=True, error=str(detail or answer.status_code))
    return OracleRun(oracle=url, answered=True, cid=str(body.get("cid")), record=body.get("record"))


def submission_receipt(
    store: ContentStore, submission_id: int, score: ScoreRecord | None, runs: list[OracleRun]
) -> SubmissionReceipt:
    if score is None:
        return SubmissionReceipt(submission_id=submission_id, report_cid=None,
                                 report_available=False, status_name=None, reason=None,
                                 receipt=None, runs=runs)  # fmt: skip
    cid = score_report_cid(bytes.fromhex(score.report_digest.removeprefix("0x")))
    try:
        report = read_report(store.cat(cid, max_bytes=MAX_REPORT_BYTES))
    except (IpfsError, ValueError, KeyError, json.JSONDecodeError):
        return SubmissionReceipt(submission_id=submission_id, report_cid=cid,
                                 report_available=False, status_name=score.status_name,
                                 reason=score.reason, receipt=None, runs=runs)  # fmt: skip
    receipt = None if report.receipt is None else report.receipt.as_json()
    return SubmissionReceipt(submission_id=submission_id, report_cid=cid, report_available=True,
                             status_name=report.status.name, reason=report.reason,
                             receipt=receipt, runs=runs)  # fmt: skip
