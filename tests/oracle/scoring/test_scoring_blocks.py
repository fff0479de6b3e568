"""A large file is read in blocks of rows (its mapped pages let go of as it is read) and a
part's sum metrics add block sums: the scores are the same to the bit as in one block, and
a bad file gets the same status and reason, wherever in the file the fault is."""

from pathlib import Path

import numpy as np
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.scoring import engine, fast_csv, files, read_labels, score_submission, split_holdout
from oracle.scoring.engine import ScoreResult
from oracle.spec import ChallengeSpec
from oracle.status import Status

N = 3_000
RNG = np.random.default_rng(18)
IDS = [str(i) for i in range(N)]
TRUTH = RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-6, 7, N)  # magnitudes a naive sum loses
PREDICTIONS = TRUTH + RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-8, 5, N)


def spec_for(metric: str) -> ChallengeSpec:
    if metric == "r2":  # higher is better
        return make_spec(metric__name=metric, direction="higher", baseline="0", target="0.9",
                         max_artifact_bytes=2**30)  # fmt: skip
    return make_spec(metric__name=metric, max_artifact_bytes=2**30)


def score(
    spec: ChallengeSpec, rows: list[tuple[str, str]], folder: Path, blocks: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> ScoreResult:  # fmt: skip
    """The file written to disk and scored, in small blocks or in one."""
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 0)  # the compiled path for every size
    monkeypatch.setattr(files, "STREAMED_BYTES", 0 if blocks else 2**40)  # mapped, not read in
    monkeypatch.setattr(fast_csv, "READ_BLOCK_ROWS", 7 if blocks else 2**40)
    monkeypatch.setattr(engine, "METRIC_BLOCK_ROWS", 100 if blocks else 2**40)
    labels = read_labels(spec, csv_bytes("id,target", list(zip(IDS, TRUTH.tolist(), strict=True))))
    path = folder / ("blocks.csv" if blocks else "whole.csv")
    path.write_bytes(csv_bytes("id,prediction", rows))
    return score_submission(spec, split_holdout(spec, labels, SALT), path)


def in_order() -> list[tuple[str, str]]:
    return [(i, repr(p)) for i, p in zip(IDS, PREDICTIONS.tolist(), strict=True)]


@pytest.mark.parametrize("metric", ["rmse", "mae", "r2"])
@pytest.mark.parametrize("shuffled", [False, True], ids=["in order", "shuffled"])
def test_blocks_give_the_same_scores_to_the_bit(
    metric: str, shuffled: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = in_order()
    if shuffled:  # another order: the general path, ids matched
        rows = [rows[i] for i in RNG.permutation(N)]
    whole = score(spec_for(metric), rows, tmp_path, False, monkeypatch)
    blocked = score(spec_for(metric), rows, tmp_path, True, monkeypatch)
    assert whole.valid and blocked == whole  # floats compared exactly, WADs too


def late_duplicate(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:-1], (rows[5][0], rows[-1][1])]  # the last row repeats the 6th id


def missing_one(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return rows[:2000] + rows[2001:]


def late_nan(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:2500], (rows[2500][0], "nan"), *rows[2501:]]


@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [(late_duplicate, Status.WRONG_IDS, "appears 2 times"),
     (missing_one, Status.WRONG_ROW_COUNT, "1 test id(s) missing, e.g. '2000'"),
     (late_nan, Status.NOT_FINITE, "for id '2500'")],
)  # fmt: skip
def test_a_fault_in_a_late_block_gets_the_same_refusal(
    fault, status: Status, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    rows = fault(in_order())
    whole = score(spec_for("rmse"), rows, tmp_path, False, monkeypatch)
    blocked = score(spec_for("rmse"), rows, tmp_path, True, monkeypatch)
    assert blocked.status is status and words in blocked.reason
    assert blocked == whole
