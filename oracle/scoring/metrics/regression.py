"""Regression metrics: rmse, mae, r2 (as scikit-learn defines them).

Sums are exactly rounded (`exact_sum`: the value math.fsum gives), and everything else is
an IEEE-correctly-rounded operation, so the result is the same float on every machine.
"""

import math

import numpy as np
from numpy.typing import NDArray

from oracle.scoring.metrics.exact import exact_sum

Floats = NDArray[np.float64]


def rmse(y_true: Floats, y_pred: Floats) -> float:
    error = y_true - y_pred
    return math.sqrt(exact_sum(error * error) / len(error))


def mae(y_true: Floats, y_pred: Floats) -> float:
    return exact_sum(np.abs(y_true - y_pred)) / len(y_true)


def r2(y_true: Floats, y_pred: Floats) -> float:
    """1 - SS_res / SS_tot; like scikit-learn, 1.0 for a perfect fit of constant targets and
    0.0 for an imperfect one (instead of dividing by zero)."""
    error = y_true - y_pred
    ss_res = exact_sum(error * error)
    centred = y_true - exact_sum(y_true) / len(y_true)
    ss_tot = exact_sum(centred * centred)
    if ss_res == 0.0:
        return 1.0
    if ss_tot == 0.0:
        return 0.0
    return 1.0 - ss_res / ss_tot
