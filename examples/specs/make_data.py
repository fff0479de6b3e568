"""Writes the example challenges' data from datasets scikit-learn ships (nothing is downloaded).

    .venv/bin/python examples/specs/make_data.py OUT_DIR

For each example spec it writes OUT_DIR/<spec name>/ train.csv (features and target),
test_features.csv (id and features), sample_submission.csv (a constant guess, the
baseline) and labels.csv (id,target: the owner's secret, never published), then prints
the CIDs that the spec's `data` section pins. Every fourth row (0, 4, 8, ...) is a test row;
the output is byte-for-byte the same on every run.
"""

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import load_breast_cancer, load_diabetes, load_digits

from oracle.ipfs.importer import import_bytes


@dataclass(frozen=True)
class Example:
    loader: Callable[..., Any]
    task: str


EXAMPLES = {
    "diabetes-regression": Example(load_diabetes, "regression"),
    "breast-cancer-binary": Example(load_breast_cancer, "binary"),
    "digits-multiclass": Example(load_digits, "multiclass"),
}


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(r) for r in [header, *rows]) + "\n").encode()


def _number(value: float) -> str:
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _guess(task: str, y_train: NDArray[Any]) -> list[str]:
    if task == "regression":
        return [_number(float(np.mean(y_train)))]
    counts = np.bincount(y_train.astype(int))
    shares = counts / counts.sum()
    return [_number(shares[1])] if task == "binary" else [repr(float(s)) for s in shares]


def build(name: str) -> dict[str, bytes]:
    """The example's files, by name."""
    example = EXAMPLES[name]
    x, y = example.loader(return_X_y=True)
    features = [f"x{j}" for j in range(x.shape[1])]
    test = np.arange(len(y)) % 4 == 0
    target = [_number(v) for v in y]
    ids = [str(i) for i in range(len(y))]
    rows = [[_number(v) for v in row] for row in x]
    k = len(np.unique(y))
    prediction = [f"p{c}" for c in range(k)] if example.task == "multiclass" else ["prediction"]
    guess = _guess(example.task, y[~test])
    return {
        "train.csv": _csv(
            [*features, "target"], [[*rows[i], target[i]] for i in np.flatnonzero(~test)]
        ),
        "test_features.csv": _csv(
            ["id", *features], [[ids[i], *rows[i]] for i in np.flatnonzero(test)]
        ),
        "sample_submission.csv": _csv(
            ["id", *prediction], [[ids[i], *guess] for i in np.flatnonzero(test)]
        ),
        "labels.csv": _csv(["id", "target"], [[ids[i], target[i]] for i in np.flatnonzero(test)]),
    }


def cid(data: bytes) -> str:
    return str(import_bytes(data).cid)


def main(out: Path) -> None:
    for name in EXAMPLES:
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        for filename, data in build(name).items():
            (folder / filename).write_bytes(data)
            print(f"{name}/{filename}  {cid(data)}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
