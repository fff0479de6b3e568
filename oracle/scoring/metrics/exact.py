"""The exactly rounded sum of a float64 array, vectorised: the float `math.fsum` returns.

A finite double with sign s, biased exponent E and 52-bit fraction f is
(-1)^s * (f + 2^52 [E > 0]) * 2^(max(E, 1) - 1075). The top 12 bits (s, E) of each value
pick a bin; `numpy.bincount` adds the fractions per bin, cut into two 26-bit halves so
its float64 accumulators hold exact integers (below 2^53 for up to 2^26 values per call),
and counts the values for the implicit bit. The at most 4,094 bin totals are then added
as one Python integer and divided by 2^1074 once, which CPython rounds correctly.

So the result is the exact sum rounded to nearest (ties to even): independent of the
values' order, the CPU and numpy's summation order, and equal to `math.fsum` (a test
compares them on random and adversarial data), except that a sum of zeros is +0.0 and
that `math.fsum` may overflow on intermediate sums where this does not. About 6 times
faster than `math.fsum` on 2.8 M values (62 ms against 370 ms, measured).
"""

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

_CHUNK = 2**26  # values per bincount: every bin total stays an exact float64 integer
COMPILED_FROM = 2**18  # from this many values the bins come from one compiled pass
_HALF = 26
_HALF_MASK = np.uint64(2**_HALF - 1)
_KEYS = 4096  # sign bit and 11 exponent bits
_NOT_FINITE = 0x7FF  # the exponent of infinities and NaN


def exact_sum(values: ArrayLike) -> float:
    """sum(values) correctly rounded to the nearest float64.

    NaN or an infinity among the values gives what `sum` gives; a finite sum beyond the
    largest float raises OverflowError, as `math.fsum` does."""
    return ExactSum().add(values).value()


class ExactSum:
    """An exact running sum: `add` arrays one after another, `value` is the correctly
    rounded sum of all of them, the float `exact_sum` gives for them joined into one array
    (the integer total is exact, so how the values are cut does not change a bit)."""

    def __init__(self) -> None:
        self._scaled = 0  # the exact sum so far times 2^1074, a Python integer
        self._not_finite: float | None = None  # NaN or an infinity seen: what sum gives

    def add(self, values: ArrayLike) -> "ExactSum":
        array = np.ascontiguousarray(values, dtype=np.float64).ravel()
        for start in range(0, array.size, _CHUNK):
            chunk = array[start : start + _CHUNK]
            scaled = None if self._not_finite is not None else _scaled_sum(chunk)
            if scaled is None:  # NaN or an infinity decides the sum
                self._not_finite = (self._not_finite or 0.0) + float(np.sum(chunk))
            else:
                self._scaled += scaled
        return self

    def value(self) -> float:
        if self._not_finite is not None:
            return self._not_finite
        return self._scaled / (1 << 1074)  # correctly rounded; OverflowError beyond the max


def _scaled_sum(chunk: NDArray[np.float64]) -> int | None:
    """The exact sum of `chunk` times 2^1074 (an integer), or None if a value is not finite."""
    bits = chunk.view(np.uint64)
    high, low, count = _bins(bits) if len(bits) < COMPILED_FROM else _compiled_bins(bits)
    total = 0
    for key in np.flatnonzero(count).tolist():
        exponent = key & 0x7FF
        if exponent == _NOT_FINITE:
            return None
        part = (int(high[key]) << _HALF) + int(low[key])
        if exponent:
            part += int(count[key]) << 52  # the implicit leading bit of normal numbers
        part <<= max(exponent, 1) - 1
        total += -part if key >> 11 else part
    return total


def _bins(bits: NDArray[np.uint64]) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.int64]]:
    """Per key: the sums of fraction bits 26-51 and 0-25 (exact float64 integers), and the
    number of values."""
    keys = (bits >> np.uint64(52)).view(np.int64)  # < 4096: the same numbers, no copy
    high_bits = (bits >> np.uint64(_HALF)) & _HALF_MASK  # fraction bits 26..51
    high = np.bincount(keys, high_bits.astype(np.float64), _KEYS)
    low = np.bincount(keys, (bits & _HALF_MASK).astype(np.float64), _KEYS)
    return high, low, np.bincount(keys, minlength=_KEYS)


def _compiled_bins(
    bits: NDArray[np.uint64],
) -> tuple[NDArray[Any], NDArray[Any], NDArray[np.int64]]:
    """The same sums as `_bins`, as int64, in one compiled pass instead of five."""
    from oracle.scoring.compiled import exponent_bins  # imports numba: only for large arrays

    high, low, count = (np.zeros(_KEYS, dtype=np.int64) for _ in range(3))
    exponent_bins(bits, high, low, count)
    return high, low, count


def exact_parts(values: NDArray[np.float64], width: int) -> NDArray[np.float64]:
    """Nonnegative finite `values` (entries x rows) cut exactly into parts along each entry's
    bit boundaries, as an array parts x entries x rows whose sum over parts is `values`.

    Part k of an entry holds the bits from 2^(top - (k+1)·width) (or 2^-1074, the last) up
    to 2^(top - k·width), top the exponent just above the entry's largest value: each part
    is an integer below 2^width times that power of two. So any sum of one part's values
    with nonnegative integer weights totalling under 2^(53 - width) is an exact float64,
    whatever the order of additions (a matrix product computes it exactly), and the exactly
    rounded weighted sum of an entry's values is the correctly rounded sum of its few parts'
    weighted sums. Stops when every bit is taken: typically 2 or 3 parts."""
    if not 1 <= width <= 52:
        raise ValueError(f"a part's width must be 1 to 52 bits, not {width}")
    remainder = np.array(values, dtype=np.float64, ndmin=2)
    if not np.all(np.isfinite(remainder)) or np.any(remainder < 0):
        raise ValueError("exact parts are cut from nonnegative finite values only")
    _, top = np.frexp(remainder.max(axis=1, initial=0.0))  # every value < 2^top
    boundary = top.astype(np.int32)[:, None]
    parts = []
    while remainder.any():
        boundary = boundary - width
        lowest = np.maximum(boundary, -1074)  # the last part takes every bit down to 2^-1074
        units = np.floor(np.ldexp(remainder, -lowest))  # < 2^width: exact, no overflow
        part = np.ldexp(units, lowest)  # an integer below 2^53 times 2^lowest: exact
        remainder = remainder - part  # the lower bits, exactly
        parts.append(part)
    return np.array(parts) if parts else np.zeros((1, *remainder.shape))
