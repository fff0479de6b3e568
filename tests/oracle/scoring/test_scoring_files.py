"""Every way a predictions file can be wrong gives its status and a reason a person can act on;
the same predictions in CSV, gzip CSV, Parquet or any row order give the same scores."""

import gzip
import io
import os
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.scoring import fast_csv, files, read_labels, score_submission, split_holdout, streamed
from oracle.scoring.engine import ScoreResult
from oracle.scoring.files import read_table
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import ChallengeSpec
from oracle.status import Status

N = 40
IDS = [f"r{i}" for i in range(N)]
TRUTH = np.arange(N, dtype=np.float64)
GOOD = csv_bytes("id,prediction", [(i, float(t) + 0.5) for i, t in zip(IDS, TRUTH, strict=True)])


def score(data: bytes, spec: ChallengeSpec | None = None) -> ScoreResult:
    spec = spec or make_spec(max_artifact_bytes=4096)
    labels = read_labels(spec, csv_bytes("id,target", list(zip(IDS, TRUTH, strict=True))))
    return score_submission(spec, split_holdout(spec, labels, SALT), data)


def parquet(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


@pytest.fixture(params=["general path", "fast path", "streamed path"])
def either_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small files take the general path; with a size limit lifted, the same files try the
    compiled fast path first (fast_csv), or are read in blocks of a few rows (streamed.py):
    every path must give the same verdicts."""
    if request.param == "fast path":
        monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 0)
    if request.param == "streamed path":
        monkeypatch.setattr(streamed, "STREAMED_FILE_BYTES", 0)
        monkeypatch.setattr(streamed, "BLOCK_BYTES", 64)


@pytest.mark.usefixtures("either_path")
def test_a_good_file_scores() -> None:
    result = score(GOOD)
    assert result.status is Status.VALID and result.reason == "ok"
    assert result.public_score == result.private_score == 0.5
    assert result.rows == N and result.public_rows + result.private_rows == N


def zip_of(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("p.csv", data)
    return buffer.getvalue()


def rows_replaced(old: bytes, new: bytes) -> Callable[[bytes], bytes]:
    return lambda b: b.replace(old, new, 1)


CASES: list[tuple[str, Callable[[bytes], bytes], Status, str]] = [
    ("empty", lambda b: b"", Status.UNREADABLE, "empty"),
    ("blank", lambda b: b"\n\n  \n", Status.UNREADABLE, "empty"),
    ("corrupt gzip", lambda b: gzip.compress(b)[:12] + b"garbage!" * 4, Status.UNREADABLE, "gzip"),
    ("truncated gzip", lambda b: gzip.compress(b)[:-30], Status.UNREADABLE, "truncated"),
    ("zip", zip_of, Status.UNREADABLE, "zip archive"),
    ("latin-1", lambda b: b.replace(b"r3,", b"r\xe9,"), Status.UNREADABLE, "UTF-8"),
    ("bad parquet", lambda b: b"PAR1" + b"\x00" * 50 + b"PAR1", Status.UNREADABLE, "Parquet"),
    ("missing column", rows_replaced(b"id,prediction", b"id,pred"), Status.WRONG_FORMAT,
     "missing 'prediction'"),
    ("extra column", lambda b: b.replace(b"\n", b",1\n").replace(b"prediction,1", b"prediction,x"),
     Status.WRONG_FORMAT, "unexpected 'x'"),
    ("repeated column", rows_replaced(b"id,prediction", b"id,prediction,prediction"),
     Status.WRONG_FORMAT, "repeated 'prediction'"),
    ("ragged row", rows_replaced(b"r5,5.5", b"r5,5.5,7"), Status.WRONG_FORMAT,
     "row 6 (id 'r5') has 3 field(s); every row has the header's 2"),
    ("unknown id", rows_replaced(b"r7,", b"zz,"), Status.WRONG_IDS,
     "1 test id(s) missing, e.g. 'r7'; 1 id(s) not in the test set, e.g. 'zz'"),
    ("duplicate id", rows_replaced(b"r7,", b"r6,"), Status.WRONG_IDS, "'r6' appears 2 times"),
    ("row missing", lambda b: b.rsplit(b"\n", 2)[0] + b"\n", Status.WRONG_ROW_COUNT,
     "the file has 39 rows; the test set has 40 (1 test id(s) missing, e.g. 'r39')"),
    ("row added", lambda b: b + b"r40,1\n", Status.WRONG_ROW_COUNT,
     "not in the test set, e.g. 'r40'"),
    ("header only", lambda b: b"id,prediction\n", Status.WRONG_ROW_COUNT, "has 0 rows"),
    ("NaN", rows_replaced(b"r5,5.5", b"r5,nan"), Status.NOT_FINITE, "is nan for id 'r5'"),
    ("inf", rows_replaced(b"r5,5.5", b"r5,-inf"), Status.NOT_FINITE, "is -inf for id 'r5'"),
    ("overflow", rows_replaced(b"r5,5.5", b"r5,1e999"), Status.NOT_FINITE, "is inf"),
    ("empty cell", rows_replaced(b"r5,5.5", b"r5,"), Status.WRONG_TYPE, "empty for id 'r5'"),
    ("text", rows_replaced(b"r5,5.5", b"r5,five"), Status.WRONG_TYPE,
     "column 'prediction' of row 6 (id 'r5') is 'five', not a number; write"),
    ("too large", lambda b: b + b"#" * 5000, Status.TOO_LARGE,
     "over the challenge's limit of 4096"),
    ("gzip bomb", lambda b: gzip.compress(b"id,prediction\n" + b"0" * 2_000_000, 9),
     Status.TOO_LARGE, "decompression bomb"),
]  # fmt: skip


@pytest.mark.usefixtures("either_path")
@pytest.mark.parametrize(("name", "mutate", "status", "reason"), CASES, ids=[c[0] for c in CASES])
def test_invalid_file_gets_its_status_and_reason(
    name: str, mutate: Callable[[bytes], bytes], status: Status, reason: str
) -> None:
    result = score(mutate(GOOD))
    assert (result.status, result.valid) == (status, False), result.reason
    assert reason in result.reason
    assert result.public_wad is None and result.private_score is None


@pytest.mark.usefixtures("either_path")
def test_parquet_columns_of_the_wrong_type_or_inflating_too_far() -> None:
    text = pa.table({"id": IDS, "prediction": [str(t) for t in TRUTH]})
    result = score(parquet(text))
    assert result.status is Status.WRONG_TYPE and "must hold numbers" in result.reason
    spec = make_spec(max_artifact_bytes=4096, max_uncompressed_bytes=50_000)
    zeros = parquet(pa.table({"id": IDS * 100, "prediction": np.zeros(N * 100)}))
    assert len(zeros) < 4096
    result = score(zeros, spec)
    assert result.status is Status.TOO_LARGE and "decode to about" in result.reason
    long_ids = pa.table({"id": ["x" * 20_000] * N, "prediction": TRUTH})  # dictionary-encoded
    bomb = parquet(long_ids)
    assert len(bomb) < 4096
    result = score(bomb, spec)
    assert result.status is Status.TOO_LARGE and "decode to about" in result.reason


def test_a_large_file_on_disk_is_refused_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(10**9)  # sparse: 1 GB that is never read
    result = score_submission(
        make_spec(max_artifact_bytes=4096),
        split_holdout(make_spec(), read_labels(make_spec(), csv_bytes("id,target", [
            (i, t) for i, t in zip(IDS, TRUTH, strict=True)])), SALT),
        path,
    )  # fmt: skip
    assert result.status is Status.TOO_LARGE


@pytest.mark.usefixtures("either_path")
def test_every_container_and_row_order_gives_identical_results() -> None:
    rng = np.random.default_rng(3)
    preds = TRUTH + rng.normal(size=N)
    order = rng.permutation(N)
    shuffled = csv_bytes("prediction,id", [(repr(float(preds[i])), IDS[i]) for i in order])
    plain = csv_bytes("id,prediction", [(IDS[i], repr(float(preds[i]))) for i in range(N)])
    variants = {
        "csv": plain,
        "crlf + BOM": b"\xef\xbb\xbf" + plain.replace(b"\n", b"\r\n"),
        "gzip": gzip.compress(plain),
        "two gzip members": gzip.compress(plain[:100]) + gzip.compress(plain[100:]),
        "shuffled columns and rows": shuffled,
        "parquet": parquet(pa.table({"id": IDS, "prediction": preds})),
        "parquet float32": parquet(pa.table({"prediction": preds.astype(np.float32).astype(
            np.float64), "id": IDS})),
    }  # fmt: skip
    results = {name: score(data) for name, data in variants.items()}
    assert all(r.valid for r in results.values()), results
    reference = results.pop("parquet float32")
    assert len({(r.public_wad, r.private_wad) for r in results.values()}) == 1
    assert reference.valid


@pytest.mark.parametrize(
    ("row", "reason"),
    [("1.5", "outside [0, 1]; predictions are probabilities of class '1'"), ("-0.1", "outside")],
)
def test_binary_predictions_are_probabilities(row: str, reason: str) -> None:
    spec = make_spec("breast-cancer-binary", max_artifact_bytes=4096)
    truth = [(i, i % 2) for i in range(N)]
    labels = split_holdout(spec, read_labels(spec, csv_bytes("id,target", truth)), SALT)
    good = csv_bytes("id,prediction", [(i, 0.9 if t else 0.1) for i, t in truth])
    assert score_submission(spec, labels, good).public_score == 1.0
    bad = good.replace(b"\n3,0.9\n", f"\n3,{row}\n".encode())
    result = score_submission(spec, labels, bad)
    assert result.status is Status.WRONG_TYPE and reason in result.reason
    assert "id '3'" in result.reason


def test_multiclass_rows_must_sum_to_one() -> None:
    spec = make_spec("digits-multiclass", max_artifact_bytes=2**20)
    truth = [(i, i % 10) for i in range(300)]
    labels = split_holdout(spec, read_labels(spec, csv_bytes("id,target", truth)), SALT)
    header = "id," + ",".join(f"p{c}" for c in range(10))
    rows = [(i, *(0.1,) * 10) for i, _ in truth]
    assert score_submission(spec, labels, csv_bytes(header, rows)).valid
    rows[4] = (4, *(0.2,) * 10)
    result = score_submission(spec, labels, csv_bytes(header, rows))
    assert result.status is Status.WRONG_TYPE
    assert "probabilities of id '4' sum to 1.99999" in result.reason


def test_a_large_csv_read_in_parallel_parts_equals_one_serial_read() -> None:
    rng = np.random.default_rng(5)
    rows = 400_000  # about 9 MiB: above PARALLEL_CSV_BYTES, so cut at line ends
    values = rng.normal(size=rows)
    body = "".join(f"k{i},{v!r}\n" for i, v in enumerate(values.tolist())).encode()
    types = {"id": pa.string(), "prediction": pa.float64()}
    for data in (b"id,prediction\r\n" + body.replace(b"\n", b"\r\n"),
                 b'id,prediction\n"k-quoted",1\n' + body):  # fmt: skip
        assert len(data) > files.PARALLEL_CSV_BYTES
        serial = pa_csv.read_csv(pa.BufferReader(data), convert_options=pa_csv.ConvertOptions(
            column_types=types))  # fmt: skip
        assert read_table(data, types, len(data)).equals(serial)
    broken = b"id,prediction\n" + body + b"k-last,oops\n"
    with pytest.raises(ArtifactRejected, match=r"row 400001 \(id 'k-last'\) is 'oops', not"):
        read_table(broken, types, len(broken))


def test_a_pipe_is_read_like_a_file_and_cut_off_past_the_limit(tmp_path: Path) -> None:
    """Regular files are mapped; a pipe (e.g. /dev/stdin) is read, stopping past the limit."""
    spec = make_spec(max_artifact_bytes=4096)
    holdout = split_holdout(spec, read_labels(spec, csv_bytes("id,target", list(zip(
        IDS, TRUTH, strict=True)))), SALT)  # fmt: skip
    for payload, status in ((GOOD, Status.VALID), (GOOD + b"#" * 5000, Status.TOO_LARGE)):
        fifo = tmp_path / f"pipe-{status.name}"
        os.mkfifo(fifo)
        writer = threading.Thread(target=lambda: fifo.write_bytes(payload))  # noqa: B023
        writer.start()
        result = score_submission(spec, holdout, fifo)
        writer.join(5)
        assert result.status is status, result.reason
    assert score_submission(spec, holdout, tmp_path / "absent.csv").status is Status.UNREADABLE
