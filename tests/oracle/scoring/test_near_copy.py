"""The near-copy distance on the bundled diabetes data: a copy is caught however it is
disguised (noise below the threshold, one changed byte, re-ordered rows), two honest
independent models are far apart, and the number is the documented formula."""

import math

import numpy as np
import pytest
from numpy.typing import NDArray
from scoring_helpers import SALT, make_spec

from oracle.devnet.datasets import example_files
from oracle.scoring.labels import Holdout, read_labels, split_holdout
from oracle.scoring.near_copy import distance_ppm
from oracle.scoring.predictions import read_predictions
from oracle.spec import DEFAULT_NEAR_COPY_PPM, ChallengeSpec
from tests.ledger.lifecycle import predictions

SPEC = make_spec("diabetes-regression")
FILES = example_files("diabetes-regression")


def model_file(model: str) -> bytes:
    """A real model's predictions file for the test rows: "linear" or "neighbours"."""
    return predictions(FILES, model)


@pytest.fixture(scope="module")
def holdout() -> Holdout:
    return split_holdout(SPEC, read_labels(SPEC, FILES["labels.csv"]), SALT)


def distance(spec: ChallengeSpec, holdout: Holdout, source: bytes, copy: bytes) -> int | None:
    theirs = read_predictions(spec, source, holdout.labels)
    ours = read_predictions(spec, copy, holdout.labels)
    return distance_ppm(theirs, ours, holdout.part_rows["public"])


def test_an_identical_file_is_at_distance_zero(holdout: Holdout) -> None:
    linear = model_file("linear")
    assert distance(SPEC, holdout, linear, linear) == 0


def test_a_reordered_file_is_the_same_predictions(holdout: Holdout) -> None:
    header, *rows = model_file("linear").decode().splitlines()
    shuffled = [rows[i] for i in np.random.default_rng(5).permutation(len(rows))]
    reordered = ("\n".join([header, *shuffled]) + "\n").encode()
    assert reordered != model_file("linear")
    assert distance(SPEC, holdout, model_file("linear"), reordered) == 0


def test_a_one_byte_change_is_caught(holdout: Holdout) -> None:
    linear = model_file("linear")
    at = linear.index(b".", 40) + 1  # the first decimal of a prediction in the file
    changed = linear[:at] + bytes([ord("0") + (linear[at] - ord("0") + 1) % 10]) + linear[at + 1 :]
    assert len(changed) == len(linear) and changed != linear
    found = distance(SPEC, holdout, linear, changed)
    assert found is not None
    assert found <= DEFAULT_NEAR_COPY_PPM


def test_noise_below_the_threshold_is_caught_and_above_it_is_not(holdout: Holdout) -> None:
    linear = model_file("linear")
    header, *rows = linear.decode().splitlines()
    values = np.array([float(r.split(",")[1]) for r in rows])
    spread = float(values.std())

    def noisy(scale: float) -> bytes:
        noise = np.random.default_rng(3).normal(0, scale * spread, len(rows)).tolist()
        lines = [
            f"{r.split(',')[0]},{v + n!r}"
            for r, v, n in zip(rows, values.tolist(), noise, strict=True)
        ]
        return ("\n".join([header, *lines]) + "\n").encode()

    below = distance(SPEC, holdout, linear, noisy(0.005))
    above = distance(SPEC, holdout, linear, noisy(0.05))
    assert below is not None and above is not None
    assert 3_000 < below <= DEFAULT_NEAR_COPY_PPM < 30_000 < above


def test_two_honest_independent_models_are_far_apart(holdout: Holdout) -> None:
    found = distance(SPEC, holdout, model_file("linear"), model_file("neighbours"))
    assert found is not None
    assert found > 10 * DEFAULT_NEAR_COPY_PPM


def test_the_distance_is_the_documented_formula() -> None:
    """RMS difference over the source's RMS deviation from its mean, in ppm rounded down."""
    source: NDArray[np.float64] = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    copy = source + np.array([0.1, -0.1, 0.0, 0.0, 7.0])
    rows = np.array([0, 1, 2, 3], dtype=np.intp)  # the public rows: the last is private
    expected = math.sqrt((0.01 + 0.01) / (2.25 + 0.25 + 0.25 + 2.25)) * 1_000_000
    assert distance_ppm(source, copy, rows) == math.floor(expected) == 63_245


def test_multiclass_columns_are_centred_each_on_its_own_mean() -> None:
    source: NDArray[np.float64] = np.array([[0.9, 0.1], [0.1, 0.9], [0.5, 0.5], [0.3, 0.7]])
    rows = np.arange(4, dtype=np.intp)
    assert distance_ppm(source, source.copy(), rows) == 0
    swapped = distance_ppm(source, source[::-1].copy(), rows)
    assert swapped is not None and swapped > 1_000_000 // 2


def test_a_constant_source_is_not_compared() -> None:
    """A constant prediction (e.g. the training mean) has nothing to copy."""
    constant: NDArray[np.float64] = np.full(6, 152.0)
    assert distance_ppm(constant, constant.copy(), np.arange(6, dtype=np.intp)) is None
    assert distance_ppm(constant, constant.copy(), np.arange(0, dtype=np.intp)) is None
