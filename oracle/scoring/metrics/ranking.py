"""Ranking metrics: roc_auc and average_precision, binary or one-vs-rest macro.

ROC AUC is the Mann-Whitney statistic with tied scores counting one half, computed in
integers and divided once, so it is the correctly rounded area scikit-learn approximates
with the trapezoid rule. Average precision is scikit-learn's step-wise sum
sum_k (R_k - R_{k-1}) P_k over the distinct score thresholds, with an exactly rounded sum.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from oracle.scoring.metrics.exact import exact_sum

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


def _groups(positive: Bools, scores: Floats, descending: bool) -> tuple[Ints, Ints]:
    """Positives and negatives per distinct score, groups in score order."""
    order = np.argsort(-scores if descending else scores, kind="stable")
    ordered = scores[order]
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    hits = positive[order].astype(np.int64)
    pos = np.add.reduceat(hits, starts)
    sizes = np.diff(np.append(starts, len(scores)))
    return pos, sizes - pos


def binary_roc_auc(positive: Bools, scores: Floats) -> float:
    pos, neg = _groups(positive, scores, descending=False)
    negatives_below = np.cumsum(neg) - neg
    twice_u = int(np.sum(pos * (2 * negatives_below + neg)))  # int64: <= 2 n_pos n_neg
    n_pos, n_neg = int(pos.sum()), int(neg.sum())
    return twice_u / (2 * n_pos * n_neg)  # Python ints: one correctly rounded division


def binary_average_precision(positive: Bools, scores: Floats) -> float:
    pos, neg = _groups(positive, scores, descending=True)
    tps = np.cumsum(pos)
    seen = np.cumsum(pos + neg)
    # (dTP / P) * (TP / seen) as one rounding of exact integer products (each < 2^53)
    terms = (pos * tps).astype(np.float64) / (float(tps[-1]) * seen.astype(np.float64))
    return exact_sum(terms)


def _one_vs_rest(y_true: Ints, y_pred: Floats, fn: Callable[[Bools, Floats], float]) -> float:
    if y_pred.ndim == 1:
        return fn(y_true == 1, y_pred)
    k = int(y_pred.shape[1])
    return exact_sum([fn(y_true == c, y_pred[:, c]) for c in range(k)]) / k


def roc_auc(
    y_true: Ints, y_pred: Floats, average: str = "macro", multi_class: str = "ovr"
) -> float:
    """Binary ROC AUC of the positive class, or the one-vs-rest macro mean for multiclass."""
    return _one_vs_rest(y_true, y_pred, binary_roc_auc)


def average_precision(y_true: Ints, y_pred: Floats, average: str = "macro") -> float:
    """Binary average precision of the positive class, or the one-vs-rest macro mean."""
    return _one_vs_rest(y_true, y_pred, binary_average_precision)
