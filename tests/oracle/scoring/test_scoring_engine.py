"""The example challenges scored end to end as an oracle does: scikit-learn models trained on
the published data, the holdout checked against its commitments, scores equal to sklearn's."""

import io
from collections.abc import Callable

import numpy as np
import pytest
from eth_utils.crypto import keccak
from scoring_helpers import SPECS, load_make_data, make_spec
from sklearn import metrics as sk
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression, Ridge

from oracle.errors import InvalidHoldout
from oracle.scoring import (
    holdout_commitment,
    load_holdout,
    read_labels,
    row_hash,
    score_submission,
)
from oracle.spec import ChallengeSpec, load_spec
from oracle.status import Status

SALT = bytes(range(100, 132))
Files = Callable[[str], dict[str, bytes]]


def published(name: str) -> ChallengeSpec:
    """The example spec as publishing writes it: with the hash of the split salt."""
    return make_spec(name, split__salt_hash="0x" + keccak(SALT).hex())


def table(data: bytes) -> np.ndarray:
    return np.loadtxt(io.BytesIO(data), delimiter=",", skiprows=1)


def fitted_predictions(name: str, files: dict[str, bytes]) -> tuple[np.ndarray, bytes]:
    train, test = table(files["train.csv"]), table(files["test_features.csv"])
    x, y, ids, features = train[:, :-1], train[:, -1], test[:, 0].astype(int), test[:, 1:]
    if name == "diabetes-regression":
        pred = Ridge(alpha=0.1).fit(x, y).predict(features)
        columns = ["prediction"]
    elif name == "breast-cancer-binary":
        pred = LogisticRegression(max_iter=5000).fit(x, y).predict_proba(features)[:, 1]
        columns = ["prediction"]
    else:
        model = RandomForestClassifier(n_estimators=30, random_state=0).fit(x, y)
        pred = model.predict_proba(features)
        columns = [f"p{c}" for c in range(10)]
    matrix = pred.reshape(len(ids), -1)
    rows = [",".join([str(i), *map(repr, map(float, r))]) for i, r in zip(ids, matrix, strict=True)]
    return pred, ("id," + ",".join(columns) + "\n" + "\n".join(rows) + "\n").encode()


SKLEARN: dict[str, Callable[[np.ndarray, np.ndarray], float]] = {
    "diabetes-regression": lambda y, p: sk.root_mean_squared_error(y, p),
    "breast-cancer-binary": lambda y, p: sk.roc_auc_score(y, p),
    "digits-multiclass": lambda y, p: sk.log_loss(y, p, labels=list(range(10))),
}


@pytest.mark.parametrize("name", list(SKLEARN))
def test_example_challenge_scores_a_real_model_like_sklearn(
    name: str, example_files: Files
) -> None:
    files = example_files(name)
    spec = published(name)
    commitment = holdout_commitment(files["labels.csv"], SALT)
    holdout = load_holdout(spec, files["labels.csv"], SALT, commitment)
    pred, submission = fitted_predictions(name, files)
    result = score_submission(spec, holdout, submission)
    assert result.status is Status.VALID, result.reason

    labels = table(files["labels.csv"])
    public = np.array([row_hash(SALT, str(int(i))) < spec.split.threshold for i in labels[:, 0]])
    y = labels[:, 1]
    assert result.public_score is not None and result.private_score is not None
    for ours, part in ((result.public_score, public), (result.private_score, ~public)):
        expected = SKLEARN[name](y[part], pred[part])
        assert abs(ours - expected) <= 1e-12 * max(1.0, abs(expected))
    assert result.public_wad is not None and result.public_wad % spec.eta_wad == 0
    baseline = score_submission(spec, holdout, files["sample_submission.csv"])
    assert baseline.valid and baseline.private_score is not None
    if spec.higher_is_better:
        assert result.private_score > baseline.private_score
    else:
        assert result.private_score < baseline.private_score


