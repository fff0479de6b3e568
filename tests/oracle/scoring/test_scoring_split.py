"""The public/private split is the documented rule, recomputable from the salt alone with
hashlib, for a few ids and for millions alike."""

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from scoring_helpers import csv_bytes, make_spec

from oracle.errors import InvalidHoldout
from oracle.scoring import public_mask, read_labels, row_hash, split_holdout

SALT = bytes(range(32, 64))


def by_the_docs(salt: bytes, row_id: str, fraction_num: int, fraction_den: int) -> bool:
    """docs/scoring.md, written out with nothing but hashlib."""
    value = int.from_bytes(hashlib.sha256(salt + row_id.encode("utf-8")).digest()[:8], "big")
    return value < (2**64 * fraction_num) // fraction_den


def test_vectorised_split_equals_the_documented_rule_on_awkward_ids() -> None:
    rng = np.random.default_rng(0)
    ids = [f"row-{i}" for i in range(3000)] + ["", "é", "日本語", "a,b", " x ", "0" * 300]
    ids += ["".join(chr(c) for c in rng.integers(33, 0x2FFF, size=8)) for _ in range(500)]
    mask = public_mask(pa.array(ids), SALT, make_spec().split.threshold)  # fraction "0.3"
    assert mask.tolist() == [by_the_docs(SALT, i, 3, 10) for i in ids]
    assert 0.27 < mask.mean() < 0.33
    assert row_hash(SALT, "row-7") < 2**64


def test_the_split_depends_on_the_salt_and_follows_the_fraction() -> None:
    ids = pa.array([str(i) for i in range(5000)])
    threshold = make_spec(split__public_fraction="0.25").split.threshold
    assert threshold == 2**62  # floor(0.25 * 2^64), exact
    first = public_mask(ids, SALT, threshold)
    other = public_mask(ids, bytes(32), threshold)
    assert first.tolist() != other.tolist()
    assert 0.22 < first.mean() < 0.28
    sliced = public_mask(ids.slice(1000, 50), SALT, threshold)  # offsets into a bigger buffer
    assert sliced.tolist() == first[1000:1050].tolist()


def test_fraction_threshold_is_exact_for_long_decimals() -> None:
    spec = make_spec(split__public_fraction="0.123456789012345678")
    assert spec.split.threshold == (2**64 * 123456789012345678) // 10**18


def test_a_split_that_leaves_a_class_out_of_a_part_is_refused() -> None:
    spec = make_spec("digits-multiclass")
    labels = read_labels(spec, csv_bytes("id,target", [(i, i % 10) for i in range(20)]))
    with pytest.raises(InvalidHoldout, match="has no row in the (public|private) part"):
        split_holdout(spec, labels, SALT)


def test_a_split_with_too_few_rows_is_refused() -> None:
    spec = make_spec()
    labels = read_labels(spec, csv_bytes("id,target", [(1, 1.0), (2, 2.0)]))
    with pytest.raises(InvalidHoldout, match="needs at least 2"):
        split_holdout(spec, labels, SALT)


def test_the_shell_recipe_in_the_docs_gives_the_documented_split() -> None:
    """docs/scoring.md shows how anyone recomputes a row's part with sha256sum once the salt
    is revealed; the numbers it prints are the ones the engine uses."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "scoring.md").read_text()
    assert "| sha256sum | cut -c1-16    # 5d772254909c0127" in docs
    salt = bytes(range(32))
    assert row_hash(salt, "42") == 0x5D772254909C0127 == 6734889514354606375
    threshold = make_spec(split__public_fraction="0.3").split.threshold
    assert threshold == 5534023222112865484 and f"floor(0.3 \u00d7 2^64) = {threshold}" in docs
    assert not public_mask(pa.array(["42"]), salt, threshold)[0]  # private, as the docs say


def test_a_large_holdout_is_split_by_hashlib_alone() -> None:
    """300,000 ids (a size that once took a hand-written SHA-256 compiled with numba): the
    same rule, computed with the standard library only, in a fresh interpreter."""
    code = (
        "import sys, pyarrow as pa; from oracle.scoring.split import public_mask, row_hash\n"
        "ids = [f'r{i}' for i in range(300_000)]\n"
        f"salt = {SALT!r}\n"
        "mask = public_mask(pa.array(ids), salt, 2**63)\n"
        "assert mask.tolist()[::997] == [row_hash(salt, i) < 2**63 for i in ids[::997]]\n"
        "print(int(mask.sum()), 'numba' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    public, numba_loaded = run.stdout.split()
    assert 145_000 < int(public) < 155_000
    assert numba_loaded == "False"
