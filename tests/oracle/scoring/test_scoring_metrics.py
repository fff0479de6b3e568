"""Every built-in metric equals scikit-learn's on random data with ties, to 1e-12.

The tolerance is |ours - sklearn| <= 1e-12 * max(1, |sklearn|): absolute for scores below
1, relative above. Predictions are laid out as the engine passes them: class indexes for
y_true, probabilities for y_pred (labels come from p > 0.5 or the argmax, like `predict`).
"""

import warnings

import numpy as np
import pytest
from sklearn import metrics as sk

from oracle.scoring.metrics import compute

SEEDS = range(40)


def assert_close(ours: float, reference: float) -> None:
    assert abs(ours - reference) <= 1e-12 * max(1.0, abs(reference)), (ours, reference)


def sizes(rng: np.random.Generator) -> int:
    return int(rng.choice([2, 3, 7, 50, 333, 2000]))


@pytest.mark.parametrize("seed", SEEDS)
def test_regression_metrics(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = sizes(rng)
    y = rng.normal(size=n) * 10.0 ** int(rng.integers(-3, 4))
    p = y + rng.normal(size=n) if seed % 3 else np.round(rng.normal(size=n), 1)
    assert_close(compute("rmse", y, p, {}), sk.root_mean_squared_error(y, p))
    assert_close(compute("mae", y, p, {}), sk.mean_absolute_error(y, p))
    assert_close(compute("r2", y, p, {}), sk.r2_score(y, p))


def test_r2_edge_cases_follow_sklearn() -> None:
    constant = np.full(5, 3.0)
    assert compute("r2", constant, constant, {}) == sk.r2_score(constant, constant) == 1.0
    assert compute("r2", constant, constant + 1, {}) == sk.r2_score(constant, constant + 1) == 0.0


@pytest.mark.parametrize("seed", SEEDS)
def test_binary_metrics_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = max(4, sizes(rng))
    y = rng.integers(0, 2, size=n)
    y[:2] = [0, 1]  # both classes present
    p = np.round(rng.random(n), int(rng.integers(0, 3)))  # 0-2 decimals: many ties
    if seed % 4 == 0:
        p[rng.random(n) < 0.3] = 0.5  # exactly on the threshold
    labels = (p > 0.5).astype(int)
    assert_close(compute("accuracy", y, p, {}), sk.accuracy_score(y, labels))
    assert_close(compute("balanced_accuracy", y, p, {}), sk.balanced_accuracy_score(y, labels))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns on zero division; both give 0
        assert_close(compute("f1", y, p, {}), sk.f1_score(y, labels))
        assert_close(
            compute("f1", y, p, {"average": "macro"}), sk.f1_score(y, labels, average="macro")
        )
    assert_close(compute("log_loss", y, p, {}), sk.log_loss(y, p))
    assert_close(compute("roc_auc", y, p, {}), sk.roc_auc_score(y, p))
    assert_close(compute("average_precision", y, p, {}), sk.average_precision_score(y, p))
    t = 0.3
    high = (p > t).astype(int)
    assert_close(compute("accuracy", y, p, {"threshold": t}), sk.accuracy_score(y, high))


@pytest.mark.parametrize("seed", SEEDS)
def test_multiclass_metrics_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 8))
    n = max(k, sizes(rng))
    y = rng.integers(0, k, size=n)
    y[:k] = np.arange(k)  # every class present
    raw = np.round(rng.random((n, k)), 1) + 0.01  # coarse values: tied scores and argmax ties
    p = raw / raw.sum(axis=1, keepdims=True)
    labels = np.argmax(p, axis=1)
    classes = list(range(k))
    assert_close(compute("accuracy", y, p, {}), sk.accuracy_score(y, labels))
    assert_close(compute("balanced_accuracy", y, p, {}), sk.balanced_accuracy_score(y, labels))
    assert_close(compute("f1", y, p, {}), sk.f1_score(y, labels, average="macro"))
    assert_close(compute("log_loss", y, p, {}), sk.log_loss(y, p, labels=classes))
    assert_close(
        compute("roc_auc", y, p, {}), sk.roc_auc_score(y, p, multi_class="ovr", labels=classes)
    )
    assert_close(compute("average_precision", y, p, {}), sk.average_precision_score(y, p))


def test_extreme_probabilities_are_clipped_like_sklearn() -> None:
    y = np.array([0, 1, 1, 0])
    p = np.array([1.0, 0.0, 1.0, 0.0])  # two confident mistakes
    assert_close(compute("log_loss", y, p, {}), sk.log_loss(y, p))
    assert compute("log_loss", y, p, {}) > 10


def test_perfect_and_reversed_rankings() -> None:
    y = np.array([0, 0, 1, 1])
    assert compute("roc_auc", y, np.array([0.1, 0.2, 0.8, 0.9]), {}) == 1.0
    assert compute("roc_auc", y, np.array([0.9, 0.8, 0.2, 0.1]), {}) == 0.0
    assert compute("roc_auc", y, np.full(4, 0.5), {}) == 0.5
    assert compute("average_precision", y, np.array([0.1, 0.2, 0.8, 0.9]), {}) == 1.0
