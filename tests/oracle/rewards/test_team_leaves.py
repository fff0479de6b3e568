"""A team's rewards reach its members by the shares they agreed on chain, paid exactly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oracle.rewards.model import InvalidTeam, Leaf, TeamShares
from oracle.rewards.teams import split_team_leaves

A = "0x" + "0a" * 20
B = "0x" + "0b" * 20
C = "0x" + "0c" * 20
D = "0x" + "0d" * 20


def amounts(leaves: tuple[Leaf, ...]) -> dict[str, int]:
    return {leaf.account.lower(): leaf.amount for leaf in leaves}


def test_a_team_pools_its_members_rewards_and_splits_them_by_shares() -> None:
    team = TeamShares(1, (A, B), (600_000, 400_000))
    leaves = split_team_leaves([Leaf(A, 100), Leaf(B, 900), Leaf(C, 50)], [team])
    assert amounts(leaves) == {A: 600, B: 400, C: 50}  # C is in no team: unchanged


def test_a_member_who_earned_nothing_still_gets_its_share() -> None:
    team = TeamShares(1, (A, B), (500_000, 500_000))
    assert amounts(split_team_leaves([Leaf(B, 10)], [team])) == {A: 5, B: 5}


def test_rounding_goes_to_the_first_member_and_nothing_is_lost() -> None:
    team = TeamShares(1, (A, B, C), (333_333, 333_333, 333_334))
    leaves = split_team_leaves([Leaf(A, 10)], [team])
    assert amounts(leaves) == {A: 4, B: 3, C: 3}


def test_leaves_stay_one_per_account_ascending_without_zeros() -> None:
    team = TeamShares(1, (B, D), (1, 999_999))
    leaves = split_team_leaves([Leaf(D, 0), Leaf(C, 7), Leaf(B, 0)], [team])
    assert [leaf.account.lower() for leaf in leaves] == [C]


def test_refuses_shares_that_do_not_fit_and_a_member_in_two_teams() -> None:
    with pytest.raises(InvalidTeam, match="summing to 1000000"):
        TeamShares(1, (A, B), (500_000, 400_000))
    teams = [TeamShares(1, (A, B), (500_000, 500_000)), TeamShares(2, (B, C), (1, 999_999))]
    with pytest.raises(InvalidTeam, match="shares a member"):
        split_team_leaves([Leaf(A, 1)], teams)


@given(st.lists(st.integers(0, 10**30), min_size=4, max_size=4),
       st.integers(1, 999_999))  # fmt: skip
def test_the_total_is_paid_exactly(earned: list[int], first_share: int) -> None:
    team = TeamShares(1, (A, B), (first_share, 1_000_000 - first_share))
    leaves = [Leaf(x, amount) for x, amount in zip((A, B, C, D), earned, strict=True)]
    assert sum(leaf.amount for leaf in split_team_leaves(leaves, [team])) == sum(earned)
