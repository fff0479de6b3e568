"""A predictions file in any row order is read in blocks and lined up by id (streamed.py),
and the labels are read in blocks (labels.read_labels): the same scores to the bit, the
same holdout, and a bad file or labels file gets the same status and reason as when read
whole, wherever in it the fault is. Blocks here are a few hundred bytes, so a 3,000-row
file spans dozens of them."""

from pathlib import Path

import numpy as np
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.errors import InvalidHoldout
from oracle.scoring import files, labels, read_labels, score_submission, split_holdout
from oracle.scoring import streamed as streamed_module
from oracle.scoring.engine import ScoreResult
from oracle.scoring.labels import Holdout
from oracle.scoring.streamed import streamed_values
from oracle.spec import ChallengeSpec
from oracle.status import Status

N = 3_000
RNG = np.random.default_rng(81)
IDS = [str(i) for i in RNG.permutation(N) * 7 - 5000]  # labels not in ascending id order
TRUTH = RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-6, 7, N)
PREDICTIONS = TRUTH + RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-8, 5, N)
SMALL_BLOCK = 400  # bytes: ~20 rows a block
SPEC = make_spec(max_artifact_bytes=2**30)
BINARY = make_spec("breast-cancer-binary", max_artifact_bytes=2**30)


def holdout_of(spec: ChallengeSpec, rows: list[tuple[str, object]]) -> Holdout:
    return split_holdout(spec, read_labels(spec, csv_bytes("id,target", rows)), SALT)


def shuffled_rows() -> list[tuple[str, str]]:
    rows = [(i, repr(p)) for i, p in zip(IDS, PREDICTIONS.tolist(), strict=True)]
    return [rows[i] for i in RNG.permutation(N)]


def score(
    holdout: Holdout, rows: list[tuple[str, str]], path: Path, streamed: bool,
    monkeypatch: pytest.MonkeyPatch, spec: ChallengeSpec = SPEC,
) -> ScoreResult:  # fmt: skip
    """The file written to `path` and scored, streamed in small blocks or read whole."""
    monkeypatch.setattr(files, "STREAMED_BYTES", 0)  # mapped, its pages let go of
    monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0 if streamed else 2**40)
    monkeypatch.setattr(streamed_module, "BLOCK_BYTES", SMALL_BLOCK)
    path.write_bytes(csv_bytes("id,prediction", rows))
    return score_submission(spec, holdout, path)


def test_a_shuffled_file_read_in_blocks_scores_the_same_to_the_bit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holdout = holdout_of(SPEC, list(zip(IDS, TRUTH.tolist(), strict=True)))
    rows = shuffled_rows()
    whole = score(holdout, rows, tmp_path / "whole.csv", False, monkeypatch)
    blocks = score(holdout, rows, tmp_path / "blocks.csv", True, monkeypatch)
    data = (tmp_path / "blocks.csv").read_bytes()
    aligned = streamed_values(SPEC, data, holdout.labels)
    assert aligned is not None  # this file did take the block path
    assert aligned.tolist() == [PREDICTIONS[IDS.index(i)] for i in holdout.labels.ids.to_pylist()]
    assert whole.valid and blocks == whole  # floats compared exactly, WADs too


def test_ascending_test_ids_are_matched_without_an_order_array(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ascending = sorted(zip(IDS, TRUTH.tolist(), strict=True), key=lambda r: int(r[0]))
    holdout = holdout_of(SPEC, ascending)
    rows = shuffled_rows()
    whole = score(holdout, rows, tmp_path / "whole.csv", False, monkeypatch)
    blocks = score(holdout, rows, tmp_path / "blocks.csv", True, monkeypatch)
    assert holdout.labels.index._sorted is not None and holdout.labels.index._sorted[1] is None
    assert whole.valid and blocks == whole


def late_duplicate(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:-1], (rows[5][0], rows[-1][1])]  # the last row repeats the 6th id


def duplicate_in_one_block(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:2001], (rows[2000][0], rows[2001][1]), *rows[2002:]]


def extra_duplicate(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows, (rows[-1][0], rows[-2][1])]  # one row more, in the last block


def missing_one(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return rows[:2000] + rows[2001:]


def unknown_id(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:2800], ("99999999", rows[2800][1]), *rows[2801:]]


def late_nan(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:2500], (rows[2500][0], "nan"), *rows[2501:]]


