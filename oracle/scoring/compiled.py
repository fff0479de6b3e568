"""The few loops numpy cannot do in one pass, compiled with numba (nopython, no GIL held,
cached on disk beside this file). Imported only for large inputs: importing numba alone
takes about half a second.

`scan` (for fast_csv) walks a block of rows once: the id must be the test id at that row, byte
for byte, then a comma, then a number, then a line end (LF or CRLF; the last line may have
none). A plain decimal that converts exactly (see fast_csv) is stored at its row; any other
spelling made only of digits, '.', '+', '-', 'e' and 'E' is copied to the `aside` buffers
for Arrow to convert. Anything else stops the scan with NOT_FAST. `exponent_bins` is
exact_sum's binning.
"""

import numpy as np
from numba import njit

DONE = 0
NOT_FAST = 1
_EXACT_MANTISSA = 2**53  # integers up to this are exact doubles
_MAX_ACCUMULATED = (2**63 - 1 - 9) // 10  # beyond it the mantissa would overflow int64
_POWERS_OF_TEN = np.array([10.0**k for k in range(23)])  # each exact in a double
_LF, _CR, _COMMA, _DOT, _MINUS, _PLUS, _ZERO, _NINE = 10, 13, 44, 46, 45, 43, 48, 57
_LOWER_E, _UPPER_E = 101, 69


@njit(cache=True, nogil=True)
def scan(  # type: ignore[no-untyped-def]
    body, start, rows, id_offsets, id_bytes, values, aside, aside_rows, aside_offsets, aside_bytes
):
    """Reads the rows [rows[0], rows[1]) from byte `start` on: (DONE or NOT_FAST, how many
    numbers are put aside in all (`aside` before), where the next row begins)."""
    end = body.shape[0]
    pos = start
    for row in range(rows[0], rows[1]):
        first, last = id_offsets[row], id_offsets[row + 1]
        if pos + (last - first) >= end:
            return NOT_FAST, aside, pos
        for k in range(last - first):
            if body[pos + k] != id_bytes[first + k]:
                return NOT_FAST, aside, pos
        pos += last - first
        if body[pos] != _COMMA:
            return NOT_FAST, aside, pos
        pos += 1
        token = pos
        negative = False
        if pos < end and body[pos] == _MINUS:
            negative = True
            pos += 1
        mantissa = 0
        whole_digits = 0
        fraction_digits = 0
        seen_point = False
        plain = True
        while pos < end:
            c = body[pos]
            if _ZERO <= c <= _NINE:
                if mantissa <= _MAX_ACCUMULATED:
                    mantissa = mantissa * 10 + (c - _ZERO)
                else:
                    plain = False
                if seen_point:
                    fraction_digits += 1
                else:
                    whole_digits += 1
            elif c == _DOT and not seen_point:
                seen_point = True
            elif c == _LF or c == _CR:  # noqa: SIM109 (numba: plain comparisons)
                break
            elif c == _DOT or c == _MINUS or c == _PLUS or c == _LOWER_E or c == _UPPER_E:  # noqa: SIM109
                plain = False
            else:
                return NOT_FAST, aside, pos
            pos += 1
        if pos == token:
            return NOT_FAST, aside, pos  # an empty cell
        if pos < end and body[pos] == _CR:
            if pos + 1 < end and body[pos + 1] != _LF:
                return NOT_FAST, aside, pos
            size = pos - token
            pos += 2
        else:
            size = pos - token
            pos += 1
        if (
            plain
            and whole_digits > 0
            and (fraction_digits > 0 or not seen_point)
            and fraction_digits <= 22
            and mantissa <= _EXACT_MANTISSA
        ):
            value = mantissa / _POWERS_OF_TEN[fraction_digits]
            values[row] = -value if negative else value
        else:
            at = aside_offsets[aside]
            for k in range(size):
                aside_bytes[at + k] = body[token + k]
            aside_rows[aside] = row
            aside_offsets[aside + 1] = at + size
            aside += 1
    if rows[1] < values.shape[0]:
        return DONE, aside, pos
    while pos < end:  # after the last test row only line ends may follow
        if body[pos] != _LF and body[pos] != _CR:
            return NOT_FAST, aside, pos
        pos += 1
    return DONE, aside, pos


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
