"""The few loops numpy cannot do in one pass, compiled with numba (nopython, no GIL held,
cached on disk beside this file). Imported only for large inputs: importing numba alone
takes about half a second.

`exponent_bins` is exact_sum's binning.
"""

from numba import njit


@njit(cache=True, nogil=True)
def exponent_bins(bits, high, low, count):  # type: ignore[no-untyped-def]
    """For exact.exact_sum: per 12-bit key (sign and exponent) of each float64 bit pattern,
    add fraction bits 26-51 to `high`, bits 0-25 to `low` and 1 to `count` (int64 arrays of
    4,096). Exact below 2^37 values."""
    for i in range(bits.shape[0]):
        b = bits[i]
        key = b >> 52
        high[key] += (b >> 26) & 0x3FFFFFF
        low[key] += b & 0x3FFFFFF
        count[key] += 1
