"""Fetching what a submission points to from IPFS, within the challenge spec's limits.

`fetch_artifact` reads a predictions file by CID with the spec's `max_artifact_bytes` as
the read limit (reading stops as soon as it is passed; a root that declares more is
refused before any leaf is fetched). A folder holding one predictions file next to the
manifest `coop-source.json` (how a predictions file carries its licence) is read as that
file. Faults split in two kinds:
- the artifact's own (ArtifactRejected with a status every oracle reaches): too large
  (TOO_LARGE), a directory, symlink or malformed DAG where a file is expected, a CID of a
  codec that is not UnixFS (UNREADABLE);
- the network's (raised as IpfsError, retryable): no backend delivered the content
  (ContentUnreachable, BackendUnavailable) or every backend served bytes that do not
  hash to the CID (CidMismatch). The daemon tries again later; when it gives up,
  `unfetchable` turns the last error into the UNREACHABLE or DIGEST_MISMATCH result.
"""

from oracle.artifact_manifest import MANIFEST
from oracle.errors import (
    CidMismatch,
    ContentTooLarge,
    InvalidCid,
    IpfsError,
    MalformedDag,
    NotAFile,
)
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import has_root_entry, is_directory, list_folder
from oracle.ipfs.store import ContentStore
from oracle.scoring.engine import ScoreResult, score_submission
from oracle.scoring.labels import Holdout
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ChallengeSpec, ScorerKind
from oracle.status import Status
from oracle.submission_spec import SubmissionKind

MAX_SCORER_BYTES = 2**20  # a scorer program is one Python file


def fetch_artifact(store: ContentStore, cid: str, spec: ChallengeSpec) -> bytes:
    """The bytes of the file `cid` (or of the one predictions file of folder `cid`), verified
    block by block, at most max_artifact_bytes."""
    try:
        return store.cat(predictions_file(store, cid), max_bytes=spec.max_artifact_bytes)
    except ContentTooLarge as exc:
        raise ArtifactRejected(Status.TOO_LARGE, f"{exc}") from None
    except (NotAFile, MalformedDag, InvalidCid) as exc:
        raise ArtifactRejected(
            Status.UNREADABLE, f"{exc}; submit the CID of one predictions file"
        ) from None


def is_code(spec: ChallengeSpec, store: ContentStore, cid: str) -> bool:
    """Whether `cid` is scored as a program: a phase taking only code runs any artifact
    (a file then gets a status saying so), one taking both runs folders with main.py (a
    folder without is a predictions file with its manifest)."""
    kind = spec.submission.kind
    if kind is not SubmissionKind.BOTH:
        return kind is SubmissionKind.CODE
    try:
        return has_root_entry(store.get_block, parse_cid(cid), "main.py")
    except InvalidCid:
        return False  # scored as a file, which says what is wrong with the CID


def predictions_file(store: ContentStore, cid: str) -> str:
    """`cid` itself for a file; for a folder, the CID of the one file next to its manifest."""
    try:
        parsed = parse_cid(cid)
        if not is_directory(store.get_block, parsed):
            return cid
    except (InvalidCid, ValueError):
        return cid  # the read says what is wrong with it
    files = list_folder(store.get_block, parsed, max_entries=3)
    others = [f for f in files if f.path.as_posix() != MANIFEST]
    if len(others) != 1 or len(others[0].path.parts) != 1 or len(files) != len(others) + 1:
        names = ", ".join(f.path.as_posix() for f in files) or "nothing"
        raise ArtifactRejected(
            Status.UNREADABLE,
            f"the folder {cid} holds {names}; a predictions folder holds one predictions "
            f"file and {MANIFEST} (coop submit --licence makes one), and a code folder "
            "main.py at its top",
        )
    return str(others[0].cid)


def score_artifact(
    spec: ChallengeSpec,
    holdout: Holdout,
    store: ContentStore,
    cid: str,
    scorer_program: bytes | None = None,
) -> ScoreResult:
    """Fetch the predictions file `cid` and score it (see `score_submission`).

    Raises IpfsError when the content cannot be had now (try again later)."""
    try:
        data = fetch_artifact(store, cid, spec)
    except ArtifactRejected as exc:
        return ScoreResult(exc.status, exc.reason)
    return score_submission(spec, holdout, data, scorer_program=scorer_program)


def fetch_scorer_program(store: ContentStore, spec: ChallengeSpec) -> bytes | None:
    """The spec's scorer program (None for a built-in metric), verified against its CID.

    Any failure raises: without the program no oracle can score anything."""
    if spec.scorer.kind is not ScorerKind.PROGRAM or spec.scorer.cid is None:
        return None
    return store.cat(spec.scorer.cid, max_bytes=MAX_SCORER_BYTES)


def unfetchable(cid: str, error: IpfsError) -> ScoreResult:
    """The final result for an artifact the daemon gave up fetching after `error`."""
    status = Status.DIGEST_MISMATCH if isinstance(error, CidMismatch) else Status.UNREACHABLE
    return ScoreResult(status, f"the artifact {cid} could not be fetched: {error}")
