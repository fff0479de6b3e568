"""Scoring a real data set (scikit-learn's bundled diabetes) as the oracles do."""

import gzip
import io
import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from sklearn.datasets import load_diabetes
from sklearn.linear_model import Ridge
from sklearn.metrics import mean_squared_error

from oracle.cli.main import cli
from oracle.scoring.engine import (
    private_commitment,
    public_mask,
    read_labels,
    score_submission,
    snap_to_eta,
    to_wad,
)
from oracle.spec import load_spec
from oracle.status import Status

SPEC_PATH = Path(__file__).resolve().parents[3] / "examples" / "specs" / "diabetes-regression.json"
SALT = bytes(range(32))


@pytest.fixture(scope="module")
def data() -> tuple[bytes, bytes, np.ndarray, np.ndarray]:
    x, y = load_diabetes(return_X_y=True)
    pred = Ridge(alpha=0.1).fit(x[:300], y[:300]).predict(x)
    ids = [f"p{i}" for i in range(len(y))]
    labels = "id,target\n" + "".join(f"{i},{float(t)!r}\n" for i, t in zip(ids, y, strict=True))
    preds = "id,prediction\n" + "".join(
        f"{i},{float(p)!r}\n" for i, p in zip(ids, pred, strict=True)
    )
    return labels.encode(), preds.encode(), y, pred


def test_scores_equal_sklearn_on_each_split_and_are_deterministic(data) -> None:  # type: ignore[no-untyped-def]
    labels, preds, y, pred = data
    spec = load_spec(SPEC_PATH)
    truth = read_labels(spec, labels)
    first = score_submission(spec, truth, preds, SALT)
    again = score_submission(spec, read_labels(spec, labels), preds, SALT)
    assert first == again and first.status is Status.VALID
    public = public_mask(truth.ids, SALT, 0.3)
    assert 0.2 < public.mean() < 0.4
    expected = float(np.sqrt(mean_squared_error(y[public], pred[public])))
    assert abs(first.public_score - expected) <= 1e-12 * expected
    assert first.public_wad % spec.wad(spec.eta) == 0
    assert abs(first.public_wad - to_wad(expected)) <= spec.wad(spec.eta) // 2
    expected_private = float(np.sqrt(mean_squared_error(y[~public], pred[~public])))
    assert first.private_wad == to_wad(expected_private)


def test_gzip_and_parquet_give_the_same_scores(data) -> None:  # type: ignore[no-untyped-def]
    labels, preds, _, pred = data
    spec = load_spec(SPEC_PATH)
    truth = read_labels(spec, labels)
    plain = score_submission(spec, truth, preds, SALT)
    zipped = score_submission(spec, truth, gzip.compress(preds), SALT)
    buffer = io.BytesIO()
    ids = [f"p{i}" for i in range(len(pred))]
    pq.write_table(pa.table({"id": ids, "prediction": pred}), buffer)
    parquet = score_submission(spec, truth, buffer.getvalue(), SALT)
    assert plain == zipped == parquet


@pytest.mark.parametrize(
    ("mutate", "status", "reason"),
    [
        (lambda b: b"", Status.UNREADABLE, "empty"),
        (
            lambda b: b.replace(b"id,prediction", b"id,pred"),
            Status.WRONG_FORMAT,
            "missing prediction",
        ),
        (lambda b: b.rsplit(b"\n", 2)[0] + b"\n", Status.WRONG_ROW_COUNT, "441 rows"),
        (lambda b: b.replace(b"p7,", b"p6,", 1), Status.WRONG_IDS, "appears twice"),
        (lambda b: b.replace(b"p7,", b"zz,", 1), Status.WRONG_IDS, "'p7' is missing"),
        (
            lambda b: b.replace(b"p5,", b"p5,nan\np5x,", 1).rsplit(b"\n", 2)[0] + b"\n",
            Status.NOT_FINITE,
            "NaN",
        ),  # fmt: skip
        (lambda b: b.replace(b"p5,", b"p5,abc\nq,", 1), Status.WRONG_TYPE, "not a number"),
        (lambda b: b + b"x" * 11_000_000, Status.TOO_LARGE, "over the challenge's limit"),
        (
            lambda b: gzip.compress(b"id,prediction\n" + b"0" * 300_000_000)[:5_000_000],
            Status.TOO_LARGE,
            "decompression bomb",
        ),  # fmt: skip
    ],
)
def test_invalid_files_get_a_status_and_a_reason(data, mutate, status, reason) -> None:  # type: ignore[no-untyped-def]
    labels, preds, _, _ = data
    spec = load_spec(SPEC_PATH)
    result = score_submission(spec, read_labels(spec, labels), mutate(preds), SALT)
    assert result.status is status
    assert reason in result.reason


def test_rounding_rules() -> None:
    assert to_wad(0.1) == 10**17 and to_wad(-2.5) == -25 * 10**17
    assert snap_to_eta(15, 10) == 20 and snap_to_eta(25, 10) == 20 and snap_to_eta(-15, 10) == -20
    a = private_commitment(7, 10**18, b"\x01" * 32)
    assert (
        a
        == private_commitment(7, 10**18, b"\x01" * 32)
        != private_commitment(7, 10**18 + 1, b"\x01" * 32)
    )


def test_coop_score_cli_exit_codes(data, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    labels, preds, _, _ = data
    (tmp_path / "labels.csv").write_bytes(labels)
    (tmp_path / "good.csv").write_bytes(preds)
    (tmp_path / "bad.csv").write_bytes(preds.replace(b"p7,", b"p6,", 1))
    runner = CliRunner()
    args = ["score", str(SPEC_PATH), str(tmp_path / "labels.csv")]
    good = runner.invoke(cli, [*args, str(tmp_path / "good.csv"), "--json"])
    assert good.exit_code == 0, good.output
    out = json.loads(good.output)
    assert out["status"] == 0 and int(out["public_wad"]) % 10**16 == 0
    bad = runner.invoke(cli, [*args, str(tmp_path / "bad.csv")])
    assert bad.exit_code == 2 and "WRONG_IDS (3)" in bad.output and "Traceback" not in bad.output


def test_split_is_recomputable_from_the_documented_rule() -> None:
    import hashlib

    ids = np.array([f"row-{i}" for i in range(2000)])
    salt = bytes(range(32, 64))
    mask = public_mask(ids, salt, 0.25)
    threshold = 2**64 // 4
    independent = [
        int.from_bytes(hashlib.blake2b(salt + i.encode(), digest_size=8).digest(), "big")
        < threshold
        for i in ids
    ]
    assert mask.tolist() == independent
    assert 0.2 < mask.mean() < 0.3
    assert public_mask(ids, bytes(32), 0.25).tolist() != independent  # the salt matters


def test_labels_are_checked_against_the_onchain_commitment() -> None:
    from oracle.chain.challenges import holdout_commitment
    from oracle.errors import InvalidArtifact
    from oracle.scoring.engine import check_holdout

    labels, salt = b"id,target\n1,2\n", b"\x05" * 32
    from eth_utils.crypto import keccak

    commitment = holdout_commitment(keccak(labels), salt)
    check_holdout(labels, salt, commitment)
    with pytest.raises(InvalidArtifact, match="do not match the on-chain holdout commitment"):
        check_holdout(labels + b"3,4\n", salt, commitment)
