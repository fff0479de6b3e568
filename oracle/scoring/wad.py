"""Float scores to WAD integers, and the public score's snap to the eta grid.

One rule for every oracle, so honest oracles sign identical numbers:
- `to_wad(x)`: the shortest decimal that round-trips `x` (Python's `repr`), times 10^18,
  rounded half to even to an integer. `-0.0` becomes 0. NaN and infinities are refused;
  so are scores whose WAD does not fit an int256.
- `snap_to_eta(w, eta)`: the multiple of `eta` nearest to `w`, ties to the even multiple.
"""

import math
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

from oracle.types import Wad

INT256_MIN = -(2**255)
INT256_MAX = 2**255 - 1


class ScoreOutOfRange(ValueError):
    """A score that is not finite or whose WAD does not fit an int256."""


def to_wad(value: float) -> Wad:
    """`round_half_even(Decimal(repr(value)) * 10**18)` as an int256."""
    number = float(value)
    if not math.isfinite(number):
        raise ScoreOutOfRange(f"the score is {number!r}, not a finite number")
    # 400 digits hold any float's repr times 10^18 exactly (the largest double has 309).
    with localcontext(Context(prec=400, rounding=ROUND_HALF_EVEN)):
        wad = int(Decimal(repr(number)).scaleb(18).to_integral_value())
    if not INT256_MIN <= wad <= INT256_MAX:
        raise ScoreOutOfRange(f"the score {number!r} does not fit an int256 WAD")
    return Wad(wad)


def snap_to_eta(wad: int, eta_wad: int) -> Wad:
    """The multiple of `eta_wad` nearest to `wad`; exactly halfway goes to the even multiple."""
    if eta_wad <= 0:
        raise ValueError(f"eta must be positive, got {eta_wad}")
    steps, rest = divmod(wad, eta_wad)  # floor division: 0 <= rest < eta_wad, also for wad < 0
    if 2 * rest > eta_wad or (2 * rest == eta_wad and steps % 2 == 1):
        steps += 1
    return Wad(steps * eta_wad)
