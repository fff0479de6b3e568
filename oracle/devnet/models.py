"""Real scikit-learn models that the demo's simulated participants train and submit.

Each model reads the example's train.csv and test_features.csv and writes an
`id,prediction` file with its predicted value for each test row.
"""

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.ensemble import GradientBoostingRegressor, RandomForestRegressor
from sklearn.linear_model import LinearRegression

Array = NDArray[np.float64]


@dataclass(frozen=True)
class TaskData:
    x_train: Array
    y_train: Array
    ids: NDArray[np.int64]
    x_test: Array

    @classmethod
    def of(cls, files: dict[str, bytes]) -> "TaskData":
        train = np.loadtxt(io.BytesIO(files["train.csv"]), delimiter=",", skiprows=1)
        test = np.loadtxt(io.BytesIO(files["test_features.csv"]), delimiter=",", skiprows=1)
        return cls(train[:, :-1], train[:, -1], test[:, 0].astype(np.int64), test[:, 1:])


Model = Callable[[TaskData], Array]


def _regressor(make: Callable[[], object]) -> Model:
    def predict(data: TaskData) -> Array:
        model = make()
        model.fit(data.x_train, data.y_train)  # type: ignore[attr-defined]
        values: Array = model.predict(data.x_test)  # type: ignore[attr-defined]
        return values

    return predict


REGRESSION_MODELS: dict[str, Model] = {
    "linear regression": _regressor(LinearRegression),
    "random forest": _regressor(
        lambda: RandomForestRegressor(n_estimators=200, min_samples_leaf=5, random_state=0)
    ),
    "gradient boosting": _regressor(
        lambda: GradientBoostingRegressor(max_depth=2, n_estimators=150, random_state=0)
    ),
}


def predictions_csv(ids: Sequence[int] | NDArray[np.int64], values: Array) -> bytes:
    rows = "".join(f"{int(i)},{float(v)!r}\n" for i, v in zip(ids, values, strict=True))
    return ("id,prediction\n" + rows).encode()


def blend(parts: Sequence[Array], weights: Sequence[float]) -> Array:
    """A weighted average of other submissions' predictions: what a fork typically does."""
    return np.asarray(sum(w * p for w, p in zip(weights, parts, strict=True)), dtype=np.float64)
