"""95% intervals of private scores by a paired bootstrap over the private rows, reproducible
from the revealed split salt (docs/rewards.md, "Ties").

Every entry is rescored on the same resamples of the private rows (paired), so entries are
compared on the same draws. The seed is `int.from_bytes(sha256(b"coop-bootstrap-v1" ‖
salt32).digest(), "big")`, fed to `numpy.random.Generator(numpy.random.PCG64(seed))`;
resample b (b = 0 … B-1, in order) is `rng.integers(0, n, size=n)`, n the number of private
rows. The interval is `[s[floor(0.025·B)], s[ceil(0.975·B) - 1]]` of the B resampled scores
sorted ascending, both ends as WADs.
"""

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oracle.errors import CoopError
from oracle.scoring.labels import Holdout
from oracle.scoring.metrics import compute
from oracle.scoring.wad import ScoreOutOfRange, to_wad
from oracle.spec import ChallengeSpec, ScorerKind
from oracle.types import Wad

SEED_DOMAIN = b"coop-bootstrap-v1"


class NoIntervals(CoopError):
    """The challenge's scores cannot be bootstrapped (a program scorer, too few rows)."""


@dataclass(frozen=True)
class Interval:
    """The 95% bootstrap interval of one entry's private score, ends as WADs (low ≤ high)."""

    low: Wad
    high: Wad

    def overlaps(self, other: "Interval") -> bool:
        return self.low <= other.high and other.low <= self.high


def bootstrap_seed(split_salt: bytes) -> int:
    """The bootstrap's seed: sha256 of the domain tag and the revealed 32-byte split salt."""
    return int.from_bytes(hashlib.sha256(SEED_DOMAIN + bytes(split_salt)).digest(), "big")


def resample_rows(split_salt: bytes, rows: int, resamples: int) -> Iterator[NDArray[np.int64]]:
    """The resamples' row positions, one array of n at a time, in order, from the salt's seed."""
    rng = np.random.Generator(np.random.PCG64(bootstrap_seed(split_salt)))
    for _ in range(resamples):
        yield rng.integers(0, rows, size=rows)


def percentile_ends(resamples: int) -> tuple[int, int]:
    """Positions of the interval's ends among B sorted scores: floor(0.025 B), ceil(0.975 B)-1."""
    return (25 * resamples) // 1000, -((-975 * resamples) // 1000) - 1


def private_intervals(
    spec: ChallengeSpec,
    holdout: Holdout,
    predictions: Mapping[int, NDArray[np.float64]],
) -> dict[int, Interval]:
    """The interval of each entry's private score; `predictions` maps an entry (e.g. a
    submission id) to its predictions aligned to the labels, as `read_predictions` gives."""
    if spec.scorer.kind is ScorerKind.PROGRAM:
        raise NoIntervals("a program scorer is not bootstrapped (it would run once per resample)")
    truth = holdout.part_truth["private"]
    rows = holdout.part_rows["private"]
    if len(rows) < 2:
        raise NoIntervals(f"{len(rows)} private rows are too few to bootstrap")
    resamples = spec.ties.resamples
    entries = list(predictions)
    private = [predictions[entry][rows] for entry in entries]
    scores = np.empty((len(entries), resamples))
    for b, draw in enumerate(resample_rows(holdout.split_salt, len(rows), resamples)):
        for i, y_pred in enumerate(private):
            scores[i, b] = compute(spec.metric.name, truth[draw], y_pred[draw], spec.metric.params)
    scores.sort(axis=1)
    low_at, high_at = percentile_ends(resamples)
    try:
        return {
            entry: Interval(to_wad(scores[i, low_at]), to_wad(scores[i, high_at]))
            for i, entry in enumerate(entries)
        }
    except ScoreOutOfRange as exc:
        raise NoIntervals(f"a resample has no finite score ({exc})") from exc
