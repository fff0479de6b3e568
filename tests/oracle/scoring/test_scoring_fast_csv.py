"""The compiled fast path for large in-order `id,prediction` CSV files gives exactly the
numbers of the general path (Arrow's parser, bit for bit), and leaves every other file to it."""

import math

import numpy as np
import pyarrow as pa
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.scoring import fast_csv, read_labels, score_submission, split_holdout
from oracle.scoring.fast_csv import aligned_values
from oracle.scoring.files import read_table
from oracle.scoring.labels import Labels
from oracle.scoring.rejection import ArtifactRejected
from oracle.status import Status

N = 2_000
SPEC = make_spec(max_artifact_bytes=2**30)
THRESHOLD = fast_csv.FAST_CSV_BYTES  # before the fixture below lifts it
# Spellings people's tools write (printf, repr, numpy.savetxt, R) and odd ones
SPELLINGS = [
    "3.295993", "-3.295993", "5", "-0", "-0.0", "0.0", "007.50", "0.1000000000000000055511",
    "2.2250738585072014e-308", "3.2959932184034023", "9007199254740992", "9007199254740993",
    "123456789012345678901234567890", "0.30000000000000004", "1e5", "1E-5", "-2.5e+3",
    "3.295993000000000162e+00", "1.", ".5", "-.5", "+1.5", "4.9e-324", "1e999", "-",
    ".", "1-2", "1e", "e5", "--1", "1.2.3",
]  # fmt: skip


@pytest.fixture(autouse=True)
def every_size_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 0)  # small test files, same code


def labels_of(ids: list[str]) -> Labels:
    return read_labels(SPEC, csv_bytes("id,target", [(i, 1.0) for i in ids]))


def file_of(ids: list[str], values: list[str], newline: str = "\n", last: str = "\n") -> bytes:
    lines = [f"{i},{v}" for i, v in zip(ids, values, strict=True)]
    return ("id,prediction" + newline + newline.join(lines) + last).encode()


def general(data: bytes) -> np.ndarray | ArtifactRejected:
    """What Arrow's parser makes of the file's prediction column (rows in file order)."""
    types = {"id": pa.string(), "prediction": pa.float64()}
    try:
        column = read_table(data, types, 2**30).column("prediction").combine_chunks()
    except ArtifactRejected as exc:
        return exc
    return column.to_numpy(zero_copy_only=False)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return bool(np.array_equal(a.view(np.uint64), b.view(np.uint64)))


