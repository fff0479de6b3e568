"""/v1/submissions/{id}: one submission with its score, forks, reviews and rewards."""

from fastapi import APIRouter, Request
from fastapi.responses import Response

from oracle.api.deps import SubmissionId
from oracle.api.models import Submission
from oracle.api.read import submissions
from oracle.api.responses import answer

router = APIRouter(prefix="/v1/submissions", tags=["submissions"])


@router.get("/{submission_id}", response_model=Submission)
async def get_submission(request: Request, submission_id: SubmissionId) -> Response:
    """Status with its reason, scores, parents and children, reviews, artifact CID."""
    return answer(request, lambda db: submissions.submission(db, submission_id))
