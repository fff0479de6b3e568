"""Scoring: predictions files checked, split public/private, scored, rounded to signed WADs.

The oracle daemon loads a phase's holdout once (`load_holdout`, which checks it against the
on-chain commitment) and calls `score_artifact` (fetch by CID within the spec's size limit,
then `score_submission`) for each submission; docs/scoring.md states every rule.
"""

from oracle.scoring.artifacts import (
    fetch_artifact,
    fetch_scorer_program,
    score_artifact,
    unfetchable,
)
from oracle.scoring.commitment import (
    commitment_salt,
    holdout_commitment,
    private_commitment,
    split_salt_hash,
)
from oracle.scoring.engine import ScoreResult, score_submission
from oracle.scoring.labels import Holdout, Labels, load_holdout, read_labels, split_holdout
from oracle.scoring.rejection import ArtifactRejected
from oracle.scoring.split import public_mask, row_hash
from oracle.scoring.wad import snap_to_eta, to_wad

__all__ = [
    "ArtifactRejected",
    "Holdout",
    "Labels",
    "ScoreResult",
    "commitment_salt",
    "fetch_artifact",
    "fetch_scorer_program",
    "holdout_commitment",
    "load_holdout",
    "private_commitment",
    "public_mask",
    "read_labels",
    "row_hash",
    "score_artifact",
    "score_submission",
    "snap_to_eta",
    "split_holdout",
    "split_salt_hash",
    "to_wad",
    "unfetchable",
]
