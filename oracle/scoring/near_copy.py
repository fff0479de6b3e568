"""The near-copy distance between two submissions' predictions on the public rows.

Both prediction arrays come from `read_predictions`, already lined up with the labels by
row id, so a re-ordered copy of a file is the same array. The distance is the RMS of the
differences relative to the spread of the earlier submission's predictions (their RMS
deviation from their own mean, per column):

    distance = sqrt(sum((candidate - source)^2) / sum((source - mean(source))^2))

over the public rows (and every column of a multiclass table). 0 is an identical copy; a
copy with noise of 1% of the spread is at 0.01; two independent models are typically
tens of percent apart. It is given in parts per million, rounded down, so every oracle
and auditor compares the same integer with the spec's threshold: the sums are exactly
rounded (`exact_sum`), and square root and division are correctly rounded in IEEE 754.
docs/decisions.md says why this distance was chosen.
"""

import math

import numpy as np
from numpy.typing import NDArray

from oracle.scoring.metrics.exact import exact_sum
from oracle.types import PPM


def distance_ppm(
    source: NDArray[np.float64], candidate: NDArray[np.float64], rows: NDArray[np.intp]
) -> int | None:
    """The distance of `candidate` from `source` on `rows`, in ppm (rounded down).

    None when the source's predictions have no spread on these rows (a constant
    prediction, or no rows): there is nothing to copy, so nothing is compared."""
    if source.shape != candidate.shape:
        raise ValueError(f"predictions of shapes {source.shape} and {candidate.shape} differ")
    if len(rows) == 0:
        return None
    theirs = source[rows]
    source_spread = spread(theirs)
    if source_spread == 0.0:
        return None
    return distance_ppm_given_spread(theirs, candidate[rows], source_spread)


def spread(values: NDArray[np.float64]) -> float:
    """The source's spread: the exactly rounded sum of its values' squared deviations from
    their column means (`values` already cut to the public rows)."""
    return exact_sum(np.square(values - _column_means(values)))


def distance_ppm_given_spread(
    theirs: NDArray[np.float64], ours: NDArray[np.float64], source_spread: float
) -> int:
    """`distance_ppm` on predictions already cut to the public rows, with the source's
    `spread` (> 0) computed once for all its comparisons."""
    difference = exact_sum(np.square(ours - theirs))
    return math.floor(math.sqrt(difference / source_spread) * PPM)


def _column_means(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each column's mean from its exactly rounded sum (so it does not depend on order);
    a scalar for one column, shaped to broadcast over the rows."""
    if values.ndim == 1:
        return np.float64(exact_sum(values) / len(values))  # type: ignore[return-value]
    return np.array([exact_sum(values[:, j]) / len(values) for j in range(values.shape[1])])
