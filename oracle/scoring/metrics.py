"""Built-in metrics in numpy, equal to scikit-learn's to 1e-12 (tests compare them).

Each takes `y_true` (1-D) and `y_pred` (1-D values, or 2-D class probabilities for the
multiclass log_loss / roc_auc) and returns a float.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

Array = NDArray[Any]


def rmse(y_true: Array, y_pred: Array) -> float:
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def mae(y_true: Array, y_pred: Array) -> float:
    return float(np.mean(np.abs(y_true - y_pred)))


def r2(y_true: Array, y_pred: Array) -> float:
    ss_res = float(np.sum((y_true - y_pred) ** 2))
    ss_tot = float(np.sum((y_true - np.mean(y_true)) ** 2))
    if ss_tot == 0.0:
        return 1.0 if ss_res == 0.0 else 0.0
    return 1.0 - ss_res / ss_tot


def accuracy(y_true: Array, y_pred: Array) -> float:
    return float(np.mean(y_true == y_pred))


def balanced_accuracy(y_true: Array, y_pred: Array) -> float:
    recalls = [np.mean(y_pred[y_true == c] == c) for c in np.unique(y_true)]
    return float(np.mean(recalls))


def _f1_for(y_true: Array, y_pred: Array, label: Any) -> float:
    tp = float(np.sum((y_pred == label) & (y_true == label)))
    fp = float(np.sum((y_pred == label) & (y_true != label)))
    fn = float(np.sum((y_pred != label) & (y_true == label)))
    return 0.0 if tp == 0.0 else 2 * tp / (2 * tp + fp + fn)


def f1(y_true: Array, y_pred: Array, average: str = "binary", pos_label: Any = 1) -> float:
    if average == "binary":
        return _f1_for(y_true, y_pred, pos_label)
    labels = np.union1d(y_true, y_pred)
    return float(np.mean([_f1_for(y_true, y_pred, label) for label in labels]))


def log_loss(y_true: Array, y_pred: Array) -> float:
    probs = np.asarray(y_pred, dtype=np.float64)
    if probs.ndim == 1:
        probs = np.column_stack([1 - probs, probs])
    eps = np.finfo(probs.dtype).eps
    probs = np.clip(probs, eps, 1 - eps)
    classes = np.unique(y_true)
    index = np.searchsorted(classes, y_true)
    return float(-np.mean(np.log(probs[np.arange(len(y_true)), index])))


def _average_ranks(values: Array) -> Array:
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    starts = np.concatenate(([True], sorted_values[1:] != sorted_values[:-1]))
    group = np.cumsum(starts) - 1
    first = np.flatnonzero(starts)
    counts = np.diff(np.append(first, len(values)))
    ranks_sorted = (first + (counts + 1) / 2.0)[group]
    ranks = np.empty(len(values), dtype=np.float64)
    ranks[order] = ranks_sorted
    return ranks


def _binary_auc(positive: Array, scores: Array) -> float:
    n_pos = int(np.sum(positive))
    n_neg = len(positive) - n_pos
    ranks = _average_ranks(scores)
    return float((np.sum(ranks[positive]) - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def roc_auc(y_true: Array, y_pred: Array) -> float:
    """Binary (scores of the positive class), or one-vs-rest macro for 2-D probabilities."""
    if y_pred.ndim == 1:
        return _binary_auc(y_true == np.max(y_true), y_pred.astype(np.float64))
    classes = np.unique(y_true)
    return float(np.mean([_binary_auc(y_true == c, y_pred[:, i]) for i, c in enumerate(classes)]))


def average_precision(y_true: Array, y_pred: Array) -> float:
    positive = y_true == np.max(y_true)
    order = np.argsort(-y_pred.astype(np.float64), kind="mergesort")
    scores, hits = y_pred[order], positive[order]
    ends = np.flatnonzero(np.concatenate((scores[1:] != scores[:-1], [True])))
    tps = np.cumsum(hits)[ends].astype(np.float64)
    fps = (ends + 1) - tps
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(np.concatenate(([0.0], recall))) * precision))


METRICS: dict[str, Callable[..., float]] = {
    "rmse": rmse,
    "mae": mae,
    "r2": r2,
    "accuracy": accuracy,
    "balanced_accuracy": balanced_accuracy,
    "f1": f1,
    "log_loss": log_loss,
    "roc_auc": roc_auc,
    "average_precision": average_precision,
}
