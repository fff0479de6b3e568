"""The fast rank intervals (weighted exact sums, entries in blocks) are bit-identical to
scoring every resample with `compute`, the recipe docs/rewards.md states; and the exact
parts they are built from add up exactly."""

import math
from collections.abc import Mapping

import numpy as np
import pytest
from numpy.typing import NDArray
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.devnet.datasets import example_files
from oracle.scoring import bootstrap
from oracle.scoring.bootstrap import (
    Interval,
    NoIntervals,
    percentile_ends,
    private_intervals,
    resample_rows,
)
from oracle.scoring.labels import Holdout, read_labels, split_holdout
from oracle.scoring.metrics import compute
from oracle.scoring.metrics.exact import exact_parts, exact_sum
from oracle.scoring.wad import to_wad
from oracle.spec import ChallengeSpec


def reference_intervals(
    spec: ChallengeSpec, holdout: Holdout, predictions: Mapping[int, NDArray[np.float64]]
) -> dict[int, Interval]:
    """The per-call path private_intervals had before: every entry scored by `compute` on
    every resample, all scores held and sorted. Kept here as the reference."""
    truth = holdout.part_truth["private"]
    rows = holdout.part_rows["private"]
    resamples = spec.ties.resamples
    entries = list(predictions)
    private = [predictions[entry][rows] for entry in entries]
    scores = np.empty((len(entries), resamples))
    for b, draw in enumerate(resample_rows(holdout.split_salt, len(rows), resamples)):
        for i, y_pred in enumerate(private):
            scores[i, b] = compute(spec.metric.name, truth[draw], y_pred[draw], spec.metric.params)
    scores.sort(axis=1)
    low_at, high_at = percentile_ends(resamples)
    return {
        entry: Interval(to_wad(scores[i, low_at]), to_wad(scores[i, high_at]))
        for i, entry in enumerate(entries)
    }


def regression_case(metric: str, rows: int, resamples: int, salt: bytes = SALT):  # type: ignore[no-untyped-def]
    higher = {"direction": "higher", "baseline": "0", "target": "0.5"} if metric == "r2" else {}
    spec = make_spec("diabetes-regression", ties={"resamples": resamples}, metric={"name": metric},
                     **higher)  # fmt: skip
    truth = np.random.default_rng(rows).normal(150, 60, rows)
    labels = read_labels(
        spec, csv_bytes("id,target", [(i, repr(float(t))) for i, t in enumerate(truth)])
    )
    holdout = split_holdout(spec, labels, salt)
    return spec, holdout, holdout_truth(holdout, labels_rows=rows)


def holdout_truth(holdout: Holdout, labels_rows: int) -> NDArray[np.float64]:
    """All rows' truth, aligned to the labels (the private part placed at its rows)."""
    truth = np.zeros(labels_rows)
    for part in ("public", "private"):
        truth[holdout.part_rows[part]] = holdout.part_truth[part]
    return truth


def predictions_of(
    truth: NDArray[np.float64], seed: int, entries: int
) -> dict[int, NDArray[np.float64]]:
    """Entries of every kind an interval meets: noisy fits at several scales, exact fits,
    a constant error, tiny errors (subnormal squares) and errors spanning 2^-500..2^8."""
    rng = np.random.default_rng(seed)
    rows = len(truth)
    made: dict[int, NDArray[np.float64]] = {}
    for entry in range(entries):
        kind = entry % 6
        if kind == 0:
            made[entry] = truth + rng.normal(0, rng.choice([0.01, 3.0, 40.0]), rows)
        elif kind == 1:
            made[entry] = truth.copy()
        elif kind == 2:
            made[entry] = truth + 2.5
        elif kind == 3:
            made[entry] = truth + rng.choice([-1, 1], rows) * 2.0 ** rng.integers(-1074, -520, rows)
        elif kind == 4:
            made[entry] = truth * (1 + 2.0 ** -rng.integers(1, 52, rows))
        else:
            made[entry] = truth + rng.normal(0, 1, rows) * 2.0 ** rng.integers(-500, 8, rows)
    return made


@pytest.mark.parametrize(
    ("metric", "rows", "resamples", "seed"),
    [("rmse", 120, 200, 1), ("mae", 300, 150, 2), ("r2", 90, 200, 3), ("rmse", 1200, 101, 4),
     ("mae", 40, 1000, 5), ("r2", 600, 120, 6)],
)  # fmt: skip
def test_the_fast_intervals_are_bit_identical_to_scoring_every_resample(
    metric: str, rows: int, resamples: int, seed: int
) -> None:
    spec, holdout, truth = regression_case(metric, rows, resamples)
    predictions = predictions_of(truth, seed, 18)
    fast = private_intervals(spec, holdout, predictions)
    assert fast == reference_intervals(spec, holdout, predictions)
    assert len({interval.low for interval in fast.values()}) > 6  # distinct entries, not one value


