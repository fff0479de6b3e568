"""Every built-in metric equals scikit-learn's to 1e-12 on random data (with ties)."""

import numpy as np
import pytest
from sklearn import metrics as sk

from oracle.scoring import metrics as ours

SEEDS = range(20)


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-12 * max(1.0, abs(b))


@pytest.mark.parametrize("seed", SEEDS)
def test_regression_metrics(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y, p = rng.normal(size=500), rng.normal(size=500)
    assert close(ours.rmse(y, p), float(np.sqrt(sk.mean_squared_error(y, p))))
    assert close(ours.mae(y, p), sk.mean_absolute_error(y, p))
    assert close(ours.r2(y, p), sk.r2_score(y, p))


@pytest.mark.parametrize("seed", SEEDS)
def test_classification_metrics(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, size=400)
    labels = rng.integers(0, 2, size=400)
    scores = np.round(rng.random(400), 1)  # rounding makes many ties
    assert close(ours.accuracy(y, labels), sk.accuracy_score(y, labels))
    assert close(ours.balanced_accuracy(y, labels), sk.balanced_accuracy_score(y, labels))
    assert close(ours.f1(y, labels), sk.f1_score(y, labels))
    assert close(ours.roc_auc(y, scores), sk.roc_auc_score(y, scores))
    assert close(ours.average_precision(y, scores), sk.average_precision_score(y, scores))
    probs = np.clip(rng.random(400), 0, 1)
    assert close(ours.log_loss(y, probs), sk.log_loss(y, probs))


@pytest.mark.parametrize("seed", SEEDS)
def test_multiclass_metrics(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 4, size=600)
    labels = rng.integers(0, 4, size=600)
    probs = rng.random((600, 4))
    probs /= probs.sum(axis=1, keepdims=True)
    assert close(ours.f1(y, labels, average="macro"), sk.f1_score(y, labels, average="macro"))
    assert close(ours.balanced_accuracy(y, labels), sk.balanced_accuracy_score(y, labels))
    assert close(ours.log_loss(y, probs), sk.log_loss(y, probs))
    assert close(ours.roc_auc(y, probs), sk.roc_auc_score(y, probs, multi_class="ovr"))
