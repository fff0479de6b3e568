"""`exact_sum` is the correctly rounded sum: the float math.fsum gives, in any order, whether
its bins come from numpy (small arrays) or from the compiled pass (large ones)."""

import math

import numpy as np
import pytest

from oracle.scoring.metrics import exact
from oracle.scoring.metrics.exact import exact_sum


@pytest.fixture(autouse=True, params=["numpy bins", "compiled bins"])
def binning(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "compiled bins":
        monkeypatch.setattr(exact, "COMPILED_FROM", 0)  # every size, same code as large ones


ADVERSARIAL = [
    [],
    [0.1] * 10,  # 0.9999999999999999 when added one by one
    [1e16, 1.0, -1e16],  # the 1.0 vanishes from a naive sum
    [1.0, 1e-16, -1.0],
    [2.0**1023, -(2.0**1023), 1.0],
    [5e-324] * 7,  # subnormals
    [2.2250738585072014e-308, -5e-324],  # normal minus subnormal
    [1.0, 2.0**-53],  # exactly halfway: ties to even (1.0)
    [1.0, 2.0**-53, 2.0**-105],  # just above halfway: rounds up
    [-3.5, 1e300, -1e300, 2.25],
]


@pytest.mark.parametrize("values", ADVERSARIAL, ids=range(len(ADVERSARIAL)))
def test_adversarial_sums_equal_fsum(values: list[float]) -> None:
    assert exact_sum(np.array(values)) == math.fsum(values)
    assert exact_sum(np.array(values[::-1])) == math.fsum(values)


@pytest.mark.parametrize("seed", range(30))
def test_random_sums_equal_fsum_in_any_order(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 20_000))
    scale = 10.0 ** rng.integers(-300 if seed % 2 else -20, 300 if seed % 2 else 20, n)
    values = rng.normal(size=n) * scale
    assert exact_sum(values) == math.fsum(values.tolist())
    assert exact_sum(rng.permutation(values)) == exact_sum(values)


def test_chunks_add_up_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    values = np.random.default_rng(1).normal(size=1001) * 1e10
    monkeypatch.setattr(exact, "_CHUNK", 64)  # many chunks instead of one of 2**26 values
    assert exact_sum(values) == math.fsum(values.tolist())


def test_overflow_and_non_finite_values() -> None:
    with pytest.raises(OverflowError):
        exact_sum(np.array([1.7e308, 1.7e308]))
    assert exact_sum(np.array([1e308, 1e308, -1e308])) == 1e308  # math.fsum overflows here
    assert exact_sum(np.array([1.0, np.inf])) == np.inf
    with np.errstate(invalid="ignore"):
        assert math.isnan(exact_sum(np.array([np.inf, -np.inf])))
        assert math.isnan(exact_sum(np.array([np.nan, 1.0])))