def test_blocks_of_entries_give_the_same_intervals_as_one_block(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec, holdout, truth = regression_case("rmse", 150, 200)
    predictions = predictions_of(truth, 9, 40)
    whole = private_intervals(spec, holdout, predictions)
    monkeypatch.setattr(bootstrap, "ENTRY_BLOCK", 7)
    monkeypatch.setattr(bootstrap, "WEIGHT_CELLS", 1000)  # resample weights 6 at a time
    assert private_intervals(spec, holdout, predictions) == whole
    assert whole == reference_intervals(spec, holdout, predictions)


def test_huge_errors_take_the_per_resample_path_and_still_agree() -> None:
    """Squares too near the largest float to be summed in parts are scored per resample
    (the resample scores compared, as such scores fit no WAD); squares beyond it (an
    infinite score) leave no interval, as before."""
    spec, holdout, truth = regression_case("rmse", 80, 120)
    one_huge = np.where(np.arange(80) == holdout.part_rows["private"][0], 5e153, 0.5)
    predictions = [truth + 1e152, truth + 1.0, truth + one_huge, truth + 1e200]
    assert bootstrap._summable(np.array([[1e304, 1.0], [2.5e307, 1.0]])).tolist() == [True, False]
    rows = holdout.part_rows["private"]
    scores = bootstrap._block_scores(spec, holdout, np.array([p[rows] for p in predictions]))
    expected = [
        [
            compute("rmse", holdout.part_truth["private"][draw], p[rows][draw], {})
            for p in predictions
        ]
        for draw in resample_rows(holdout.split_salt, len(rows), 120)
    ]
    assert scores.T.tolist() == expected
    assert np.isinf(scores[3]).all() and np.isfinite(scores[:3]).all()
    assert len(set(scores[2].tolist())) > 3  # the huge row drawn 0, 1, 2, ... times
    with pytest.raises(NoIntervals, match="no finite score"):
        private_intervals(spec, holdout, {1: predictions[3]})


@pytest.mark.parametrize("metric", ["accuracy", "log_loss"])
def test_a_metric_not_summed_in_parts_gives_the_same_intervals(metric: str) -> None:
    """Classification metrics keep the per-resample path, now in blocks of entries."""
    lower = (
        {"direction": "lower", "baseline": "0.7", "target": "0.1"} if metric == "log_loss" else {}
    )
    spec = make_spec("breast-cancer-binary", ties={"resamples": 120}, metric={"name": metric},
                     **lower)  # fmt: skip
    labels = read_labels(spec, example_files("breast-cancer-binary")["labels.csv"])
    holdout = split_holdout(spec, labels, SALT)
    rows = len(holdout.part_rows["public"]) + len(holdout.part_rows["private"])
    rng = np.random.default_rng(3)
    predictions = {entry: rng.uniform(0.01, 0.99, rows) for entry in range(5)}
    fast = private_intervals(spec, holdout, predictions)
    assert fast == reference_intervals(spec, holdout, predictions)
    assert len(set(fast.values())) >= 3


def test_exact_parts_add_up_exactly_and_their_weighted_sums_are_exact() -> None:
    rng = np.random.default_rng(11)
    values = np.abs(rng.normal(0, 1, (5, 300)) * 2.0 ** rng.integers(-1074, 900, (5, 300)))
    values[1] = 0.0
    values[2, :10] = 5e-324
    parts = exact_parts(values, 44)
    assert parts.shape[1:] == values.shape and parts.shape[0] > 3
    for entry in range(5):
        assert math.fsum(parts[:, entry].ravel()) == math.fsum(values[entry])
        assert all(exact_sum(parts[:, entry, r]) == values[entry, r] for r in range(0, 300, 37))
    weights = np.array(
        [np.bincount(rng.integers(0, 300, 300), minlength=300) for _ in range(50)], dtype=np.float64
    )
    for entry in (0, 2, 3):
        sums = weights @ parts[:, entry].T  # resamples x parts, exact
        for b in range(0, 50, 7):
            drawn = np.repeat(values[entry], weights[b].astype(int))
            assert math.fsum(sums[b]) == exact_sum(drawn)


def test_exact_parts_refuse_what_they_cannot_cut() -> None:
    with pytest.raises(ValueError, match="nonnegative finite"):
        exact_parts(np.array([[1.0, -2.0]]), 40)
    with pytest.raises(ValueError, match="nonnegative finite"):
        exact_parts(np.array([[1.0, np.inf]]), 40)
    with pytest.raises(ValueError, match="1 to 52 bits"):
        exact_parts(np.array([[1.0]]), 53)
