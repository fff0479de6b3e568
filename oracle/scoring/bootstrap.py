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
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from oracle.errors import CoopError
from oracle.scoring.labels import Holdout
from oracle.scoring.metrics import compute
from oracle.scoring.metrics.exact import exact_parts, exact_sum
from oracle.scoring.wad import ScoreOutOfRange, to_wad
from oracle.spec import ChallengeSpec, ScorerKind
from oracle.types import Wad

SEED_DOMAIN = b"coop-bootstrap-v1"
ENTRY_BLOCK = 1024  # entries scored together: their resample scores are all that is held
BLOCK_CELLS = 2**20  # at most this many predictions (entries x private rows) per block
WEIGHT_CELLS = 2**21  # resample weights or weighted sums per resample chunk, at most


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
    submission id) to its predictions aligned to the labels, as `read_predictions` gives.

    Entries are scored in blocks (ENTRY_BLOCK, fewer when the private rows are many) and
    only their two interval ends are kept, so memory does not grow with the entries. rmse,
    mae and r2 come from weighted exact sums (`_summed_scores`), the same floats `compute`
    gives on each resample; the other metrics call `compute` on every resample."""
    if spec.scorer.kind is ScorerKind.PROGRAM:
        raise NoIntervals("a program scorer is not bootstrapped (it would run once per resample)")
    rows = holdout.part_rows["private"]
    if len(rows) < 2:
        raise NoIntervals(f"{len(rows)} private rows are too few to bootstrap")
    entries = list(predictions)
    low_at, high_at = percentile_ends(spec.ties.resamples)
    ends = np.empty((len(entries), 2))
    size = max(1, min(ENTRY_BLOCK, BLOCK_CELLS // len(rows)))
    for start in range(0, len(entries), size):
        block = np.array([predictions[entry][rows] for entry in entries[start : start + size]])
        scores = _block_scores(spec, holdout, block)
        scores.partition((low_at, high_at), axis=1)  # both ends in place, NaN last as in a sort
        ends[start : start + len(block)] = scores[:, (low_at, high_at)]
    try:
        return {
            entry: Interval(to_wad(ends[i, 0]), to_wad(ends[i, 1]))
            for i, entry in enumerate(entries)
        }
    except ScoreOutOfRange as exc:
        raise NoIntervals(f"a resample has no finite score ({exc})") from exc


def _block_scores(
    spec: ChallengeSpec, holdout: Holdout, block: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The scores of a block of entries' private predictions (entries x rows) on every
    resample (entries x resamples)."""
    truth = holdout.part_truth["private"]
    resamples = spec.ties.resamples
    scores = np.empty((len(block), resamples))
    summed = np.zeros(len(block), dtype=bool)
    if spec.metric.name in ROW_TERMS and not spec.metric.params:
        terms = ROW_TERMS[spec.metric.name](np.asarray(truth, dtype=np.float64), block)
        summed = _summable(terms)
        if summed.any():
            scores[summed] = _summed_scores(spec, holdout, terms[summed])
    called = np.flatnonzero(~summed).tolist()
    if called:
        name, params = spec.metric.name, spec.metric.params
        for b, draw in enumerate(resample_rows(holdout.split_salt, len(truth), resamples)):
            for i in called:
                scores[i, b] = compute(name, truth[draw], block[i][draw], params)
    return scores


def _squared_errors(truth: NDArray[np.float64], block: NDArray[np.float64]) -> NDArray[np.float64]:
    error = truth - block
    with np.errstate(over="ignore", invalid="ignore"):
        return error * error


