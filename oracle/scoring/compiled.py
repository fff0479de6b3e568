"""The few loops numpy cannot do in one pass, compiled with numba (nopython, no GIL held,
cached on disk beside this file). Imported only for large inputs: importing numba alone
takes about half a second.

`scan` (for fast_csv) walks the rows once: the id must be the test id at that row, byte
for byte, then a comma, then a number, then a line end (LF or CRLF; the last line may have
none). A plain decimal that converts exactly (see fast_csv) is stored at its row; any other
spelling made only of digits, '.', '+', '-', 'e' and 'E' is copied to the `aside` buffers
for Arrow to convert. Anything else stops the scan with NOT_FAST. `exponent_bins` is
exact_sum's binning; `split_hashes` is SHA-256 for the public/private split.
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
def scan(body, start, id_offsets, id_bytes, values, aside_rows, aside_offsets, aside_bytes):  # type: ignore[no-untyped-def]
    """(DONE or NOT_FAST, how many numbers were put aside)."""
    end = body.shape[0]
    pos = start
    aside = 0
    for row in range(values.shape[0]):
        first, last = id_offsets[row], id_offsets[row + 1]
        if pos + (last - first) >= end:
            return NOT_FAST, aside
        for k in range(last - first):
            if body[pos + k] != id_bytes[first + k]:
                return NOT_FAST, aside
        pos += last - first
        if body[pos] != _COMMA:
            return NOT_FAST, aside
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
                return NOT_FAST, aside
            pos += 1
        if pos == token:
            return NOT_FAST, aside  # an empty cell
        if pos < end and body[pos] == _CR:
            if pos + 1 < end and body[pos + 1] != _LF:
                return NOT_FAST, aside
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
    while pos < end:  # after the last test row only line ends may follow
        if body[pos] != _LF and body[pos] != _CR:
            return NOT_FAST, aside
        pos += 1
    return DONE, aside


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


# SHA-256 (FIPS 180-4): the first 32 bits of the fractional parts of the cube roots of the
# first 64 primes, and of the square roots of the first 8 primes. Words are held in int64
# (numba would turn uint64 mixed with int64 into floats) and masked to 32 bits.
_SHA256_K = np.array([
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4,
    0xAB1C5ED5, 0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE,
    0x9BDC06A7, 0xC19BF174, 0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F,
    0x4A7484AA, 0x5CB0A9DC, 0x76F988DA, 0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7,
    0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967, 0x27B70A85, 0x2E1B2138, 0x4D2C6DFC,
    0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85, 0xA2BFE8A1, 0xA81A664B,
    0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070, 0x19A4C116,
    0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7,
    0xC67178F2,
], dtype=np.int64)  # fmt: skip
_SHA256_H = np.array([0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
                      0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19], dtype=np.int64)  # fmt: skip
_WORD = 0xFFFFFFFF


@njit(cache=True, nogil=True, inline="always")
def _rotr(x, n):  # type: ignore[no-untyped-def]
    return ((x >> n) | (x << (32 - n))) & _WORD


@njit(cache=True, nogil=True)
def split_hashes(salt, offsets, text, out):  # type: ignore[no-untyped-def]
    """For split.public_mask: out[i] = the first 8 bytes, big-endian, of
    sha256(salt || text[offsets[i]:offsets[i + 1]]), for the 32-byte `salt`."""
    longest = 0
    for i in range(out.shape[0]):
        longest = max(longest, offsets[i + 1] - offsets[i])
    message = np.zeros(((32 + longest + 9 + 63) // 64) * 64, dtype=np.uint8)
    message[:32] = salt
    w = np.zeros(64, dtype=np.int64)
    h = np.zeros(8, dtype=np.int64)
    for i in range(out.shape[0]):
        first, size = offsets[i], offsets[i + 1] - offsets[i]
        length = 32 + size
        message[32:length] = text[first : first + size]
        message[length] = 0x80  # padding: a one bit, zeros, the length in bits (64-bit BE)
        padded = ((length + 9 + 63) // 64) * 64
        message[length + 1 : padded - 8] = 0
        for k in range(8):
            message[padded - 1 - k] = ((length * 8) >> (8 * k)) & 0xFF
        h[:] = _SHA256_H
        for block in range(0, padded, 64):
            for t in range(16):
                j = block + 4 * t
                w[t] = (
                    (np.int64(message[j]) << 24) | (np.int64(message[j + 1]) << 16)
                    | (np.int64(message[j + 2]) << 8) | np.int64(message[j + 3])
                )  # fmt: skip
            for t in range(16, 64):
                s0 = _rotr(w[t - 15], 7) ^ _rotr(w[t - 15], 18) ^ (w[t - 15] >> 3)
                s1 = _rotr(w[t - 2], 17) ^ _rotr(w[t - 2], 19) ^ (w[t - 2] >> 10)
                w[t] = (w[t - 16] + s0 + w[t - 7] + s1) & _WORD
            a, b, c, d, e, f, g, k8 = h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]
            for t in range(64):
                s1 = _rotr(e, 6) ^ _rotr(e, 11) ^ _rotr(e, 25)
                choice = (e & f) ^ (~e & _WORD & g)
                t1 = (k8 + s1 + choice + _SHA256_K[t] + w[t]) & _WORD
                s0 = _rotr(a, 2) ^ _rotr(a, 13) ^ _rotr(a, 22)
                majority = (a & b) ^ (a & c) ^ (b & c)
                k8, g, f, e = g, f, e, (d + t1) & _WORD
                d, c, b, a = c, b, a, (t1 + s0 + majority) & _WORD
            for k, v in enumerate((a, b, c, d, e, f, g, k8)):
                h[k] = (h[k] + v) & _WORD
        out[i] = (np.uint64(h[0]) << np.uint64(32)) | np.uint64(h[1])
