"""Regression metrics: rmse, mae, r2 (as scikit-learn defines them).

Sums are exactly rounded (`ExactSum`: the value math.fsum gives), and everything else is
an IEEE-correctly-rounded operation, so the result is the same float on every machine.
Each metric also reads its rows block by block (`*_of`, what the engine uses so a part is
never gathered whole): the sums are exact, so the blocks give the same float to the bit.
"""

import math
from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import NDArray

from oracle.scoring.metrics.exact import ExactSum

Floats = NDArray[np.float64]
# (targets, predictions) of consecutive blocks of rows; a callable, as r2 reads them twice
Blocks = Callable[[], Iterable[tuple[Floats, Floats]]]


def rmse(y_true: Floats, y_pred: Floats) -> float:
    return rmse_of(lambda: [(y_true, y_pred)])


def mae(y_true: Floats, y_pred: Floats) -> float:
    return mae_of(lambda: [(y_true, y_pred)])


def r2(y_true: Floats, y_pred: Floats) -> float:
    return r2_of(lambda: [(y_true, y_pred)])


def rmse_of(blocks: Blocks) -> float:
    squares, rows = ExactSum(), 0
    for y_true, y_pred in blocks():
        squares.add(_squared_errors(y_true, y_pred))
        rows += len(y_true)
    return math.sqrt(squares.value() / rows)


def mae_of(blocks: Blocks) -> float:
    total, rows = ExactSum(), 0
    for y_true, y_pred in blocks():
        error = y_true - y_pred
        total.add(np.abs(error, out=error))  # in place: one temporary array, not two
        rows += len(y_true)
    return total.value() / rows


def r2_of(blocks: Blocks) -> float:
    """1 - SS_res / SS_tot; like scikit-learn, 1.0 for a perfect fit of constant targets and
    0.0 for an imperfect one (instead of dividing by zero)."""
    residual, targets, rows = ExactSum(), ExactSum(), 0
    for y_true, y_pred in blocks():
        residual.add(_squared_errors(y_true, y_pred))
        targets.add(y_true)
        rows += len(y_true)
    mean = targets.value() / rows
    spread = ExactSum()
    for y_true, _ in blocks():
        centred = y_true - mean
        spread.add(np.multiply(centred, centred, out=centred))
    ss_res, ss_tot = residual.value(), spread.value()
    if ss_res == 0.0:
        return 1.0
    if ss_tot == 0.0:
        return 0.0
    return 1.0 - ss_res / ss_tot


def _squared_errors(y_true: Floats, y_pred: Floats) -> Floats:
    """(y_true - y_pred)^2 per row, squared in place: one temporary array, not two."""
    error = y_true - y_pred
    return np.multiply(error, error, out=error)
