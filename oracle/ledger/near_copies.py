"""A phase's uncredited near-copies, derived from public data by the oracles and the audit.

Once the holdout is revealed (the split salt names the public rows), every valid
submission of the phase is compared, in commit order, with each earlier valid submission
by another address: the distance between their predictions on the public rows
(oracle/scoring/near_copy.py; a code submission's predictions are the ones its receipt
names), and for code submissions also their files (the same paths and bytes, the
`coop-source.json` that says where the code came from left out: distance 0). A
submission within the spec's `near_copies.max_distance_ppm` of a submission it named as
a parent is an ordinary declared fork; otherwise the earliest submission it is within
that distance of is its source, and the rewards treat it as a fork of that source
(oracle/rewards/near_copy_credit.py).

Cost: one predictions file per valid submission is read, and each pair is compared once
(n^2 / 2 comparisons of the public rows).
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oracle.artifact_manifest import MANIFEST
from oracle.coderun.hidden_features import read_revealed_holdout
from oracle.errors import InvalidHoldout
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import list_folder
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Ledger, Submission
from oracle.ledger.reward_inputs import private_score
from oracle.rewards.model import NearCopy, NearCopyEvidence
from oracle.scoring.artifacts import is_code, predictions_file
from oracle.scoring.labels import Holdout, load_holdout
from oracle.scoring.near_copy import distance_ppm
from oracle.scoring.predictions import read_predictions
from oracle.scoring.receipt import CodeReceipt
from oracle.scoring.rejection import ArtifactRejected
from oracle.scoring.score_report import MAX_REPORT_BYTES, read_report, score_report_cid
from oracle.spec import ChallengeSpec
from oracle.types import Address, SubmissionId

Files = frozenset[tuple[str, str]]  # (path in the folder, file CID) of a code submission


@dataclass(frozen=True)
class Compared:
    """What a submission is compared by: its predictions (lined up with the labels by row
    id) and, for a code submission, its files."""

    submission: Submission
    predictions: NDArray[np.float64] | None
    files: Files | None


def phase_near_copies(
    ledger: Ledger, challenge_id: int, phase: int, spec: ChallengeSpec, store: ContentStore
) -> tuple[NearCopy, ...]:
    """The phase's uncredited near-copies, in commit order of the copies.

    Raises InvalidHoldout before the holdout is revealed (or when it does not match its
    commitment) and IpfsError when content cannot be fetched."""
    challenge = ledger.challenges[challenge_id]
    revealed = challenge.phases[phase].holdout
    if revealed is None:
        raise InvalidHoldout(f"phase {phase}: near-copies need the revealed holdout")
    # a labels file, or a folder with the labels and the hidden test features
    files = read_revealed_holdout(store, revealed.labels_cid, spec.max_uncompressed_bytes)
    holdout = load_holdout(
        spec, files.labels, revealed.split_salt, challenge.phases[phase].holdout_commitment
    )
    valid = sorted(
        (s for s in ledger.submissions_of(challenge_id, phase) if private_score(s) is not None),
        key=lambda s: (s.commit_block, s.submission_id),
    )
    compared = [_compared(s, spec, store, holdout) for s in valid]
    limit = spec.near_copies.max_distance_ppm
    rows = holdout.part_rows["public"]
    found = (_near_copy(c, compared[:position], rows, limit) for position, c in enumerate(compared))
    return tuple(near for near in found if near is not None)


def _near_copy(
    candidate: Compared, earlier: list[Compared], rows: NDArray[np.intp], limit: int
) -> NearCopy | None:
    """The candidate as a near-copy of the earliest submission by another address it is
    within `limit` of; None when it is within `limit` of none, or of a parent it named."""
    mine = candidate.submission
    assert mine.reveal is not None
    named = set(mine.reveal.parents)
    first: NearCopy | None = None
    for other in earlier:
        theirs = other.submission
        if theirs.submitter == mine.submitter:
            continue
        distance = _distance(candidate, other, rows)
        if distance is None or distance[0] > limit:
            continue
        if theirs.submission_id in named:
            return None  # a declared fork of what it is close to
        if first is None:
            first = NearCopy(
                SubmissionId(mine.submission_id),
                SubmissionId(theirs.submission_id),
                Address(theirs.submitter),
                *distance,
            )
    return first


def _distance(
    candidate: Compared, other: Compared, rows: NDArray[np.intp]
) -> tuple[int, NearCopyEvidence] | None:
    if candidate.files is not None and candidate.files == other.files:
        return 0, NearCopyEvidence.FILES
    if candidate.predictions is None or other.predictions is None:
        return None
    found = distance_ppm(other.predictions, candidate.predictions, rows)
    return None if found is None else (found, NearCopyEvidence.PREDICTIONS)


def _compared(
    submission: Submission, spec: ChallengeSpec, store: ContentStore, holdout: Holdout
) -> Compared:
    reveal = submission.reveal
    assert reveal is not None and submission.score is not None
    files: Files | None = None
    if is_code(spec, store, reveal.artifact_cid):
        folder = parse_cid(reveal.artifact_cid)
        entries = list_folder(store.get_block, folder)
        files = frozenset((str(e.path), str(e.cid)) for e in entries if str(e.path) != MANIFEST)
        receipt = _receipt(submission, store)
        cid = None if receipt is None else receipt.predictions_cid
    else:
        cid = reveal.artifact_cid
    if cid is None:
        return Compared(submission, None, files)
    try:
        cid = predictions_file(store, cid)  # a licensed folder: the file beside its manifest
        data = store.cat(cid, max_bytes=spec.max_artifact_bytes)
        predictions = read_predictions(spec, data, holdout.labels)
    except ArtifactRejected:  # scored valid, yet unreadable here: it is not compared
        predictions = None
    return Compared(submission, predictions, files)


def _receipt(submission: Submission, store: ContentStore) -> CodeReceipt | None:
    assert submission.score is not None
    cid = score_report_cid(submission.score.report_digest)
    return read_report(store.cat(cid, max_bytes=MAX_REPORT_BYTES)).receipt