def test_example_specs_pin_the_cids_of_their_data(example_files: Files) -> None:
    make_data = load_make_data()
    for name in make_data.EXAMPLES:
        spec = load_spec(SPECS / f"{name}.json")
        files = example_files(name)
        assert spec.data.train == make_data.cid(files["train.csv"])
        assert spec.data.test_features == make_data.cid(files["test_features.csv"])
        assert spec.data.public["sample_submission"] == make_data.cid(
            files["sample_submission.csv"]
        )


def test_holdout_is_refused_unless_it_is_the_committed_one(example_files: Files) -> None:
    labels = example_files("diabetes-regression")["labels.csv"]
    spec = published("diabetes-regression")
    with pytest.raises(InvalidHoldout, match="not the spec's split.salt_hash"):
        load_holdout(spec, labels, bytes(32))
    commitment = holdout_commitment(labels, SALT)
    with pytest.raises(InvalidHoldout, match="do not match the on-chain holdout commitment"):
        load_holdout(spec, labels.replace(b"\n4,", b"\n4,1", 1), SALT, commitment)
    assert load_holdout(spec, labels, SALT, commitment).public_rows > 0


@pytest.mark.parametrize(
    ("name", "labels", "message"),
    [
        ("diabetes-regression", b"id,target\n1,2\n2,nan\n", "NaN or infinite target"),
        ("diabetes-regression", b"id,target\n1,2\n1,3\n", "repeats the id '1'"),
        ("diabetes-regression", b"id,score\n1,2\n", "labels file is unusable: the columns"),
        ("breast-cancer-binary", b"id,target\n1,0\n2,yes\n", "'yes' is not one of the spec's"),
    ],
)
def test_unusable_labels_are_the_owners_error(name: str, labels: bytes, message: str) -> None:
    with pytest.raises(InvalidHoldout, match=message):
        load_holdout(published(name), labels, SALT)


def test_overflowing_scores_are_not_finite() -> None:
    spec = published("diabetes-regression")
    rows = "".join(f"{i},{i}\n" for i in range(40)).encode()
    holdout = load_holdout(spec, b"id,target\n" + rows, SALT)
    for value in ("1e300", "1e154"):  # squares overflow / their exact sum overflows
        huge = b"id,prediction\n" + "".join(f"{i},{value}\n" for i in range(40)).encode()
        result = score_submission(spec, holdout, huge)
        assert result.status is Status.NOT_FINITE and "not a finite number" in result.reason


def test_labels_with_a_salt_score_like_the_holdout(example_files: Files) -> None:
    files = example_files("diabetes-regression")
    spec = published("diabetes-regression")
    holdout = load_holdout(spec, files["labels.csv"], SALT)
    labels = read_labels(spec, files["labels.csv"])
    submission = files["sample_submission.csv"]
    assert score_submission(spec, labels, submission, SALT) == score_submission(
        spec, holdout, submission
    )
    with pytest.raises(ValueError, match="another salt"):
        score_submission(spec, holdout, submission, bytes(32))
    with pytest.raises(ValueError, match="pass the split salt"):
        score_submission(spec, labels, submission)


def _labels_of(p: np.ndarray) -> np.ndarray:
    return np.argmax(p, axis=1) if p.ndim == 2 else (p > 0.5).astype(int)


