"""/v1/submissions/{id}: one submission with its score, forks, reviews and rewards;
/v1/submissions/{id}/scoring: what holds its score back, asked live of the oracles; and
/v1/submissions/{id}/receipt: its score's report (a code run's receipt) and the oracles' runs."""

import sqlite3

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from oracle.api.db import IndexReader
from oracle.api.deps import SubmissionId, api_config, block_store
from oracle.api.models import ScoringProgress, Submission, SubmissionReceipt
from oracle.api.oracles import scoring_views
from oracle.api.read import submissions
from oracle.api.read.licences import licences
from oracle.api.read.sources import source_link
from oracle.api.receipts import oracle_runs, submission_receipt
from oracle.api.responses import answer

router = APIRouter(prefix="/v1/submissions", tags=["submissions"])


@router.get("/{submission_id}", response_model=Submission)
async def get_submission(request: Request, submission_id: SubmissionId) -> Response:
    """Status with its reason, scores, parents and children, reviews, artifact CID, its
    licence and the git source its artifact names (coop-source.json), if any."""
    store = block_store(request)

    def with_source(db: sqlite3.Connection) -> Submission:
        found = submissions.submission(db, submission_id)
        return found.model_copy(update={
            "source": source_link(store, found.artifact_cid),
            "licence": licences(db, store, [submission_id]).get(submission_id),
        })  # fmt: skip

    return answer(request, with_source)


@router.get("/{submission_id}/scoring", response_model=ScoringProgress)
async def get_scoring(request: Request, submission_id: SubmissionId) -> ScoringProgress:
    """Whether an unscored submission waits at an oracle, and why (a fault that is not the
    submitter's: it is tried again with backoff). Asks the oracles in COOP_ORACLE_URLS."""
    reader: IndexReader = request.app.state.reader
    state = submissions.submission(reader.connection(), submission_id).state
    urls = api_config(request).oracle_urls
    views = [] if state == "scored" else await scoring_views(urls, submission_id)
    return ScoringProgress(
        submission_id=submission_id,
        state=state,
        waiting=any(v.waiting for v in views),
        oracles=views,
    )


@router.get("/{submission_id}/receipt", response_model=SubmissionReceipt)
async def get_receipt(request: Request, submission_id: SubmissionId) -> SubmissionReceipt:
    """The report its score's `reportDigest` names: the reason in words and, for a code
    submission, the receipt (code, runtime, inputs, limits, seed, how it ended, predictions
    CID); and each oracle's own record of its run (resources, log tail where public),
    asked of the oracles in COOP_ORACLE_URLS."""
    reader: IndexReader = request.app.state.reader
    score = submissions.submission(reader.connection(), submission_id).score
    runs = await oracle_runs(api_config(request).oracle_urls, submission_id)
    return await run_in_threadpool(
        submission_receipt, block_store(request), submission_id, score, runs
    )
