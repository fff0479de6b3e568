"""Typed values shared by every module: ids, fixed-point numbers, addresses, CIDs."""

from decimal import Decimal
from enum import IntEnum
from typing import NewType

from eth_utils.address import is_checksum_address, is_hex_address

ChallengeId = NewType("ChallengeId", int)
SubmissionId = NewType("SubmissionId", int)
PhaseIndex = NewType("PhaseIndex", int)
Wad = NewType("Wad", int)  # a number scaled by 10**18 (int256 scores, uint256 amounts)
Wei = NewType("Wei", int)  # an amount of token base units
Address = NewType("Address", str)  # checksummed 0x-hex address
Cid = NewType("Cid", str)  # a CIDv1 string (base32) or CIDv0 ("Qm...")


def address_problem(value: object) -> str | None:
    """What is wrong with `value` as an address someone typed or pasted, or None if nothing.

    An address in mixed case carries an EIP-55 checksum; eth_utils' `is_address` accepts one
    whose checksum does not match (a mistyped letter or digit), so this refuses it too. All
    lowercase or all uppercase carries no checksum and is taken as written."""
    if not isinstance(value, str) or not is_hex_address(value):
        return "is not an Ethereum address (0x and 40 hex digits)"
    digits = value[2:] if value[:2] in ("0x", "0X") else value
    if digits != digits.lower() and digits != digits.upper() and not is_checksum_address(value):
        return ("does not match its EIP-55 checksum (the mix of upper and lower case): a "
                "character was probably mistyped; copy the address again, or write it in "
                "lowercase to skip the check")  # fmt: skip
    return None


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
