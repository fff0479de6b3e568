"""The few loops numpy cannot do in one pass, compiled with numba (nopython, no GIL held,
cached on disk beside this file). Imported only for large inputs: importing numba alone
takes about half a second.

`scan` (for fast_csv) walks rows once: the id must be the test id at that row, byte for
byte, then a comma, then a number, then a line end (LF or CRLF; the file's last line may
have none). A plain decimal that converts exactly (see fast_csv) is stored at its row; any
other spelling made only of digits, '.', '+', '-', 'e' and 'E' is copied to the `aside`
buffers for Arrow to convert. Anything else stops the scan with NOT_FAST. `find_row` tells
which test row's id starts at a byte offset, so that two threads can scan a file's halves.
"""

import numpy as np
from numba import njit

DONE = 0
NOT_FAST = 1
_EXACT_MANTISSA = 2**53  # integers up to this are exact doubles
_MAX_DIGITS = 18  # up to this many decimal digits fit an int64
_POWERS_OF_TEN = np.array([10.0**k for k in range(23)])  # each exact in a double
_LF, _CR, _COMMA, _DOT, _MINUS = 10, 13, 44, 46, 45
_PLUS, _LOWER_E, _UPPER_E = 43, 101, 69


@njit(cache=True, nogil=True)
def _digits(body, pos, end, mantissa):  # type: ignore[no-untyped-def]
    """Reads decimal digits from `pos`: (position after them, how many, mantissa)."""
    count = 0
    while pos < end:
        digit = np.int64(body[pos]) - 48
        if digit < 0 or digit > 9:
            break
        mantissa = mantissa * 10 + digit  # wraps past 18 digits: then unused
        count += 1
        pos += 1
    return pos, count, mantissa


@njit(cache=True, nogil=True)
def scan(  # type: ignore[no-untyped-def]
    body, start, end, last_part, id_offsets, id_bytes, first_row, values,
    aside_rows, aside_offsets, aside_bytes,
):  # fmt: skip
    """Rows `first_row` .. `first_row + len(values) - 1` from byte `start`, reading no byte
    at or past `end`. Returns (DONE or NOT_FAST, numbers put aside, position after the
    rows). With `last_part`, only line ends may follow the rows."""
    pos = start
    aside = 0
    for i in range(values.shape[0]):
        row = first_row + i
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
        negative = pos < end and body[pos] == _MINUS
        if negative:
            pos += 1
        pos, whole, mantissa = _digits(body, pos, end, 0)
        fraction = 0
        point = pos < end and body[pos] == _DOT
        if point:
            pos, fraction, mantissa = _digits(body, pos + 1, end, mantissa)
        plain = True
        while pos < end and body[pos] != _LF and body[pos] != _CR:
            c = body[pos]
            sign_or_exponent = c in (_MINUS, _PLUS, _LOWER_E, _UPPER_E)
            if not (sign_or_exponent or c == _DOT or 48 <= c <= 57):
                return NOT_FAST, aside, pos
            plain = False
            pos += 1
        size = pos - token
        if size == 0:
            return NOT_FAST, aside, pos  # an empty cell
        if pos < end and body[pos] == _CR:
            pos += 1
            if pos < end and body[pos] != _LF:
                return NOT_FAST, aside, pos  # a lone CR
        pos += 1  # past the LF (or the end of the file)
        if (
            plain
            and whole > 0
            and (fraction > 0 or not point)
            and whole + fraction <= _MAX_DIGITS
            and fraction <= 22
            and mantissa <= _EXACT_MANTISSA
        ):
            value = mantissa / _POWERS_OF_TEN[fraction]  # exact operands: correctly rounded
            values[i] = -value if negative else value
        else:
            at = aside_offsets[aside]
            for k in range(size):
                aside_bytes[at + k] = body[token + k]
            aside_rows[aside] = i
            aside_offsets[aside + 1] = at + size
            aside += 1
    if last_part:
        while pos < end:
            if body[pos] != _LF and body[pos] != _CR:
                return NOT_FAST, aside, pos
            pos += 1
    return DONE, aside, min(pos, end)


@njit(cache=True, nogil=True)
def find_row(body, at, id_offsets, id_bytes, guess, window):  # type: ignore[no-untyped-def]
    """The test row whose id is the text at byte `at` up to a comma, searched within
    `window` rows of `guess`; -1 when none is."""
    comma = at
    while comma < body.shape[0] and body[comma] != _COMMA and comma - at < 4096:
        comma += 1
    size = comma - at
    rows = id_offsets.shape[0] - 1
    for row in range(max(0, guess - window), min(rows, guess + window)):
        first = id_offsets[row]
        if id_offsets[row + 1] - first != size:
            continue
        same = True
        for k in range(size):
            if body[at + k] != id_bytes[first + k]:
                same = False
                break
        if same:
            return row
    return -1


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
