"""A predictions file in any row order and any format (plain, quoted or gzip CSV, Parquet;
one column or a multiclass file's k) is read in blocks and lined up by id (streamed.py),
and the labels are read in blocks (labels.read_labels): the same scores to the bit, the
same holdout, and a bad file or labels file gets the same status and reason as when read
whole, wherever in it the fault is. Blocks here are a few hundred bytes, so a 3,000-row
file spans dozens of them."""

import functools
import gzip
import io
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.errors import InvalidHoldout
from oracle.scoring import fast_csv, files, labels, read_labels, score_submission, split_holdout
from oracle.scoring import streamed as streamed_module
from oracle.scoring.engine import ScoreResult
from oracle.scoring.labels import Holdout, Labels
from oracle.scoring.predictions import check_values
from oracle.scoring.rejection import ArtifactRejected
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


def streamed_of(spec: ChallengeSpec, data: bytes, labels: Labels) -> np.ndarray | None:
    """What the block path makes of `data`: the aligned values, or None (not for it)."""
    return streamed_values(spec, data, labels, functools.partial(check_values, spec))


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
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 2**40)  # not the in-order fast path
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
    aligned = streamed_of(SPEC, data, holdout.labels)
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
    assert holdout.labels.index.sorted_ints is not None and holdout.labels.index.order is None
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


def parquet_bytes(rows: list[tuple[str, str]], row_group: int) -> bytes:
    table = pa.table({"id": [i for i, _ in rows], "prediction": [float(p) for _, p in rows]})
    sink = io.BytesIO()
    pq.write_table(table, sink, row_group_size=row_group)
    return sink.getvalue()


def quoted_csv(rows: list[tuple[str, str]]) -> bytes:
    return csv_bytes('"id","prediction"', [(f'"{i}"', f'"{p}"') for i, p in rows])


FORMATS: dict[str, Callable[[list[tuple[str, str]]], bytes]] = {
    "quoted csv": quoted_csv,
    "gzip csv": lambda rows: gzip.compress(csv_bytes("id,prediction", rows)),
    "gzip csv, three members": lambda rows: b"".join(
        gzip.compress(csv_bytes("id,prediction", part) if k == 0 else
                      "".join(f"{i},{p}\n" for i, p in part).encode())
        for k, part in enumerate((rows[:1000], rows[1000:1001], rows[1001:]))),
    "gzip quoted csv": lambda rows: gzip.compress(quoted_csv(rows)),
    "parquet, row groups of 97": lambda rows: parquet_bytes(rows, 97),
}  # fmt: skip


def score_bytes(
    holdout: Holdout, data: bytes, path: Path, streamed: bool, monkeypatch: pytest.MonkeyPatch,
    spec: ChallengeSpec = SPEC,
) -> ScoreResult:  # fmt: skip
    """`data` written to `path` and scored, streamed in small blocks or read whole."""
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 2**40)  # not the in-order fast path
    monkeypatch.setattr(files, "STREAMED_BYTES", 0)
    monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0 if streamed else 2**40)
    monkeypatch.setattr(streamed_module, "BLOCK_BYTES", SMALL_BLOCK)
    path.write_bytes(data)
    return score_submission(spec, holdout, path)