# (example, metric, params, scikit-learn on (y_true, y_pred) of one part)
EVERY_METRIC: list[tuple[str, str, dict[str, str], Callable[[np.ndarray, np.ndarray], float]]] = [
    ("diabetes-regression", "rmse", {}, sk.root_mean_squared_error),
    ("diabetes-regression", "mae", {}, sk.mean_absolute_error),
    ("diabetes-regression", "r2", {}, sk.r2_score),
    ("breast-cancer-binary", "accuracy", {}, lambda y, p: sk.accuracy_score(y, _labels_of(p))),
    ("breast-cancer-binary", "balanced_accuracy", {},
     lambda y, p: sk.balanced_accuracy_score(y, _labels_of(p))),
    ("breast-cancer-binary", "f1", {}, lambda y, p: sk.f1_score(y, _labels_of(p))),
    ("breast-cancer-binary", "f1", {"average": "macro"},
     lambda y, p: sk.f1_score(y, _labels_of(p), average="macro")),
    ("breast-cancer-binary", "log_loss", {}, lambda y, p: sk.log_loss(y, p, labels=[0, 1])),
    ("breast-cancer-binary", "roc_auc", {}, sk.roc_auc_score),
    ("breast-cancer-binary", "average_precision", {}, sk.average_precision_score),
    ("digits-multiclass", "accuracy", {}, lambda y, p: sk.accuracy_score(y, _labels_of(p))),
    ("digits-multiclass", "balanced_accuracy", {},
     lambda y, p: sk.balanced_accuracy_score(y, _labels_of(p))),
    ("digits-multiclass", "f1", {}, lambda y, p: sk.f1_score(y, _labels_of(p), average="macro")),
    ("digits-multiclass", "log_loss", {}, lambda y, p: sk.log_loss(y, p, labels=list(range(10)))),
    ("digits-multiclass", "roc_auc", {"multi_class": "ovr"},
     lambda y, p: sk.roc_auc_score(y, p, multi_class="ovr", labels=list(range(10)))),
    ("digits-multiclass", "average_precision", {}, sk.average_precision_score),
]  # fmt: skip


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize(
    ("name", "metric", "params", "reference"),
    EVERY_METRIC,
    ids=[f"{e[0].split('-')[-1]}-{e[1]}-{e[2].get('average', '')}" for e in EVERY_METRIC],
)
def test_every_metric_scores_each_part_like_sklearn(
    name: str,
    metric: str,
    params: dict[str, str],
    reference: Callable[[np.ndarray, np.ndarray], float],
    seed: int,
) -> None:
    """Through the whole engine (CSV in, split, both parts), on random data with ties."""
    higher = metric not in ("rmse", "mae", "log_loss")
    spec = make_spec(name, metric={"name": metric, "params": params},
                     direction="higher" if higher else "lower",
                     baseline="0" if higher else "1000", target="1" if higher else "0",
                     eta="0.001", split__salt_hash="0x" + keccak(SALT).hex())  # fmt: skip
    rng = np.random.default_rng(seed)
    n = 600
    ids = [f"row-{i}" for i in rng.permutation(n)]
    if name == "diabetes-regression":
        y = rng.normal(size=n) * 50 + 150
        pred = np.round(y + rng.normal(size=n) * 30, 1)
        columns, matrix = ["prediction"], pred[:, None]
    elif name == "breast-cancer-binary":
        y = rng.integers(0, 2, n)
        pred = np.round(np.clip(y * 0.3 + rng.random(n) * 0.7, 0, 1), 2)  # many ties, some 0.5
        columns, matrix = ["prediction"], pred[:, None]
    else:
        y = rng.integers(0, 10, n)
        raw = np.round(rng.random((n, 10)), 1) + np.eye(10)[y] * 0.3 + 0.01
        pred = raw / raw.sum(axis=1, keepdims=True)
        columns, matrix = [f"p{c}" for c in range(10)], pred
    labels = "id,target\n" + "".join(f"{i},{t!r}\n" for i, t in zip(ids, y.tolist(), strict=True))
    rows = [",".join([i, *map(repr, r)]) for i, r in zip(ids, matrix.tolist(), strict=True)]
    submission = "id," + ",".join(columns) + "\n" + "\n".join(rows) + "\n"
    holdout = load_holdout(spec, labels.encode(), SALT)
    result = score_submission(spec, holdout, submission.encode())
    assert result.status is Status.VALID, result.reason
    public = np.array([row_hash(SALT, i) < spec.split.threshold for i in ids])
    assert 0 < public.sum() < n
    for ours, part in ((result.public_score, public), (result.private_score, ~public)):
        expected = float(reference(y[part], pred[part]))
        assert ours is not None and abs(ours - expected) <= 1e-12 * max(1.0, abs(expected))
