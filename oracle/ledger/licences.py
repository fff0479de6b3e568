"""Each revealed submission's licence, and whether it breaks the rules of its phase's spec.

A submission's licence is the one its artifact's manifest names, else its challenge's
default (the spec of the phase it was committed in). The oracles check it before scoring
(oracle/daemon/licence_check.py), the rewards rule reads it for prize eligibility, and the
audit re-derives both, all through these functions. Reading an artifact may raise IpfsError
(the content cannot be had now): callers try again later or report "could not check".
"""

from collections.abc import Callable
from dataclasses import dataclass

from oracle.artifact_manifest import DeclaredLicence, artifact_licence
from oracle.errors import CoopError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Ledger, Phase, Submission
from oracle.licences.terms import LicenceProblem, licence_problem
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec
from oracle.status import Status
from oracle.types import SubmissionId

SpecOf = Callable[[Phase], ChallengeSpec]  # a phase's spec, fetched by its CID


@dataclass(frozen=True)
class LicenceSource:
    """Where a submission's licence is read: its artifact, and its challenge's default."""

    submission_id: int
    artifact_cid: str
    default: str


def licence_source(ledger: Ledger, submission: Submission, spec_of: SpecOf) -> LicenceSource:
    assert submission.reveal is not None, "only a revealed submission has a licence"
    phase = ledger.challenges[submission.challenge_id].phases[submission.phase]
    default = spec_of(phase).licences.default
    return LicenceSource(submission.submission_id, submission.reveal.artifact_cid, default)


def parent_sources(
    ledger: Ledger, submission: Submission, spec_of: SpecOf
) -> tuple[LicenceSource, ...]:
    """Where the licence of each declared parent (any challenge) is read."""
    assert submission.reveal is not None
    return tuple(licence_source(ledger, ledger.submissions[p], spec_of)
                 for p in submission.reveal.parents)  # fmt: skip


def read_licence(store: ContentStore, source: LicenceSource) -> str:
    return artifact_licence(store, source.artifact_cid, source.default).spdx


def problem_of(store: ContentStore, spec: ChallengeSpec, artifact_cid: str,
               parents: tuple[LicenceSource, ...]) -> LicenceProblem | None:  # fmt: skip
    """The status and reason a submission's licence earns under `spec`, or None when it
    may be scored."""
    own = artifact_licence(store, artifact_cid, spec.licences.default).spdx
    theirs = [(p.submission_id, read_licence(store, p)) for p in parents]
    return licence_problem(spec.licences, own, theirs)


def prize_ineligible(ledger: Ledger, store: ContentStore, challenge_id: int, phase: int,
                     spec: ChallengeSpec) -> tuple[SubmissionId, ...]:  # fmt: skip
    """The phase's valid submissions that may not win a prize: those under a licence that
    is not open, when the spec requires an open licence for prizes (else none)."""
    if not spec.licences.open_required_for_prizes:
        return ()
    default = spec.licences.default
    return tuple(
        SubmissionId(s.submission_id)
        for s in ledger.submissions_of(challenge_id, phase)
        if s.reveal is not None
        and s.score is not None
        and s.score.status == Status.VALID
        and not spec.licences.prize_eligible(
            artifact_licence(store, s.reveal.artifact_cid, default).spdx
        )  # fmt: skip
    )


class SpecReader:
    """Each phase's spec read once from `store` (what `SpecOf` asks for)."""

    def __init__(self, store: ContentStore) -> None:
        self.store = store
        self._specs: dict[str, ChallengeSpec] = {}

    def __call__(self, phase: Phase) -> ChallengeSpec:
        if phase.spec_cid not in self._specs:
            raw = self.store.cat(phase.spec_cid, max_bytes=SPEC_MAX_BYTES)
            self._specs[phase.spec_cid] = load_spec(raw)
        return self._specs[phase.spec_cid]


def shown_licence(
    ledger: Ledger, store: ContentStore, submission: Submission, spec_of: SpecOf
) -> DeclaredLicence | None:
    """A revealed submission's licence for display; None when unrevealed or unreadable."""
    if submission.reveal is None:
        return None
    try:
        source = licence_source(ledger, submission, spec_of)
        return artifact_licence(store, source.artifact_cid, source.default)
    except (CoopError, ValueError):
        return None
