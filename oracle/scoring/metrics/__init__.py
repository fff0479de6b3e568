"""Built-in metrics by name, in numpy; equal to scikit-learn's to 1e-12 (relative, or
absolute below 1), which tests check on random data with ties. Params come from the spec."""

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

import numpy as np

from oracle.scoring.metrics.classification import accuracy, balanced_accuracy, f1, log_loss
from oracle.scoring.metrics.ranking import average_precision, roc_auc
from oracle.scoring.metrics.regression import Blocks, mae, mae_of, r2, r2_of, rmse, rmse_of

METRICS: Mapping[str, Callable[..., float]] = MappingProxyType(
    {
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
)


# Metrics that read a part block by block (a sum of per-row terms): the engine gives them
# blocks instead of gathering the part whole. The others sort or count a whole part.
BY_BLOCKS: Mapping[str, Callable[[Blocks], float]] = MappingProxyType(
    {"rmse": rmse_of, "mae": mae_of, "r2": r2_of}
)


def compute(name: str, y_true: Any, y_pred: Any, params: Mapping[str, Any]) -> float:
    """The metric `name` of predictions `y_pred` (see classification.py for the layout);
    inf when huge predictions overflow it (the engine turns that into NOT_FINITE)."""
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            return float(METRICS[name](y_true, y_pred, **params))
        except OverflowError:  # exact_sum: the exact sum is beyond the largest float
            return math.inf


def compute_by_blocks(name: str, blocks: Blocks) -> float:
    """The metric `name` (one of BY_BLOCKS) of the rows `blocks` gives; inf as `compute`."""
    with np.errstate(over="ignore", invalid="ignore"):
        try:
            return float(BY_BLOCKS[name](blocks))
        except OverflowError:
            return math.inf


__all__ = ["BY_BLOCKS", "METRICS", "Blocks", "compute", "compute_by_blocks"]
