"""Scoring one job into the ScoreItem this oracle signs (the scorer worker's one step).

The artifact's licence is checked first (oracle/daemon/licence_check.py): one the spec does
not allow, or a fork's that its parents' licences do not permit, is the result. Else the
artifact is fetched by CID within the spec's size limit and scored by the engine; a
bad file gets its status and reason. When the phase takes code and the artifact is a
folder with main.py (any artifact, for a phase that takes only code), the folder is run
in the sandbox (`score_code`, seeded by `code_seed`) and what it wrote is scored; its
receipt goes into the report, and the run's outcome is kept for comparing with the other
oracles' runs (oracle/daemon/reproduce.py). A network fault (nothing delivered the content, or
only bytes that do not match the CID) is tried again after `fetch_retry_seconds`,
doubling, and after `fetch_attempts` tries becomes UNREACHABLE / DIGEST_MISMATCH.

The private commitment's salt is HMAC-SHA256(shared oracle key, abi.encode(chainId,
scoreBoard, challengeId, phase, submissionId)) (oracle/scoring/commitment.py), so every
honest oracle signs the same commitment and only they can open it.
"""

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from oracle.coderun.run import code_seed
from oracle.coderun.score import CodeScore, score_code
from oracle.daemon.jobs import Job, ScoreRecord
from oracle.daemon.licence_check import licence_result
from oracle.daemon.materials import PhaseMaterial
from oracle.errors import IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.licences import LicenceSource
from oracle.scoring.artifacts import is_code, score_artifact, unfetchable
from oracle.scoring.commitment import commitment_salt, private_commitment
from oracle.scoring.engine import ScoreResult
from oracle.scoring.score_report import ScoreReport, report_of
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
    run: CodeScore | None = None  # a code submission's run on this oracle


def score_job(
    job: Job,
    material: PhaseMaterial,
    store: ContentStore,
    keys: ScoringKeys,
    fetch_attempts: int,
    retry_seconds: float,
    runtime_dir: Path,
    parents: tuple[LicenceSource, ...] = (),
) -> Scored | TryAgain:
    """Scores `job` (its `attempts` earlier tries failed to fetch); `parents` says where its
    parents' licences are read."""
    started = time.perf_counter()
    spec, cid = material.spec, job.artifact_cid
    run = None
    try:
        licensed = licence_result(spec, store, job, parents)
        if licensed is not None:
            result = licensed
        elif is_code(spec, store, cid):
            seed = code_seed(keys.chain_id, job.challenge_id, job.phase, job.submission_id)
            run = score_code(
                spec,
                material.holdout,
                store,
                cid,
                runtime_dir,
                seed,
                material.program,
                hidden_features=material.test_features,
            )
            result = run.result
        else:
            result = score_artifact(spec, material.holdout, store, cid, material.program)
    except IpfsError as exc:
        if job.attempts + 1 < fetch_attempts:
            delay = retry_seconds * 2**job.attempts
            return TryAgain(time.time() + delay, f"fetch try {job.attempts + 1}: {exc}")
        result, run = unfetchable(cid, exc), None
    receipt = None if run is None else run.receipt
    report = report_of(job.challenge_id, job.phase, job.submission_id, cid, result, receipt)
    seconds = time.perf_counter() - started
    outcome = None if run is None else run.outcome
    return Scored(score_record(keys, report, result, seconds, outcome), report.to_bytes(), run)


def score_record(
    keys: ScoringKeys,
    report: ScoreReport,
    result: ScoreResult,
    seconds: float,
    outcome: str | None,
) -> ScoreRecord:
    """The record this oracle stores and signs for `report` (its salt and commitment)."""
    salt = commitment_salt(
        keys.shared_key,
        chain_id=keys.chain_id,
        score_board=keys.score_board,
        challenge_id=report.challenge_id,
        phase=report.phase,
        submission_id=report.submission_id,
    )
    private = int(result.private_wad) if result.valid and result.private_wad is not None else 0
    public = int(result.public_wad) if result.valid and result.public_wad is not None else 0
    return ScoreRecord(
        status=int(result.status),
        reason=report.reason,
        public_wad=public,
        private_wad=private,
        salt=salt,
        commitment=private_commitment(report.submission_id, Wad(private), salt),
        report_digest=report.digest,
        seconds=seconds,
        receipt=report.receipt,
        run_outcome=outcome,
    )
