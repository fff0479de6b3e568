"""Scoring one job into the ScoreItem this oracle signs (the scorer worker's one step).

The artifact is fetched by CID within the spec's size limit and scored by the engine; a
bad file gets its status and reason. A network fault (nothing delivered the content, or
only bytes that do not match the CID) is tried again after `fetch_retry_seconds`,
doubling, and after `fetch_attempts` tries becomes UNREACHABLE / DIGEST_MISMATCH.

The private commitment's salt is HMAC-SHA256(shared oracle key, abi.encode(chainId,
scoreBoard, challengeId, phase, submissionId)) (oracle/scoring/commitment.py), so every
honest oracle signs the same commitment and only they can open it.
"""

import logging
import time
from dataclasses import dataclass

from oracle.daemon.jobs import Job, ScoreRecord
from oracle.daemon.materials import PhaseMaterial
from oracle.daemon.score_report import report_of
from oracle.errors import IpfsError
from oracle.ipfs.store import ContentStore
from oracle.scoring.artifacts import score_artifact, unfetchable
from oracle.scoring.commitment import commitment_salt, private_commitment
from oracle.types import Wad

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoringKeys:
    """What binds a score to this deployment and this oracle group."""

    chain_id: int
    score_board: str
    shared_key: bytes


@dataclass(frozen=True)
class TryAgain:
    """The artifact could not be fetched now; try again at `at` (unix time)."""

    at: float
    error: str


@dataclass(frozen=True)
class Scored:
    record: ScoreRecord
    report: bytes


def score_job(
    job: Job,
    material: PhaseMaterial,
    store: ContentStore,
    keys: ScoringKeys,
    eta: int,
    fetch_attempts: int,
    retry_seconds: float,
) -> Scored | TryAgain:
    """Scores `job` (its `attempts` earlier tries failed to fetch)."""
    started = time.perf_counter()
    try:
        result = score_artifact(
            material.spec, material.holdout, store, job.artifact_cid, material.program
        )
    except IpfsError as exc:
        if job.attempts + 1 < fetch_attempts:
            delay = retry_seconds * 2**job.attempts
            return TryAgain(time.time() + delay, f"fetch try {job.attempts + 1}: {exc}")
        result = unfetchable(job.artifact_cid, exc)
    seconds = time.perf_counter() - started
    salt = commitment_salt(
        keys.shared_key,
        chain_id=keys.chain_id,
        score_board=keys.score_board,
        challenge_id=job.challenge_id,
        phase=job.phase,
        submission_id=job.submission_id,
    )
    private = int(result.private_wad) if result.valid and result.private_wad is not None else 0
    public = int(result.public_wad) if result.valid and result.public_wad is not None else 0
    report = report_of(job.challenge_id, job.phase, job.submission_id, job.artifact_cid, result)
    record = ScoreRecord(
        status=int(result.status),
        reason=report.reason,
        public_wad=public,
        private_wad=private,
        salt=salt,
        commitment=private_commitment(job.submission_id, Wad(private), salt),
        report_digest=report.digest,
        seconds=seconds,
    )
    return Scored(record, report.to_bytes())
