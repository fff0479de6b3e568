"""Canonical integer test ids are kept as int64 only (sorted; with each id's file row and
each row's sorted place when they do not ascend), never as text. Whatever the order of
the labels' ids, such a holdout scores every file as the same ids kept as text do (the
form every id had before, and non-integer ids still have): the same scores to the bit,
the same refusals with the same status and reason, the same split."""

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from scoring_helpers import SALT, csv_bytes, make_spec

from oracle.scoring import fast_csv, files, ids, labels, public_mask, read_labels, split_holdout
from oracle.scoring import streamed as streamed_module
from oracle.scoring.engine import ScoreResult, score_submission
from oracle.scoring.ids import IdIndex
from oracle.scoring.labels import Holdout, Labels
from oracle.status import Status

N = 3_000
RNG = np.random.default_rng(18)
SPEC = make_spec(max_artifact_bytes=2**30)
TRUTH = RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-6, 7, N)
PREDICTIONS = TRUTH + RNG.normal(0, 1, N) * 10.0 ** RNG.integers(-8, 5, N)
ID_SETS = {
    "random order, negatives": [str(i) for i in RNG.permutation(N) * 7 - 5000],
    "ascending": [str(i) for i in range(-1500, N - 1500)],
    "random order, spread over int64": [str(i) for i in RNG.choice(2**62, N, replace=False)
                                        * RNG.choice([-1, 1], N)],
}  # fmt: skip


def holdout_of(test_ids: list[str]) -> Holdout:
    data = csv_bytes("id,target", list(zip(test_ids, TRUTH.tolist(), strict=True)))
    return split_holdout(SPEC, read_labels(SPEC, data), SALT)


def kept_as_text(holdout: Holdout) -> Holdout:
    """The same labels with their ids kept as Arrow strings, split again from the text."""
    text = Labels(holdout.labels.y, 0, IdIndex(text=holdout.labels.ids))
    return split_holdout(SPEC, text, SALT)


def score(holdout: Holdout, rows: list[tuple[str, str]], path: Path) -> ScoreResult:
    path.write_bytes(csv_bytes("id,prediction", rows))
    return score_submission(SPEC, holdout, path)


def in_order(test_ids: list[str]) -> list[tuple[str, str]]:
    return [(i, repr(p)) for i, p in zip(test_ids, PREDICTIONS.tolist(), strict=True)]


def shuffled(test_ids: list[str]) -> list[tuple[str, str]]:
    rows = in_order(test_ids)
    return [rows[i] for i in np.random.default_rng(5).permutation(N)]


FILES = {
    "in order": in_order,
    "shuffled": shuffled,
    "missing an id": lambda t: shuffled(t)[:-1],
    "an id repeated": lambda t: [*shuffled(t)[:-1], (shuffled(t)[7][0], "1.5")],
    "an unknown id": lambda t: [*in_order(t)[:-1], ("123456789012345", "1.5")],
    "an id past int64": lambda t: [*in_order(t)[:-1], ("99999999999999999999", "1.5")],
    "a zero-padded id": lambda t: [*in_order(t)[:-1], ("0" + t[-1].lstrip("-"), "1.5")],
    "a NaN": lambda t: [*in_order(t)[:-1], (t[-1], "nan")],
}
STATUS = {"in order": Status.VALID, "shuffled": Status.VALID,
          "missing an id": Status.WRONG_ROW_COUNT, "a NaN": Status.NOT_FINITE}  # fmt: skip


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("path", ["whole", "blocks"])
@pytest.mark.parametrize("test_ids", ID_SETS.values(), ids=ID_SETS.keys())
def test_integer_ids_score_as_the_same_ids_kept_as_text(
    test_ids: list[str], path: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    holdout = holdout_of(test_ids)
    assert holdout.labels.index.integer and holdout.labels.index.text is None
    text = kept_as_text(holdout)
    assert not text.labels.index.integer
    assert holdout.public.tolist() == text.public.tolist()
    if path == "blocks":  # the in-order path, the block path, in small blocks
        monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 0)
        monkeypatch.setattr(fast_csv, "READ_BLOCK_ROWS", 256)
        monkeypatch.setattr(files, "STREAMED_BYTES", 0)
        monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0)
        monkeypatch.setattr(streamed_module, "BLOCK_BYTES", 400)
    rows = FILES[kind](test_ids)
    expected = score(text, rows, tmp_path / "text.csv")
    result = score(holdout, rows, tmp_path / "ints.csv")
    assert result == expected  # status, reason, both floats and WADs exactly
    assert result.status is STATUS.get(kind, Status.WRONG_IDS), result.reason
    if kind == "missing an id":  # the id of the test rows named from the integers
        assert f"1 test id(s) missing, e.g. '{shuffled(test_ids)[-1][0]}'" in result.reason


