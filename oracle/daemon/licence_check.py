"""The oracle's licence duty: before a submission is scored, its licence is checked.

`licence_parents` runs where the ledger is at hand (when a job starts) and says where each
parent's licence is read; `licence_result` runs on the scoring thread and gives the
LICENCE_NOT_ALLOWED / LICENCE_INCOMPATIBLE result that replaces scoring, or None. Both read
through oracle/ledger/licences.py, as the audit does. An artifact that cannot be fetched
raises IpfsError, which the scorer already turns into a later try (then UNREACHABLE).
"""

from oracle.daemon.jobs import Job
from oracle.daemon.materials import Materials
from oracle.ipfs.store import ContentStore
from oracle.ledger.licences import LicenceSource, parent_sources, problem_of
from oracle.ledger.model import Ledger
from oracle.scoring.engine import ScoreResult
from oracle.spec import ChallengeSpec


def licence_parents(ledger: Ledger, materials: Materials, job: Job) -> tuple[LicenceSource, ...]:
    """Where each of the job's parents keeps its licence (raises MaterialMissing when a
    parent's spec, which names its default licence, cannot be had now)."""
    return parent_sources(ledger, ledger.submissions[job.submission_id], materials.spec)


def licence_result(
    spec: ChallengeSpec, store: ContentStore, job: Job, parents: tuple[LicenceSource, ...]
) -> ScoreResult | None:
    """The invalid result the job's licence earns, or None when it may be scored."""
    problem = problem_of(store, spec, job.artifact_cid, parents)
    return None if problem is None else ScoreResult(problem.status, problem.reason)