IDS = [str(i) for i in range(N)]
LABELS = labels_of(IDS)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_each_spelling_is_read_as_arrow_reads_it_or_left_to_arrow(spelling: str) -> None:
    values = [f"{v:.6f}" for v in np.random.default_rng(0).normal(size=N)]
    values[N // 2] = spelling
    data = file_of(IDS, values)
    fast, reference = aligned_values(data, "id", "prediction", LABELS), general(data)
    if isinstance(reference, ArtifactRejected) or reference.dtype != np.float64:
        assert fast is None, f"{spelling!r}: Arrow refuses it, the fast path took it"
    elif fast is None:
        assert spelling in {"e5", "1e"}, f"{spelling!r} is a number to Arrow: read it"
    else:
        assert same_bits(fast, reference), spelling


@pytest.mark.parametrize(
    ("style", "newline", "last"),
    [("%.6f", "\n", "\n"), ("repr", "\r\n", "\r\n"), ("%.18e", "\n", ""), ("%g", "\r\n", "")],
)
def test_random_files_equal_arrow_bit_for_bit(style: str, newline: str, last: str) -> None:
    rng = np.random.default_rng(len(style))
    numbers = rng.normal(size=N) * 10.0 ** rng.integers(-8, 8, N)
    values = [repr(float(v)) if style == "repr" else style % v for v in numbers]
    data = file_of(IDS, values, newline, last)
    fast = aligned_values(data, "id", "prediction", LABELS)
    assert fast is not None, "an in-order file of numbers must take the fast path"
    reference = general(data)
    assert isinstance(reference, np.ndarray) and same_bits(fast, reference)


def test_string_ids_and_a_byte_order_mark() -> None:
    ids = [f"user-{i:05d}" for i in range(N)]
    values = [f"{v:.4f}" for v in np.linspace(-1, 1, N)]
    data = b"\xef\xbb\xbf" + file_of(ids, values)
    fast = aligned_values(data, "id", "prediction", labels_of(ids))
    assert fast is not None and same_bits(fast, np.array([float(v) for v in values]))


GOOD = file_of(IDS, [f"{i / 7:.5f}" for i in range(N)])
NOT_FAST = {
    "shuffled": GOOD.replace(b"\n0,", b"\n1,", 1).replace(b"\n1,0.14286", b"\n0,0.14286", 1),
    "a row missing": GOOD.rsplit(b"\n", 2)[0] + b"\n",
    "a row added": GOOD + b"2000,1.0\n",
    "an unknown id": GOOD.replace(b"\n17,", b"\n17x,"),
    "quoted": GOOD.replace(b"\n5,0.71429", b'\n5,"0.71429"'),
    "a space": GOOD.replace(b"\n5,0.71429", b"\n5, 0.71429"),
    "an empty cell": GOOD.replace(b"\n5,0.71429", b"\n5,"),
    "nan": GOOD.replace(b"\n5,0.71429", b"\n5,nan"),
    "a lone CR": GOOD.replace(b"\n5,0.71429\n", b"\n5,0.71429\r"),
    "an empty line": GOOD.replace(b"\n5,", b"\n\n5,"),
    "columns swapped": GOOD.replace(b"id,prediction", b"prediction,id", 1),
    "an extra column": GOOD.replace(b"id,prediction", b"id,prediction,x", 1),
    "a ragged row": GOOD.replace(b"\n5,0.71429", b"\n5,0.71429,3"),
    "gzip": __import__("gzip").compress(GOOD),
}


@pytest.mark.parametrize("name", NOT_FAST)
def test_other_files_are_left_to_the_general_path(name: str) -> None:
    assert aligned_values(NOT_FAST[name], "id", "prediction", LABELS) is None


def test_ids_that_need_quotes_never_take_the_fast_path() -> None:
    ids = [f"a,{i}" if i == 3 else str(i) for i in range(N)]
    labels = labels_of([f'"{i}"' if "," in i else i for i in ids])
    assert labels.ids[3].as_py() == "a,3" and labels.unquoted_ids is None
    assert aligned_values(GOOD, "id", "prediction", labels) is None


@pytest.mark.parametrize(
    ("value", "status", "reason"),
    [("1e999", Status.NOT_FINITE, "is inf for id '5'"),
     ("1.5", Status.WRONG_TYPE, "id '5' has a prediction outside [0, 1]")],
)  # fmt: skip
def test_refusals_after_the_fast_read_name_the_row(value: str, status: Status, reason: str) -> None:
    binary = status is Status.WRONG_TYPE
    spec = make_spec("breast-cancer-binary" if binary else "diabetes-regression")
    truth = [(i, spec.classes[int(i) % 2] if binary else 1.0) for i in IDS]
    labels = read_labels(spec, csv_bytes(f"id,{spec.columns.target}", truth))
    values = [f"{i / N:.5f}" for i in range(N)]
    values[5] = value
    data = file_of(IDS, values).replace(b"prediction", spec.columns.prediction[0].encode(), 1)
    assert aligned_values(data, "id", spec.columns.prediction[0], labels) is not None
    result = score_submission(spec, split_holdout(spec, labels, SALT), data)
    assert (result.status, result.valid) == (status, False) and reason in result.reason


def test_scores_of_a_large_file_equal_the_general_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(7)
    ids = [str(i) for i in range(200_000)]
    truth = rng.integers(1, 6, len(ids)).astype(float)
    spec = make_spec(max_artifact_bytes=2**30)
    labels = read_labels(spec, csv_bytes("id,target", list(zip(ids, truth, strict=True))))
    holdout = split_holdout(spec, labels, SALT)
    data = file_of(ids, [f"{v:.6f}" for v in truth + rng.normal(0, 0.9, len(ids))])
    assert aligned_values(data, "id", "prediction", labels) is not None
    fast = score_submission(spec, holdout, data)
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", math.inf)
    assert fast.valid and fast == score_submission(spec, holdout, data)


def test_files_from_the_size_threshold_on_take_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", THRESHOLD)
    rows = THRESHOLD // 11 + 1  # most rows are "123456,0.50\n", 12 bytes
    ids = [str(i) for i in range(rows)]
    labels = labels_of(ids)
    data = file_of(ids, ["0.50"] * rows)
    assert len(data) >= THRESHOLD
    assert aligned_values(data, "id", "prediction", labels) is not None
    cut = data[: THRESHOLD - 1]
    cut = cut[: cut.rindex(b"\n") + 1]
    assert aligned_values(cut, "id", "prediction", labels_of(ids[: cut.count(b"\n") - 1])) is None
