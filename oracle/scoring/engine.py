"""Scoring one submission exactly as every oracle does: `score_submission` → ScoreResult.

Steps: read the predictions file (size and format checks), check it and line it up with
the labels, compute the metric separately on the public and the private rows (built-in,
or the spec's scorer program in the sandbox), turn both floats into WADs and snap the
public one to the eta grid. A bad file gives a status and a reason, never an exception;
an unusable holdout or scorer program raises (it is not the submitter's fault).
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from oracle.errors import CidMismatch, ConfigError
from oracle.ipfs.importer import import_bytes
from oracle.scoring.custom_scorer import run_scorer, scorer_limits
from oracle.scoring.labels import Holdout, Labels, split_holdout
from oracle.scoring.metrics import BY_BLOCKS, compute, compute_by_blocks
from oracle.scoring.predictions import read_predictions
from oracle.scoring.rejection import ArtifactRejected
from oracle.scoring.wad import ScoreOutOfRange, snap_to_eta, to_wad
from oracle.spec import ChallengeSpec, ScorerKind
from oracle.status import Status
from oracle.text import safe_reason
from oracle.types import Wad

# Test rows per block when a metric reads a part in blocks: ~1/3 of a 2.8 M-row set at a
# time; each part's rows in a block stay above exact_sum's compiled threshold
METRIC_BLOCK_ROWS = 2**20


@dataclass(frozen=True)
class ScoreResult:
    """What the oracles sign for one submission: status, reason and both scores.

    Scores are None unless the status is VALID; `public_wad` is on the eta grid,
    `private_wad` is not rounded further (it goes into the private commitment). The reason
    is bounded and escaped (oracle.text.safe_reason) whoever worded it."""

    status: Status
    reason: str
    rows: int = 0
    public_rows: int = 0
    private_rows: int = 0
    public_score: float | None = None
    private_score: float | None = None
    public_wad: Wad | None = None
    private_wad: Wad | None = None

    def __post_init__(self) -> None:  # whoever words it, a reason leaves here bounded, escaped
        object.__setattr__(self, "reason", safe_reason(self.reason))

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID


def score_submission(
    spec: ChallengeSpec,
    labels: Holdout | Labels,
    predictions: bytes | str | os.PathLike[str],
    split_salt: bytes | None = None,
    scorer_program: bytes | None = None,
) -> ScoreResult:
    """Scores a predictions file (bytes or a path) against the holdout.

    Pass a Holdout (labels split once, see `load_holdout`), or Labels with the split salt.
    `scorer_program` is the source of the spec's scorer program, when it has one; its CID
    is checked against the spec before it runs."""
    holdout = _holdout(spec, labels, split_salt)
    program = _program(spec, scorer_program)
    source = predictions if isinstance(predictions, bytes) else os.fspath(predictions)
    try:
        y_pred = read_predictions(spec, source, holdout.labels)
        public, private = _scores(spec, holdout, y_pred, program)
    except ArtifactRejected as exc:
        return ScoreResult(exc.status, exc.reason)
    rows = (len(holdout.labels), holdout.public_rows, holdout.private_rows)
    try:
        public_wad = snap_to_eta(to_wad(public), spec.eta_wad)
        private_wad = to_wad(private)
    except ScoreOutOfRange as exc:
        return ScoreResult(Status.NOT_FINITE, f"{exc}; check the predictions' magnitude", *rows)
    return ScoreResult(Status.VALID, "ok", *rows, public, private, public_wad, private_wad)


def _holdout(spec: ChallengeSpec, labels: Holdout | Labels, split_salt: bytes | None) -> Holdout:
    if isinstance(labels, Holdout):
        if split_salt is not None and bytes(split_salt) != labels.split_salt:
            raise ValueError("this holdout was split with another salt")
        return labels
    if split_salt is None:
        raise ValueError("labels without a split: pass the split salt, or a Holdout")
    return split_holdout(spec, labels, split_salt)


def _program(spec: ChallengeSpec, program: bytes | None) -> bytes | None:
    if spec.scorer.kind is not ScorerKind.PROGRAM:
        return None
    if program is None:
        raise ConfigError(f"the spec's scorer is the program {spec.scorer.cid}: pass its bytes")
    cid = str(import_bytes(program).cid)
    if cid != spec.scorer.cid:
        raise CidMismatch(
            f"the scorer program given has CID {cid}; the spec pins {spec.scorer.cid}"
        )
    return program


def _scores(
    spec: ChallengeSpec, holdout: Holdout, y_pred: NDArray[np.float64], program: bytes | None
) -> tuple[float, float]:
    if program is not None:
        parts = {name: (holdout.part_truth[name], y_pred[rows])
                 for name, rows in holdout.part_rows.items()}  # fmt: skip
        scores = run_scorer(program, parts, spec.metric.params, scorer_limits(spec.scorer))
        return scores["public"], scores["private"]

    name, params = spec.metric.name, spec.metric.params
    truth = holdout.labels.y
    if name in BY_BLOCKS:
        # Sums of per-row terms: each part is read in blocks of the test rows, never gathered
        # whole (exact sums: the same float as one block). No copy of a part is kept.
        def blocks(public: bool) -> Iterator[tuple[NDArray[Any], NDArray[np.float64]]]:
            for start in range(0, len(truth), METRIC_BLOCK_ROWS):
                end = start + METRIC_BLOCK_ROWS
                rows = holdout.public[start:end] if public else ~holdout.public[start:end]
                yield truth[start:end][rows], y_pred[start:end][rows]

        return (compute_by_blocks(name, lambda: blocks(True)),
                compute_by_blocks(name, lambda: blocks(False)))  # fmt: skip
    # A part is gathered for this submission only (the holdout keeps no copy of it), one
    # part after the other (in two threads both copies were resident at once)
    public, private = holdout.public, ~holdout.public
    return (compute(name, truth[public], y_pred[public], params),
            compute(name, truth[private], y_pred[private], params))  # fmt: skip
