"""Property: whatever bytes a predictions or labels file holds (CSV, gzip, Parquet, or none of
them), reading it gives a result or a refusal with a bounded, escaped reason, never another
exception, within a deadline per file (issue 20)."""

import gzip
import io

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.errors import InvalidHoldout
from oracle.scoring import read_labels, score_submission, split_holdout
from oracle.status import Status
from oracle.text import MAX_REASON_CHARS
from tests.hostile_settings import HOSTILE as HOSTILE_INPUT

N = 20
IDS = [f"r{i}" for i in range(N)]
SPECS = {
    "regression": make_spec(max_artifact_bytes=2**20),
    "binary": make_spec("breast-cancer-binary", max_artifact_bytes=2**20),
}
TRUTH = {
    "regression": [float(n) for n in range(N)],
    "binary": [n % 2 for n in range(N)],
}
HOLDOUTS = {
    task: split_holdout(
        spec, read_labels(spec, csv_bytes("id,target", list(zip(IDS, TRUTH[task], strict=True)))),
        SALT,
    )
    for task, spec in SPECS.items()
}  # fmt: skip
RAW_CONTROLS = frozenset("\x00\x07\x1b\x9b\r\n\u202e")
HOSTILE = settings(HOSTILE_INPUT, max_examples=150)

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["NA", "nan", "-inf", "1e999", "", " 0.5", "0x10", "\x1b[2J", '"', "\x00", "1,2", "a\nb"]
)
numbers = st.floats(allow_nan=True, allow_infinity=True).map(repr) | st.integers().map(str)
values = numbers | texts
ids = st.sampled_from(IDS) | texts
headers = st.sampled_from(["id,prediction", "prediction,id", "id,prediction,prediction",
                           "id", "\ufeffid,prediction", '"id","prediction"']) | texts  # fmt: skip


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV close enough to a real one to reach every check: header, rows, values, ends."""
    rows = draw(st.lists(st.tuples(ids, values), max_size=2 * N))  # any rows at all
    if draw(st.booleans()):  # start from the right rows, then spoil a few
        spoiled = draw(st.lists(st.integers(0, N - 1), max_size=2))
        rows = [(i, draw(values) if n in spoiled else "0.5") for n, i in enumerate(IDS)]
        rows += draw(st.lists(st.tuples(ids, values), max_size=2))
    end = draw(st.sampled_from(["\n", "\r\n", ""]))
    text = draw(st.just("id,prediction") | headers) + "\n" + end.join(f"{i},{v}" for i, v in rows)
    text += end
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:  # now and then a field past csv's 128 KiB limit
        data = data.replace(b",", b"," + b"x" * 140_000, 1)
    return data


@st.composite
def gzip_files(draw: st.DrawFn) -> bytes:
    packed = gzip.compress(draw(csv_files()))
    damage = draw(st.sampled_from(["none", "truncate", "flip", "trailing", "bomb"]))
    if damage == "truncate":
        return packed[: draw(st.integers(2, max(2, len(packed) - 1)))]
    if damage == "flip":
        at = draw(st.integers(10, len(packed) - 1))
        return packed[:at] + bytes([packed[at] ^ 0xFF]) + packed[at + 1 :]
    if damage == "trailing":
        return packed + draw(st.binary(min_size=1, max_size=20))
    if damage == "bomb":
        return gzip.compress(b"0" * (30 * 2**20))  # past 20 x max_artifact_bytes
    return packed


@st.composite
def parquet_files(draw: st.DrawFn) -> bytes:
    names = draw(st.lists(st.sampled_from(["id", "prediction", "x"]) | texts, min_size=1,
                          max_size=4, unique=True))  # fmt: skip
    kinds = {"f": (pa.float64(), values), "s": (pa.string(), texts), "i": (pa.int64(), ids)}
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(sorted(kinds)))
        if kind == "f":
            column = pa.array(draw(st.lists(st.floats(), min_size=N, max_size=N)), pa.float64())
        elif kind == "i":
            column = pa.array(draw(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=N,
                                            max_size=N)), pa.int64())  # fmt: skip
        else:
            column = pa.array(draw(st.lists(ids, min_size=N, max_size=N)), pa.string())
        columns[name] = column
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    data = buffer.getvalue()
    cut = draw(st.sampled_from([None, 8, len(data) // 2, len(data) - 3]))
    return data if cut is None else data[:cut] + data[-4:]  # truncated, still "PAR1" at the end


any_file = (
    csv_files()
    | gzip_files()
    | parquet_files()
    | st.binary(max_size=200)
    | st.binary(max_size=10).map(lambda b: b"PAR1" + b + b"PAR1")
)


def assert_safe(reason: str) -> None:
    assert 0 < len(reason) <= MAX_REASON_CHARS
    assert not RAW_CONTROLS.intersection(reason), reason


@HOSTILE
@given(any_file, st.sampled_from(sorted(SPECS)))
@example(b"id,prediction," + b"x" * 200_000 + b"\n", "regression")
@example(("id,prediction," + ",".join(f"c{n}" for n in range(30_000))).encode(), "binary")
def test_any_predictions_file_gets_a_status_and_a_safe_reason(data: bytes, task: str) -> None:
    result = score_submission(SPECS[task], HOLDOUTS[task], data)
    assert isinstance(result.status, Status)
    if result.valid:
        assert result.public_wad is not None and result.private_wad is not None
    else:
        assert result.public_wad is None
        assert_safe(result.reason)


@HOSTILE
@given(any_file)
def test_any_labels_file_is_read_or_refused_as_the_owner_s_problem(data: bytes) -> None:
    try:
        labels = read_labels(SPECS["regression"], data)
    except InvalidHoldout as exc:
        assert len(str(exc)) <= MAX_REASON_CHARS + 100 and "\x1b" not in str(exc)
    else:
        assert len(labels) > 0