def test_an_in_order_file_takes_the_in_order_path_whatever_the_ids_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 0)
    monkeypatch.setattr(fast_csv, "READ_BLOCK_ROWS", 256)
    for test_ids in ID_SETS.values():
        holdout = holdout_of(test_ids)
        data = csv_bytes("id,prediction", in_order(test_ids))
        aligned = fast_csv.aligned_values(data, "id", "prediction", holdout.labels)
        assert aligned is not None and aligned.tolist() == PREDICTIONS.tolist()


def resident_bytes(thing: Any, seen: set[int] | None = None) -> int:
    """The bytes of every numpy or Arrow array an object holds (each counted once)."""
    seen = set() if seen is None else seen
    if id(thing) in seen:
        return 0
    seen.add(id(thing))
    if isinstance(thing, np.ndarray | pa.Array):
        return int(thing.nbytes)
    if isinstance(thing, tuple | list):
        return sum(resident_bytes(item, seen) for item in thing)
    if hasattr(thing, "__dict__"):
        return sum(resident_bytes(value, seen) for value in vars(thing).values())
    return 0


@pytest.mark.parametrize("test_ids", ID_SETS.values(), ids=ID_SETS.keys())
def test_the_holdout_keeps_8_bytes_an_id_and_no_text(
    test_ids: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """8 bytes an id when they ascend; when not, 12 once loaded (the int32 order), 16 once
    the in-order reader needed the int32 rank; and the 8 of its target: after a
    file in order and a shuffled one have been scored (before, the text stayed beside the
    sorted ids and an int64 order: ~33 bytes a row here)."""
    monkeypatch.setattr(fast_csv, "FAST_CSV_BYTES", 0)
    monkeypatch.setattr(streamed_module, "STREAMED_FILE_BYTES", 0)
    holdout = holdout_of(test_ids)
    ascending = test_ids == sorted(test_ids, key=int)
    assert resident_bytes(holdout.labels.index) == (8 if ascending else 12) * N
    assert score(holdout, in_order(test_ids), tmp_path / "in_order.csv").valid
    assert score(holdout, shuffled(test_ids), tmp_path / "shuffled.csv").valid
    assert resident_bytes(holdout.labels.index) == (8 if ascending else 16) * N
    assert resident_bytes(holdout.labels) == (16 if ascending else 24) * N


@pytest.mark.parametrize("test_ids", ID_SETS.values(), ids=ID_SETS.keys())
def test_the_sorted_ids_order_and_rank_agree_across_blocks(
    test_ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ids, "CANONICAL_BLOCK_ROWS", 100)  # 30 blocks: packing, narrowing
    index = IdIndex.build(pa.array(test_ids))
    assert index.sorted_ints is not None
    values = np.array([int(i) for i in test_ids])
    assert index.sorted_ints.tolist() == sorted(values.tolist())
    if index.order is None:
        assert index.rank is None and values.tolist() == sorted(values.tolist())
        return
    assert index.order.dtype == index.rank.dtype == np.int32  # type: ignore[union-attr]
    assert index.order.tolist() == np.argsort(values).tolist()
    assert index.sorted_ints[index.rank].tolist() == values.tolist()
    assert index.as_text().to_pylist() == test_ids
    rows = np.array([N - 1, 0, 17])
    assert index.text_at(rows) == [test_ids[N - 1], test_ids[0], test_ids[17]]


def test_a_zero_padded_id_keeps_every_id_as_text_even_late_in_the_labels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Blocks of canonical integers first, then "007": the integers read so far are turned
    back into exactly their text, and the ids stay strings ("007" is not "7")."""
    test_ids = [*ID_SETS["random order, negatives"][:-1], "007"]
    data = csv_bytes("id,target", list(zip(test_ids, TRUTH.tolist(), strict=True)))
    monkeypatch.setattr(labels, "LABELS_BLOCK_BYTES", 400)
    read = read_labels(SPEC, data)
    assert not read.index.integer and read.ids.to_pylist() == test_ids
    holdout = split_holdout(SPEC, read, SALT)
    threshold = SPEC.split.threshold
    assert holdout.public.tolist() == public_mask(pa.array(test_ids), SALT, threshold).tolist()
    assert read.index.locate(pa.array(["7", "007"])).tolist() == [-1, N - 1]


@pytest.mark.parametrize("test_ids", ID_SETS.values(), ids=ID_SETS.keys())
def test_integer_ids_are_split_by_the_rule_on_their_text(test_ids: list[str]) -> None:
    holdout = holdout_of(test_ids)
    by_text = public_mask(pa.array(test_ids), SALT, SPEC.split.threshold)
    assert holdout.public.tolist() == by_text.tolist()
    assert 0.25 < holdout.public.mean() < 0.35  # fraction 0.3
