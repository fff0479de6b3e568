"""Which pairs of submissions can be near-copies: a fast screen that never drops one.

The exact distance (oracle/scoring/near_copy.py) adds every squared difference exactly,
so comparing every pair is n^2 / 2 such sums. The screen instead estimates each pair's
squared distance with BLAS, a block of candidates against a block of earlier sources:

    D = |x - y|^2 = |x|^2 + |y|^2 - 2 x.y

on the public-row vectors centred by their means over all submissions (so the terms are
not large numbers cancelling). A pair is dropped only when

    D > T + g (N_x + N_y + T) + m 2^-1021,  T = ((limit + 1) / 10^6)^2 S_x,
    g = (8m + 64) 2^-53,

where m is the vector length, N the centred squared norms and S_x the source's spread
computed in float (its squared deviations from its column means). The test is one matrix
product: each source row carries -(N_x (1 - g) - T (1 + g) - tiny) / 2 and a 1, each
candidate row a 1 and -N_y (1 - g) / 2, and a pair is kept when its product is >= 0.

Why no near-copy is dropped: `floor(sqrt(d / s) * 10^6) <= limit` needs d <= T_s (1 + 8
2^-53), with T_s from the exact spread s. S_x is at least s up to its rounding (a sum of
squared deviations from any centre is at least the one from the mean), so T_s <= T (1 + (m
+ 6) 2^-53). A float dot product of length k is within k 2^-53 / (1 - k 2^-53) of its
absolute terms' sum in any summation order (with or without FMA), and so is each norm;
centring moves each difference by at most 2^-53 (|x| + |y|); the bounds' few operations
round once each, relative to N_x + N_y + T. Together that is below g (N_x + N_y + T) / 2
while m 2^-53 < 1/100 (m up to ~9 * 10^13), and the last term covers subnormal results.
Values of 2^500 or more could overflow the squares: then no pair is dropped (the exact rule
runs on every pair).

Memory: the centred vectors with their two extra columns, twice (n x (m + 2) float64 each:
100,000 submissions x 31 public rows, the diabetes example's, is 26 MB), and one block x
block float64 product (2,048^2: 32 MB) at a time.
"""

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray

from oracle.types import PPM

BLOCK = 2048  # candidates (and sources) per matrix product
_UNIT = 2.0**-53
_TINY = 2.0**-1021
_SAFE_MAGNITUDE = 2.0**500
_NONE = np.empty(0, dtype=np.intp)


def screened_pairs(
    vectors: NDArray[np.float64], columns: int, limit: int, block: int = BLOCK
) -> Iterator[tuple[int, NDArray[np.intp], NDArray[np.intp]]]:
    """The (source, candidate) pairs, source < candidate, that may be within `limit` ppm:
    for each block of candidates in order, (stop, sources, candidates), sorted by candidate
    then source, where every candidate before `stop` has had its pairs.

    `vectors` holds each submission's predictions on the public rows, one row each (row
    by row, `columns` values per row); a row of NaN marks a submission without predictions
    (never in a pair)."""
    count, length = vectors.shape
    present = np.flatnonzero(~np.isnan(vectors).any(axis=1))
    if len(present) < 2 or length == 0:
        yield count, _NONE, _NONE
        return
    sources, candidates = _rows(vectors[present], columns, limit)
    safe = bool(np.abs(vectors[present]).max() < _SAFE_MAGNITUDE)
    for start in range(0, len(present), block):
        stop = min(start + block, len(present))
        found_candidates: list[NDArray[np.intp]] = []
        found_sources: list[NDArray[np.intp]] = []
        for first in range(0, stop - 1, block):
            last = min(first + block, stop - 1)
            if safe:
                kept = candidates[start:stop] @ sources[first:last].T >= 0.0
            else:
                kept = np.ones((stop - start, last - first), dtype=bool)
            candidate, source = np.nonzero(kept)
            earlier = source + first < candidate + start
            found_candidates.append(present[candidate[earlier] + start])
            found_sources.append(present[source[earlier] + first])
        pairs_candidates = np.concatenate(found_candidates) if found_candidates else _NONE
        pairs_sources = np.concatenate(found_sources) if found_sources else _NONE
        order = np.lexsort((pairs_sources, pairs_candidates))
        covered = int(present[stop]) if stop < len(present) else count
        yield covered, pairs_sources[order], pairs_candidates[order]


def _rows(
    values: NDArray[np.float64], columns: int, limit: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The source and candidate rows whose products decide (see the module docstring)."""
    count, length = values.shape
    tables = values.reshape(count, length // columns, columns)
    spreads = np.square(tables - tables.mean(axis=1, keepdims=True)).sum(axis=(1, 2))
    centred = values - values.mean(axis=0)
    norms = np.einsum("ij,ij->i", centred, centred)
    g = (8 * length + 64) * _UNIT
    accepted = ((limit + 1) / PPM) ** 2 * spreads
    source_bound = -(norms * (1 - g) - accepted * (1 + g) - length * _TINY) / 2
    candidate_bound = -norms * (1 - g) / 2
    ones = np.ones(count)
    sources = np.column_stack([centred, source_bound, ones])
    candidates = np.column_stack([centred, ones, candidate_bound])
    return sources, candidates
