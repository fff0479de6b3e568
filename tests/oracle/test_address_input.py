"""Addresses people type: a mistyped mixed-case address is refused before anything is sent.

eth_utils' `is_address` accepts a mixed-case address whose EIP-55 checksum does not match,
which is exactly the typo the checksum exists to catch."""

import pytest

from oracle.chain.teams import TeamRefused, parse_member
from oracle.types import address_problem

GOOD = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"  # anvil's second account
TYPO = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"  # one letter's case changed


def test_a_wrong_checksum_is_named_and_lowercase_skips_the_check() -> None:
    assert address_problem(GOOD) is None
    assert address_problem(GOOD.lower()) is None
    assert "does not match its EIP-55 checksum" in (address_problem(TYPO) or "")
    assert "0x and 40 hex digits" in (address_problem("0x1234") or "")


def test_a_team_member_with_a_mistyped_address_is_refused() -> None:
    assert parse_member(f"{GOOD.lower()}:60") == (GOOD, 600_000)
    with pytest.raises(TeamRefused, match="does not match its EIP-55 checksum"):
        parse_member(f"{TYPO}:60")
    with pytest.raises(TeamRefused, match="0x and 40 hex digits"):
        parse_member("0x7099:60")