def _absolute_errors(truth: NDArray[np.float64], block: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(over="ignore", invalid="ignore"):
        return np.abs(truth - block)


# The per-row terms whose exactly rounded sum over a resample the metric is made of, computed
# with the same float operations as the metric (oracle/scoring/metrics/regression.py).
ROW_TERMS = {"rmse": _squared_errors, "mae": _absolute_errors, "r2": _squared_errors}


def _weight_bits(rows: int) -> int:
    """Bits a weighted sum of n rows' terms can add: resample weights total n."""
    return rows.bit_length()


def _summable(terms: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Entries whose terms are finite and small enough that no weighted sum overflows."""
    limit = 2.0 ** (1023 - _weight_bits(terms.shape[1]))
    with np.errstate(invalid="ignore"):
        finite: NDArray[np.bool_] = np.all(np.isfinite(terms), axis=1)
        small: NDArray[np.bool_] = terms.max(axis=1, initial=0.0) < limit
    return finite & small


def _summed_scores(
    spec: ChallengeSpec, holdout: Holdout, terms: NDArray[np.float64]
) -> NDArray[np.float64]:
    """rmse, mae or r2 of each entry (its per-row terms, entries x rows) on every resample,
    the float `compute` gives: a resample is a weight per row (how often it was drawn), and
    the exactly rounded sum of the drawn terms is the correctly rounded sum of the weighted
    sums of the terms' exact parts (`exact_parts`), each an exact float matrix product."""
    entries, rows = terms.shape
    parts = exact_parts(terms, 53 - _weight_bits(rows))  # parts x entries x rows
    columns = parts.transpose(1, 0, 2).reshape(-1, rows).T  # rows x (entry, part)
    sums = np.empty((entries, spec.ties.resamples))
    chunk = max(1, WEIGHT_CELLS // max(rows, columns.shape[1]))
    draws = resample_rows(holdout.split_salt, rows, spec.ties.resamples)
    for first in range(0, spec.ties.resamples, chunk):
        count = min(chunk, spec.ties.resamples - first)
        weights = np.array([np.bincount(next(draws), minlength=rows) for _ in range(count)])
        weighted = (weights.astype(np.float64) @ columns).reshape(count, entries, -1)
        sums[:, first : first + count] = _correctly_rounded(weighted).T
    return _finish(spec, holdout, sums)


def _correctly_rounded(weighted: NDArray[np.float64]) -> NDArray[np.float64]:
    """The correctly rounded sum over the last axis of exact floats (resamples x entries x
    parts): one IEEE addition where only the first two parts are nonzero, else math.fsum."""
    total = weighted[:, :, 0] + weighted[:, :, 1] if weighted.shape[2] > 1 else weighted[:, :, 0]
    if weighted.shape[2] > 2:
        deep = np.flatnonzero(weighted[:, :, 2:].any(axis=(0, 2))).tolist()
        for i in deep:
            total[:, i] = [math.fsum(row) for row in weighted[:, i, :].tolist()]
    return total


def _finish(
    spec: ChallengeSpec, holdout: Holdout, sums: NDArray[np.float64]
) -> NDArray[np.float64]:
    """The metric from each resample's sum of terms, with the float operations of
    oracle/scoring/metrics/regression.py."""
    rows = len(holdout.part_rows["private"])
    if spec.metric.name == "rmse":
        return np.sqrt(sums / rows)
    if spec.metric.name == "mae":
        return sums / rows
    ss_tot = np.array(
        [_total_sum_of_squares(truth) for truth in _drawn_truths(holdout, spec.ties.resamples)]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        r2 = 1.0 - sums / ss_tot
    return np.where(sums == 0.0, 1.0, np.where(ss_tot == 0.0, 0.0, r2))


def _total_sum_of_squares(y_true: NDArray[np.float64]) -> float:
    """r2's denominator on one resample, as oracle/scoring/metrics/regression.py computes
    it; inf when a sum overflows (where `compute` gives inf)."""
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            centred = y_true - exact_sum(y_true) / len(y_true)
            return exact_sum(centred * centred)
        except OverflowError:
            return math.inf


def _drawn_truths(holdout: Holdout, resamples: int) -> Iterator[NDArray[np.float64]]:
    truth = np.asarray(holdout.part_truth["private"], dtype=np.float64)
    for draw in resample_rows(holdout.split_salt, len(truth), resamples):
        yield truth[draw]
