"""Typed values shared by every module: ids, fixed-point numbers, addresses, CIDs."""

from decimal import Decimal
from enum import IntEnum
from typing import NewType

ChallengeId = NewType("ChallengeId", int)
SubmissionId = NewType("SubmissionId", int)
PhaseIndex = NewType("PhaseIndex", int)
Wad = NewType("Wad", int)  # a number scaled by 10**18 (int256 scores, uint256 amounts)
Wei = NewType("Wei", int)  # an amount of token base units
Address = NewType("Address", str)  # checksummed 0x-hex address
Cid = NewType("Cid", str)  # a CIDv1 string (base32) or CIDv0 ("Qm...")


class Verdict(IntEnum):
    """A review's verdict as SubmissionBook.review takes it (uint8, 1 to 3)."""

    APPROVE = 1
    CONCERN = 2
    REJECT = 3


WAD: int = 10**18
PPM: int = 1_000_000
BPS: int = 10_000


def wad_text(value: int) -> str:
    """A number scaled by 10**18 (a WAD score, token base units, wei) as decimal text,
    trailing zeros dropped: 1500000000000000000 -> "1.5"."""
    return format((Decimal(value) / WAD).normalize(), "f")


def ppm_text(value: int) -> str:
    """Parts per million as a decimal fraction, trailing zeros dropped: 4250 -> "0.00425"."""
    return format((Decimal(value) / PPM).normalize(), "f")


def plural(count: int, noun: str, many: str | None = None) -> str:
    """ "1 claim", "2 claims", "0 claims"; `many` for irregular plurals ("discrepancies")."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"