def late_word(rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [*rows[:2900], (rows[2900][0], "high"), *rows[2901:]]


@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [(late_duplicate, Status.WRONG_IDS, "appears 2 times"),
     (duplicate_in_one_block, Status.WRONG_IDS, "appears 2 times"),
     (extra_duplicate, Status.WRONG_ROW_COUNT, "appears 2 times"),
     (missing_one, Status.WRONG_ROW_COUNT, "1 test id(s) missing"),
     (unknown_id, Status.WRONG_IDS, "'99999999'"),
     (late_nan, Status.NOT_FINITE, "is nan for id"),
     (late_word, Status.WRONG_TYPE, "row 2901")],
)  # fmt: skip
def test_a_fault_in_a_late_block_gets_the_same_refusal(
    fault, status: Status, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    holdout = holdout_of(SPEC, list(zip(IDS, TRUTH.tolist(), strict=True)))
    rows = fault(shuffled_rows())
    whole = score(holdout, rows, tmp_path / "whole.csv", False, monkeypatch)
    blocks = score(holdout, rows, tmp_path / "blocks.csv", True, monkeypatch)
    assert blocks.status is status and words in blocks.reason
    assert blocks == whole


def test_a_probability_outside_0_1_late_gets_the_same_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    classes = RNG.integers(0, 2, N).tolist()
    holdout = holdout_of(BINARY, list(zip(IDS, classes, strict=True)))
    rows = [(i, repr(float(p))) for i, p in zip(IDS, RNG.uniform(0, 1, N), strict=True)]
    good = score(holdout, rows, tmp_path / "good.csv", True, monkeypatch, BINARY)
    assert good == score(holdout, rows, tmp_path / "whole.csv", False, monkeypatch, BINARY)
    rows[2700] = (rows[2700][0], "1.5")
    whole = score(holdout, rows, tmp_path / "whole.csv", False, monkeypatch, BINARY)
    blocks = score(holdout, rows, tmp_path / "blocks.csv", True, monkeypatch, BINARY)
    assert good.valid and blocks.status is Status.WRONG_TYPE and "outside [0, 1]" in blocks.reason
    assert blocks == whole


def test_labels_read_in_small_blocks_are_the_labels_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = csv_bytes("id,target", list(zip(IDS, TRUTH.tolist(), strict=True)))
    whole = split_holdout(SPEC, read_labels(SPEC, data), SALT)
    monkeypatch.setattr(labels, "LABELS_BLOCK_BYTES", SMALL_BLOCK)
    blocks = split_holdout(SPEC, read_labels(SPEC, data), SALT)
    assert blocks.labels is not whole.labels  # read again, not the cached split
    assert blocks.labels.ids.equals(whole.labels.ids) and blocks.labels.ids.to_pylist() == IDS
    assert blocks.labels.y.tolist() == whole.labels.y.tolist() == TRUTH.tolist()
    assert blocks.public.tolist() == whole.public.tolist()
    assert blocks.labels.index.integer and blocks.public_rows == whole.public_rows


def test_classification_labels_read_in_small_blocks_are_the_labels_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    classes = RNG.integers(0, 2, N).tolist()
    path = tmp_path / "labels.csv"
    path.write_bytes(csv_bytes("id,target", list(zip(IDS, classes, strict=True))))
    whole = read_labels(BINARY, path.read_bytes())
    monkeypatch.setattr(labels, "LABELS_BLOCK_BYTES", SMALL_BLOCK)
    monkeypatch.setattr(files, "STREAMED_BYTES", 0)  # the path mapped, let go of as read
    blocks = read_labels(BINARY, path)
    assert blocks.y.tolist() == whole.y.tolist() == classes
    assert blocks.ids.equals(whole.ids) and blocks.n_classes == whole.n_classes == 2


def late(rows: list[tuple[str, object]], row: int, value: tuple[str, object]) -> bytes:
    return csv_bytes("id,target", [*rows[:row], value, *rows[row + 1 :]])


@pytest.mark.parametrize(
    ("edit", "words"),
    [(lambda r: late(r, 2900, (r[3][0], 1.0)), f"repeats the id '{IDS[3]}'"),
     (lambda r: late(r, 2900, (r[2900][0], "nan")), "NaN or infinite target"),
     (lambda r: late(r, 2900, (r[2900][0], "")), "an empty id or target"),
     (lambda r: late(r, 2900, (r[2900][0], "x")), "row 2901")],
)  # fmt: skip
def test_a_fault_late_in_the_labels_gets_the_same_error(
    edit, words: str, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    data = edit(list(zip(IDS, TRUTH.tolist(), strict=True)))
    with pytest.raises(InvalidHoldout) as whole:
        read_labels(SPEC, data)
    monkeypatch.setattr(labels, "LABELS_BLOCK_BYTES", SMALL_BLOCK)
    with pytest.raises(InvalidHoldout) as blocks:
        read_labels(SPEC, data)
    assert words in str(blocks.value) and str(blocks.value) == str(whole.value)


def test_crlf_labels_without_a_last_line_end_read_in_blocks_as_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = csv_bytes("id,target", list(zip(IDS, TRUTH.tolist(), strict=True)))
    data = b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n").rstrip(b"\r\n")  # BOM, CRLF, no end
    whole = read_labels(SPEC, data)
    monkeypatch.setattr(labels, "LABELS_BLOCK_BYTES", SMALL_BLOCK)
    blocks = read_labels(SPEC, data)
    assert blocks.ids.to_pylist() == IDS and blocks.y.tolist() == TRUTH.tolist()
    assert blocks.ids.equals(whole.ids) and blocks.y.tolist() == whole.y.tolist()
