"""Ids are strings compared byte for byte; integer-looking ids take a faster path that must
match exactly the same rows."""

import numpy as np
import pyarrow as pa
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.scoring import read_labels, score_submission, split_holdout
from oracle.scoring.ids import IdIndex, canonical_ints
from oracle.status import Status


@pytest.mark.parametrize(
    "ids",
    [["0", "7", "-3", "10", "999", "1000"], ["1000000000000000000", "9223372036854775807",
     "-9223372036854775807"], []],
)  # fmt: skip
def test_canonical_integer_ids_are_read_as_int64(ids: list[str]) -> None:
    assert canonical_ints(pa.array(ids, pa.string())).tolist() == [int(i) for i in ids]


@pytest.mark.parametrize("odd", ["007", "+7", "-0", " 7", "7 ", "1e3", "0x10", "٣", "",
                                 "-9223372036854775808", "9223372036854775808"])  # fmt: skip
def test_other_spellings_keep_the_string_path(odd: str) -> None:
    assert canonical_ints(pa.array(["1", odd, "2"], pa.string())) is None


def test_both_paths_locate_the_same_rows() -> None:
    rng = np.random.default_rng(2)
    ids = pa.array([str(i) for i in rng.permutation(5000) - 2500])
    queries = pa.array([str(i) for i in rng.integers(-2600, 2600, 3000)])
    fast = IdIndex.build(ids)
    assert fast.sorted_ints is not None
    assert fast.locate(queries).tolist() == IdIndex(ids).locate(queries).tolist()


def test_a_zero_padded_id_is_not_the_same_row() -> None:
    spec = make_spec(max_artifact_bytes=4096)
    rows = [(i, float(i)) for i in range(40)]
    holdout = split_holdout(spec, read_labels(spec, csv_bytes("id,target", rows)), SALT)
    padded = csv_bytes("id,prediction", [("07" if i == 7 else i, t) for i, t in rows])
    result = score_submission(spec, holdout, padded)
    assert result.status is Status.WRONG_IDS
    assert "missing, e.g. '7'" in result.reason and "e.g. '07'" in result.reason
