"""Rank intervals: the bootstrap is reproducible from the salt, follows its documented recipe,
and tie groups walk the board as docs/rewards.md says."""

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.devnet.seed import code_spec
from oracle.errors import InvalidSpec
from oracle.ledger.ties import tie_groups
from oracle.scoring.bootstrap import (
    Interval,
    NoIntervals,
    bootstrap_seed,
    percentile_ends,
    private_intervals,
)
from oracle.scoring.labels import read_labels, split_holdout
from oracle.scoring.wad import to_wad
from oracle.spec import load_spec
from oracle.types import Wad

ROWS = 200


def _holdout(resamples: int = 200, salt: bytes = SALT):  # type: ignore[no-untyped-def]
    spec = make_spec("diabetes-regression", ties={"resamples": resamples}, metric={"name": "mae"})
    truth = np.arange(ROWS, dtype=float)
    labels = read_labels(spec, csv_bytes("id,target", [(i, t) for i, t in enumerate(truth)]))
    return spec, split_holdout(spec, labels, salt), truth


def test_the_seed_is_sha256_of_the_domain_and_the_salt() -> None:
    digest = hashlib.sha256(b"coop-bootstrap-v1" + SALT).digest()
    assert bootstrap_seed(SALT) == int.from_bytes(digest, "big")
    assert bootstrap_seed(SALT) != bootstrap_seed(bytes(32))


def test_the_interval_ends_are_the_documented_order_statistics() -> None:
    assert percentile_ends(1000) == (25, 974)
    assert percentile_ends(200) == (5, 194)
    assert percentile_ends(101) == (2, 98)


def test_same_salt_same_intervals_and_another_salt_other_intervals() -> None:
    spec, holdout, truth = _holdout()
    rng = np.random.default_rng(7)
    predictions = {1: truth + rng.normal(0, 3, ROWS), 2: truth + rng.normal(0, 5, ROWS)}
    first = private_intervals(spec, holdout, predictions)
    again = private_intervals(spec, holdout, predictions)
    assert first == again
    other_spec, other_holdout, _ = _holdout(salt=bytes(range(1, 33)))
    assert private_intervals(other_spec, other_holdout, predictions) != first
    for interval in first.values():
        assert interval.low < interval.high


def test_a_constant_error_has_a_point_interval() -> None:
    """Every row off by exactly 2.5: every resample's MAE is 2.5, so is the interval."""
    spec, holdout, truth = _holdout()
    (interval,) = private_intervals(spec, holdout, {7: truth + 2.5}).values()
    assert interval == Interval(Wad(25 * 10**17), Wad(25 * 10**17))


def test_a_known_case_recomputed_by_hand_from_the_recipe() -> None:
    """An independent re-derivation from docs/rewards.md: errors 0 or 1 (MAE = share of ones)."""
    spec, holdout, truth = _holdout(resamples=300)
    errors = (np.arange(ROWS) % 4 == 0).astype(float)  # a quarter of the rows are off by one
    (interval,) = private_intervals(spec, holdout, {1: truth + errors}).values()

    private = np.flatnonzero(~holdout.public)
    seed = int.from_bytes(hashlib.sha256(b"coop-bootstrap-v1" + SALT).digest(), "big")
    rng = np.random.Generator(np.random.PCG64(seed))
    maes = sorted(errors[private][rng.integers(0, len(private), size=len(private))].mean()
                  for _ in range(300))  # fmt: skip
    assert interval == Interval(to_wad(maes[7]), to_wad(maes[292]))  # floor(7.5), ceil(292.5)-1
    share = errors[private].mean()
    assert interval.low < to_wad(share) < interval.high


def test_a_program_scorer_has_no_intervals() -> None:
    spec, holdout, truth = _holdout()
    program = make_spec(
        "diabetes-regression",
        scorer={"kind": "program", "cid": spec.data.train, "cpu_seconds": 5, "memory_mb": 256,
                "wall_seconds": 10},
    )  # fmt: skip
    with pytest.raises(NoIntervals, match="program scorer"):
        private_intervals(program, holdout, {1: truth})
    with pytest.raises(InvalidSpec, match=r"ties.share_prizes: .* built-in metric"):
        make_spec("diabetes-regression", scorer=program.raw["scorer"],
                  ties={"share_prizes": True})  # fmt: skip


def test_a_code_challenge_cannot_share_prizes_within_ties(tmp_path: Path) -> None:
    path = code_spec("diabetes-regression", tmp_path / "code.json")
    data = json.loads(path.read_text()) | {"ties": {"share_prizes": True}}
    with pytest.raises(InvalidSpec, match=r"ties.share_prizes: .* predictions submissions"):
        load_spec(json.dumps(data).encode())
    assert load_spec(path.read_bytes()).ties.share_prizes is False


def test_the_resamples_are_bounded_by_the_spec_schema() -> None:
    with pytest.raises(Exception, match="resamples"):
        make_spec("diabetes-regression", ties={"resamples": 10**6})
    assert make_spec("diabetes-regression").ties.resamples == 1000
    assert make_spec("diabetes-regression").ties.share_prizes is False


def iv(low: int, high: int) -> Interval:
    return Interval(Wad(low), Wad(high))


def test_tie_groups_follow_the_head_of_each_group() -> None:
    # 1 and 2 overlap the leader; 3 overlaps 2 but not the leader: it heads group 2;
    # 4 overlaps 3; 5 overlaps nobody above it.
    board = [iv(90, 100), iv(85, 92), iv(80, 88), iv(79, 86), iv(10, 20)]
    assert tie_groups(board) == [1, 1, 2, 2, 3]
    assert tie_groups([]) == []
    assert tie_groups([iv(5, 5), iv(5, 5)]) == [1, 1]  # touching ends overlap
