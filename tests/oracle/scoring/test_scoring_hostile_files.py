"""Files written to break the reader (issue 20): each gets a status and a reason that is short,
escaped and names the column, the row's id and the fix, in time linear in the file's size."""

import json

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.scoring import read_labels, score_submission, split_holdout
from oracle.scoring.engine import ScoreResult
from oracle.status import Status
from oracle.text import MAX_REASON_CHARS

N = 40
IDS = [f"r{i}" for i in range(N)]
SPEC = make_spec(max_artifact_bytes=2**24)
HOLDOUT = split_holdout(
    SPEC, read_labels(SPEC, csv_bytes("id,target", [(i, float(n)) for n, i in enumerate(IDS)])),
    SALT,
)  # fmt: skip
CONTROLS = "\x00\x07\x1b\x9b\u202e"  # NUL, BEL, ESC, CSI, a bidi override


def score(data: bytes) -> ScoreResult:
    return score_submission(SPEC, HOLDOUT, data)


def rows(value_of: dict[int, str] | None = None, id_of: dict[int, str] | None = None) -> bytes:
    value_of, id_of = value_of or {}, id_of or {}
    lines = [f"{id_of.get(n, i)},{value_of.get(n, '0.5')}" for n, i in enumerate(IDS)]
    return ("id,prediction\n" + "\n".join(lines) + "\n").encode()


def assert_safe(reason: str) -> None:
    """What a reason must be wherever it is shown: bounded, one line, no raw controls."""
    assert 0 < len(reason) <= MAX_REASON_CHARS
    assert not any(c in reason for c in CONTROLS + "\n\r")
    assert json.loads(json.dumps(reason, ensure_ascii=False)) == reason


@pytest.mark.parametrize("field", [b"x" * 200_000, b'"' + b"y" * 200_000 + b'"'])
def test_a_header_field_over_128_kib_gets_a_status_not_a_traceback(field: bytes) -> None:
    result = score(b"id,prediction," + field + b"\n" + rows().split(b"\n", 1)[1])
    assert result.status is Status.WRONG_FORMAT
    assert "its first line must name the columns: id,prediction" in result.reason
    assert_safe(result.reason)


def test_a_header_line_over_1_mib_is_refused_unparsed() -> None:
    result = score(b"id,prediction," + b"c" * 2**20)
    assert result.status is Status.WRONG_FORMAT
    assert result.reason.startswith("the first line is longer than 1048576 bytes")


@settings(deadline=10_000, max_examples=5)
@given(st.integers(min_value=3, max_value=2_000))
@example(30_000)  # took ~90 s when columns were compared pairwise
def test_a_header_of_many_columns_is_checked_in_linear_time(columns: int) -> None:
    header = ",".join(["id", "prediction", *(f"c{n}" for n in range(columns - 2))])
    result = score(header.encode() + b"\n" + rows().split(b"\n", 1)[1])
    assert result.status is Status.WRONG_FORMAT
    assert f"the file has {columns}: unexpected 'c0'" in result.reason
    assert_safe(result.reason)


def test_na_names_the_column_the_row_the_id_and_the_fix() -> None:
    result = score(rows({5: "NA"}))
    assert result.status is Status.WRONG_TYPE
    assert result.reason.startswith(
        "column 'prediction' of row 6 (id 'r5') is 'NA', not a number; write a number such as "
        "0.25 or 1e-3 in every row"
    )


@pytest.mark.parametrize(
    ("data", "status", "shown"),
    [
        (rows({3: CONTROLS}), Status.WRONG_TYPE, "is '\\x00\\x07\\x1b\\x9b\\u202e', not a number"),
        (rows(id_of={3: "r3\x1b[2J"}), Status.WRONG_IDS, "e.g. 'r3\\x1b[2J'"),
        (rows({3: "1,2\x07"}), Status.WRONG_FORMAT, "row 4 (id 'r3') has 3 field(s)"),
        (b"prediction,id\n0.5,r0\n0.5,r1,2\n", Status.WRONG_FORMAT, "row 2 (id 'r1') has 3"),
        (rows(id_of={3: "r3" + "x" * 300_000}), Status.WRONG_IDS, "'r3xxx"),
        (rows({3: "7" * 300_000 + "z"}), Status.WRONG_TYPE, "'777"),
    ],
    ids=["controls in a value", "escape in an id", "bell in a ragged row", "id column second",
         "300 KB id", "300 KB value"],
)  # fmt: skip
def test_reasons_are_bounded_and_escaped(data: bytes, status: Status, shown: str) -> None:
    result = score(data)
    assert result.status is status and shown in result.reason
    assert_safe(result.reason)


def test_a_row_longer_than_arrow_s_block_says_so() -> None:
    spec = make_spec(max_artifact_bytes=2**26)
    result = score_submission(spec, HOLDOUT, rows({3: "x" * (40 * 2**20)}))
    assert result.status is Status.UNREADABLE
    assert result.reason.startswith("a line is longer than a row may be (16777216 bytes)")