@pytest.mark.parametrize("shuffled", [False, True], ids=["in order", "shuffled"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_read_in_blocks_and_scores_the_same_to_the_bit(
    fmt: str, shuffled: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holdout = holdout_of(SPEC, list(zip(IDS, TRUTH.tolist(), strict=True)))
    rows = (
        shuffled_rows()
        if shuffled
        else [(i, repr(p)) for i, p in zip(IDS, PREDICTIONS.tolist(), strict=True)]
    )
    data = FORMATS[fmt](rows)
    whole = score_bytes(holdout, data, tmp_path / "whole", False, monkeypatch)
    blocks = score_bytes(holdout, data, tmp_path / "blocks", True, monkeypatch)
    aligned = streamed_of(SPEC, data, holdout.labels)
    assert aligned is not None  # it did take the block path, to the end
    assert aligned.tolist() == [PREDICTIONS[IDS.index(i)] for i in holdout.labels.ids.to_pylist()]
    assert whole.valid and blocks == whole


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("fault", "status", "words"),
    [(late_duplicate, Status.WRONG_IDS, "appears 2 times"),
     (missing_one, Status.WRONG_ROW_COUNT, "1 test id(s) missing"),
     (late_nan, Status.NOT_FINITE, "is nan for id")],
)  # fmt: skip
def test_a_fault_late_in_any_format_gets_the_same_refusal(
    fmt: str, fault, status: Status, words: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    holdout = holdout_of(SPEC, list(zip(IDS, TRUTH.tolist(), strict=True)))
    data = FORMATS[fmt](fault(shuffled_rows()))
    whole = score_bytes(holdout, data, tmp_path / "whole", False, monkeypatch)
    blocks = score_bytes(holdout, data, tmp_path / "blocks", True, monkeypatch)
    assert blocks.status is status and words in blocks.reason
    assert blocks == whole


def test_text_ids_in_order_are_streamed_and_shuffled_are_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text_ids = [f"user-{i}" for i in IDS]
    holdout = holdout_of(SPEC, list(zip(text_ids, TRUTH.tolist(), strict=True)))
    assert not holdout.labels.index.integer
    rows = [(i, repr(p)) for i, p in zip(text_ids, PREDICTIONS.tolist(), strict=True)]
    shuffled = [rows[i] for i in RNG.permutation(N)]
    monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0)
    monkeypatch.setattr(streamed_module, "BLOCK_BYTES", SMALL_BLOCK)
    assert streamed_of(SPEC, csv_bytes("id,prediction", rows), holdout.labels) is not None
    assert streamed_of(SPEC, csv_bytes("id,prediction", shuffled), holdout.labels) is None
    in_order, other = (score_bytes(holdout, csv_bytes("id,prediction", r), tmp_path / name,
                                   True, monkeypatch)
                       for name, r in (("in order", rows), ("shuffled", shuffled)))  # fmt: skip
    assert in_order.valid and in_order == other


def test_a_quoted_line_break_cut_at_a_block_end_is_left_to_the_whole_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A quoted id may hold a line break (Arrow reads it whole); a block cut there would
    split the row, so the block path gives up and the general path reads the file."""
    text_ids = [f"line\n{i}" if k == 1500 else f"user-{i}" for k, i in enumerate(IDS)]
    holdout = holdout_of(
        SPEC, [(f'"{i}"', t) for i, t in zip(text_ids, TRUTH.tolist(), strict=True)]
    )
    assert holdout.labels.ids[1500].as_py() == f"line\n{IDS[1500]}"
    rows = [(f'"{i}"', repr(p)) for i, p in zip(text_ids, PREDICTIONS.tolist(), strict=True)]
    data = csv_bytes("id,prediction", rows)
    monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0)
    monkeypatch.setattr(streamed_module, "BLOCK_BYTES", SMALL_BLOCK)
    assert streamed_of(SPEC, data, holdout.labels) is None
    whole = score_bytes(holdout, data, tmp_path / "whole", False, monkeypatch)
    blocks = score_bytes(holdout, data, tmp_path / "blocks", True, monkeypatch)
    assert whole.valid and blocks == whole


def test_a_gzip_bomb_late_in_the_stream_is_refused_as_it_is_inflated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The block path stops at the limit with the general path's refusal (the same
    inflater), raising it itself instead of reading the file again."""
    holdout = holdout_of(SPEC, list(zip(IDS, TRUTH.tolist(), strict=True)))
    good = csv_bytes("id,prediction", shuffled_rows())
    limit = 2 * len(good)
    spec = make_spec(max_artifact_bytes=limit, max_uncompressed_bytes=limit)
    bomb = gzip.compress(good + b"0" * 50_000_000, 9)  # inflates to 50 MB
    assert len(bomb) < limit
    monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0)
    monkeypatch.setattr(streamed_module, "BLOCK_BYTES", SMALL_BLOCK)
    with pytest.raises(ArtifactRejected) as raised:
        streamed_of(spec, bomb, holdout.labels)
    whole = score_submission(spec, holdout, bomb)
    assert raised.value.status is whole.status is Status.TOO_LARGE
    assert raised.value.reason == whole.reason and "decompression bomb" in whole.reason


MULTICLASS = make_spec("digits-multiclass", max_artifact_bytes=2**30)
HEADER = "id," + ",".join(MULTICLASS.columns.prediction)


def class_rows(seed: int) -> list[tuple[str, ...]]:
    """A probability row per id, each summing to 1 as written (rows drawn from a Dirichlet)."""
    chances = np.random.default_rng(seed).dirichlet(np.ones(10), N)
    return [(i, *map(repr, row.tolist())) for i, row in zip(IDS, chances, strict=True)]


def multiclass_holdout() -> Holdout:
    return holdout_of(MULTICLASS, [(i, k % 10) for k, i in enumerate(IDS)])


@pytest.mark.parametrize("shuffled", [False, True], ids=["in order", "shuffled"])
def test_a_multiclass_file_is_read_in_blocks_and_scores_the_same_to_the_bit(
    shuffled: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holdout = multiclass_holdout()
    rows = class_rows(1)
    if shuffled:
        rows = [rows[i] for i in RNG.permutation(N)]
    data = csv_bytes(HEADER, rows)
    whole = score_bytes(holdout, data, tmp_path / "whole", False, monkeypatch, MULTICLASS)
    blocks = score_bytes(holdout, data, tmp_path / "blocks", True, monkeypatch, MULTICLASS)
    aligned = streamed_of(MULTICLASS, data, holdout.labels)
    assert aligned is not None and aligned.shape == (N, 10)
    by_id = {row[0]: [float(v) for v in row[1:]] for row in rows}
    assert aligned.tolist() == [by_id[i] for i in holdout.labels.ids.to_pylist()]
    assert whole.valid and blocks == whole


@pytest.mark.parametrize(
    ("value", "words"),
    [("0.5", "sum to"), ("1.5", "outside [0, 1]"), ("nan", "is nan for id")],
)
def test_a_bad_multiclass_row_late_gets_the_same_refusal(
    value: str, words: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holdout = multiclass_holdout()
    rows = class_rows(2)
    rows = [rows[i] for i in RNG.permutation(N)]
    rows[2800] = (rows[2800][0], value, *rows[2800][2:])
    data = csv_bytes(HEADER, rows)
    whole = score_bytes(holdout, data, tmp_path / "whole", False, monkeypatch, MULTICLASS)
    blocks = score_bytes(holdout, data, tmp_path / "blocks", True, monkeypatch, MULTICLASS)
    assert not blocks.valid and words in blocks.reason and f"'{rows[2800][0]}'" in blocks.reason
    assert blocks == whole
