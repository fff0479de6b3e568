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

Cost: one predictions file per valid submission is read; its public rows and spread are
taken once. A BLAS screen (oracle/scoring/near_copy_screen.py) rules out, provably, the
pairs that cannot be within the distance, and only the rest get the exact distance: the
same near-copies as comparing every pair, in seconds at 10,000 submissions and minutes at
100,000 (bench/near_copies.py). Identical files are found through a dict from file set to
its earliest submissions.
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
from oracle.scoring.near_copy import distance_ppm_given_spread, spread
from oracle.scoring.near_copy_screen import BLOCK, screened_pairs
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
    return near_copies_among(
        compared, holdout.part_rows["public"], spec.near_copies.max_distance_ppm
    )


def near_copies_among(
    compared: list[Compared], rows: NDArray[np.intp], limit: int, block: int = BLOCK
) -> tuple[NearCopy, ...]:
    """The near-copies among `compared` (in commit order) on the public `rows`: each
    submission against the earlier ones, with the exact distance run only on the pairs
    the screen keeps (oracle/scoring/near_copy_screen.py, `block` submissions at a time)."""
    public = _PublicRows(compared, rows)
    files = _EarliestFiles(compared)
    found: list[NearCopy] = []
    position = 0
    for stop, sources, candidates in screened_pairs(public.vectors, public.columns, limit, block):
        block_positions = np.arange(position, stop)
        starts = np.searchsorted(candidates, block_positions, side="left")
        ends = np.searchsorted(candidates, block_positions, side="right")
        for begin, end in zip(starts, ends, strict=True):
            near = _near_copy(position, compared, public, files, sources[begin:end], limit)
            if near is not None:
                found.append(near)
            position += 1
    return tuple(found)


def _near_copy(
    position: int,
    compared: list[Compared],
    public: "_PublicRows",
    files: "_EarliestFiles",
    screened: NDArray[np.intp],
    limit: int,
) -> NearCopy | None:
    """The submission at `position` as a near-copy of the earliest earlier submission by
    another address it is within `limit` of; None when it is within `limit` of none, or of
    a parent it named. `screened`: the earlier submissions the screen kept, in order."""
    mine = compared[position].submission
    assert mine.reveal is not None

    def within(other: int) -> tuple[int, NearCopyEvidence] | None:
        if compared[other].submission.submitter == mine.submitter:
            return None
        if files.same(other, position):
            return 0, NearCopyEvidence.FILES
        distance = public.distance_ppm(other, position)
        if distance is None or distance > limit:
            return None
        return distance, NearCopyEvidence.PREDICTIONS

    for parent in mine.reveal.parents:
        other = public.position_of.get(parent)
        if other is not None and other < position and within(other) is not None:
            return None  # a declared fork of what it is close to
    earliest = files.earliest_other(position)
    for screened_other in screened:
        if earliest is not None and screened_other >= earliest:
            break
        if within(int(screened_other)) is not None:
            earliest = int(screened_other)
            break
    if earliest is None:
        return None
    distance = within(earliest)
    assert distance is not None
    theirs = compared[earliest].submission
    return NearCopy(
        SubmissionId(mine.submission_id),
        SubmissionId(theirs.submission_id),
        Address(theirs.submitter),
        *distance,
    )


class _PublicRows:
    """Each submission's predictions on the public rows, one row of `vectors` each (NaN
    for a submission without predictions), and its exact spread once it is a source."""

    def __init__(self, compared: list[Compared], rows: NDArray[np.intp]) -> None:
        shapes = {c.predictions.shape for c in compared if c.predictions is not None}
        if len(shapes) > 1:
            raise ValueError(f"predictions of shapes {sorted(shapes)} differ")
        self.table: tuple[int, ...] = (len(rows), *(shapes.pop()[1:] if shapes else ()))
        self.columns = int(np.prod(self.table[1:]))
        self.vectors = np.full((len(compared), len(rows) * self.columns), np.nan)
        for position, c in enumerate(compared):
            if c.predictions is not None:
                self.vectors[position] = c.predictions[rows].ravel()
        self.position_of = {c.submission.submission_id: p for p, c in enumerate(compared)}
        self._spreads: dict[int, float] = {}

    def distance_ppm(self, source: int, candidate: int) -> int | None:
        """`distance_ppm` of the two submissions' predictions on the public rows; None when
        either has none or the source has no spread."""
        theirs, ours = self.vectors[source], self.vectors[candidate]
        if len(theirs) == 0 or np.isnan(theirs).any() or np.isnan(ours).any():
            return None
        if source not in self._spreads:
            self._spreads[source] = spread(theirs.reshape(self.table))
        source_spread = self._spreads[source]
        if source_spread == 0.0:
            return None
        return distance_ppm_given_spread(theirs, ours, source_spread)


class _EarliestFiles:
    """Code submissions with the same files (their paths and bytes): for each file set its
    earliest submission, and the earliest one by another address than that one's."""

    def __init__(self, compared: list[Compared]) -> None:
        self.compared = compared
        self.first: dict[Files, int] = {}
        self.first_other: dict[Files, int] = {}
        for position, c in enumerate(compared):
            if c.files is None:
                continue
            first = self.first.setdefault(c.files, position)
            if c.files not in self.first_other and _owner(compared[first]) != _owner(c):
                self.first_other[c.files] = position

    def same(self, one: int, other: int) -> bool:
        mine = self.compared[one].files
        return mine is not None and mine == self.compared[other].files

    def earliest_other(self, position: int) -> int | None:
        """The earliest earlier submission with the same files by another address."""
        mine = self.compared[position]
        if mine.files is None:
            return None
        first = self.first[mine.files]
        found = first if _owner(self.compared[first]) != _owner(mine) else None
        if found is None:
            found = self.first_other.get(mine.files)
        return found if found is not None and found < position else None


def _owner(compared: Compared) -> str:
    return compared.submission.submitter


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
