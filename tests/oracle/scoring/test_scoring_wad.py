"""Scores become WADs by one rule, the public one lands on the eta grid, and the commitments
are the exact Solidity encodings the contracts check."""

import hmac
from hashlib import sha256

import pytest
from eth_abi.abi import encode
from eth_utils.crypto import keccak

from oracle.scoring import (
    commitment_salt,
    holdout_commitment,
    private_commitment,
    snap_to_eta,
    split_salt_hash,
    to_wad,
)
from oracle.scoring.wad import ScoreOutOfRange
from oracle.types import Wad


@pytest.mark.parametrize(
    ("score", "wad"),
    [
        (0.1, 10**17),  # the decimal a person reads, not 0.1000000000000000055...
        (-2.5, -25 * 10**17),
        (0.0, 0),
        (-0.0, 0),  # no negative zero in an int256
        (1e-18, 1),
        (5e-19, 0),  # exactly half a wei: to the even neighbour, 0
        (1.5e-18, 2),  # half: to the even neighbour, 2
        (2.5e-18, 2),
        (-1.5e-18, -2),
        (1e-19, 0),
        (0.30000000000000004, 300000000000000040),
        (1e40, 10**58),
        (123456.789, 123456789 * 10**15),
    ],
)
def test_float_to_wad(score: float, wad: int) -> None:
    assert to_wad(score) == wad


@pytest.mark.parametrize("score", [float("nan"), float("inf"), -float("inf"), 1e60, -1e59])
def test_non_finite_or_huge_scores_are_refused(score: float) -> None:
    with pytest.raises(ScoreOutOfRange):
        to_wad(score)


@pytest.mark.parametrize(
    ("wad", "eta", "snapped"),
    [
        (14, 10, 10),
        (15, 10, 20),  # halfway: to the even multiple (2 x 10)
        (25, 10, 20),  # halfway: to the even multiple (2 x 10), down
        (26, 10, 30),
        (-15, 10, -20),
        (-25, 10, -20),
        (-14, 10, -10),
        (0, 7, 0),
        (10**40 + 1, 3, 10**40 + 2),  # exact integers: no float or Decimal rounding
        (84745295916803260000, 10**16, 84750000000000000000),
    ],
)
def test_snap_to_eta_grid(wad: int, eta: int, snapped: int) -> None:
    assert snap_to_eta(wad, eta) == snapped
    assert snapped % eta == 0


def test_private_commitment_is_the_solidity_encoding() -> None:
    salt = bytes(range(32))
    expected = keccak(
        (7).to_bytes(32, "big") + (-5 % 2**256).to_bytes(32, "big") + salt
    )  # abi.encode(uint256 7, int256 -5, bytes32 salt)
    assert private_commitment(7, Wad(-5), salt) == expected
    assert private_commitment(7, Wad(-4), salt) != expected


def test_commitment_salt_is_hmac_of_the_context() -> None:
    key, board = b"shared oracle key", "0x" + "ab" * 20
    context = {"chain_id": 31337, "score_board": board, "challenge_id": 4, "phase": 1,
               "submission_id": 9}  # fmt: skip
    types = ["uint256", "address", "uint256", "uint32", "uint256"]
    message = encode(types, [31337, board, 4, 1, 9])
    assert commitment_salt(key, **context) == hmac.new(key, message, sha256).digest()
    for field, other in (("submission_id", 10), ("phase", 2), ("challenge_id", 5),
                         ("chain_id", 1), ("score_board", "0x" + "cd" * 20)):  # fmt: skip
        assert commitment_salt(key, **{**context, field: other}) != commitment_salt(key, **context)
    assert commitment_salt(b"another key", **context) != commitment_salt(key, **context)
    with pytest.raises(ValueError, match="COOP_ORACLE_SHARED_KEY"):
        commitment_salt(b"", **context)


def test_holdout_commitment_is_the_documented_hash() -> None:
    labels, salt = b"id,target\n1,2\n", b"\x05" * 32
    # abi.encode of two bytes32 is their concatenation
    assert holdout_commitment(labels, salt) == keccak(keccak(labels) + keccak(salt))
    assert split_salt_hash(salt) == keccak(salt)
    with pytest.raises(ValueError, match="32 bytes"):
        holdout_commitment(labels, b"short")
