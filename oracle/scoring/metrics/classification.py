"""Classification metrics on class labels and probabilities: accuracy, balanced_accuracy,
f1 (binary or macro) and log_loss, as scikit-learn defines them.

`y_true` holds class indexes (0..k-1; for binary, 1 is the positive class). `y_pred` holds
probabilities: (n,) of the positive class for binary, (n, k) for multiclass. Label metrics
turn them into labels the way a scikit-learn classifier's `predict` does: positive iff
p > threshold (default 0.5) for binary, the first most probable class for multiclass.
"""

import numpy as np
from numpy.typing import NDArray

from oracle.scoring.metrics.exact import exact_sum

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


def predicted_labels(y_pred: Floats, threshold: float = 0.5) -> Ints:
    if y_pred.ndim == 1:
        labels: Ints = (y_pred > threshold).astype(np.int64)
    else:
        labels = np.argmax(y_pred, axis=1).astype(np.int64)
    return labels


def confusion(y_true: Ints, labels: Ints, k: int) -> Ints:
    """counts[t, p]: rows of true class t predicted as p."""
    counts: Ints = np.bincount(y_true * k + labels, minlength=k * k).reshape(k, k)
    return counts


def _classes(y_pred: Floats) -> int:
    return 2 if y_pred.ndim == 1 else int(y_pred.shape[1])


def accuracy(y_true: Ints, y_pred: Floats, threshold: float = 0.5) -> float:
    return int(np.count_nonzero(y_true == predicted_labels(y_pred, threshold))) / len(y_true)


def balanced_accuracy(y_true: Ints, y_pred: Floats, threshold: float = 0.5) -> float:
    """Mean recall over the classes present in y_true."""
    counts = confusion(y_true, predicted_labels(y_pred, threshold), _classes(y_pred))
    support = counts.sum(axis=1)
    present = np.flatnonzero(support)
    recalls = [int(counts[c, c]) / int(support[c]) for c in present]
    return exact_sum(recalls) / len(recalls)


def f1(y_true: Ints, y_pred: Floats, average: str = "", threshold: float = 0.5) -> float:
    """F1 of the positive class ("binary", the default for binary tasks) or the unweighted
    mean over the classes seen in y_true or the predictions ("macro", multiclass default).
    A class with no true and no predicted row would score 0 (scikit-learn's zero_division)."""
    k = _classes(y_pred)
    counts = confusion(y_true, predicted_labels(y_pred, threshold), k)
    average = average or ("binary" if k == 2 else "macro")
    true_sum, pred_sum = counts.sum(axis=1), counts.sum(axis=0)

    def f1_of(c: int) -> float:
        denominator = int(true_sum[c]) + int(pred_sum[c])
        return 2 * int(counts[c, c]) / denominator if denominator else 0.0

    if average == "binary":
        return f1_of(1)
    seen = np.flatnonzero(true_sum + pred_sum)
    return exact_sum([f1_of(int(c)) for c in seen]) / len(seen)


def log_loss(y_true: Ints, y_pred: Floats) -> float:
    """Mean of -ln p(true class), probabilities clipped to [eps, 1 - eps] (float64 eps)."""
    eps = float(np.finfo(np.float64).eps)
    if y_pred.ndim == 1:  # columns (1 - p, p), clipped after the subtraction, as sklearn does
        chosen = np.where(y_true == 1, y_pred, 1.0 - y_pred)
    else:
        chosen = y_pred[np.arange(len(y_true)), y_true]
    return -exact_sum(np.log(np.clip(chosen, eps, 1.0 - eps))) / len(y_true)
