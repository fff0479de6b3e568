"""GrantPool on brownie's anvil: a grant paid mid-phase against the released public best,
and every custom error it declares, with its values."""

import pytest
from brownie import GrantPool, accounts, chain
from brownie_helpers import DAY, ETA, fails, item, low, post_scores, submit

EACH = 10**19
THRESHOLD = 50 * ETA  # challenge 1 is higher-is-better, 0 → 1


@pytest.fixture(scope="module")
def grants(platform, owner):  # type: ignore[no-untyped-def]
    _, _, registry, _, _, board = platform
    return GrantPool.deploy(registry, board, {"from": owner})


@pytest.fixture(scope="module")
def pool(platform, owner, challenge, grants):  # type: ignore[no-untyped-def]
    """Pool 1: 2 grants of 10 tokens for a public score above 0.5, claims open a day after
    the phase's reveal end."""
    token = platform[1]
    token.mint(owner, 10 * EACH, {"from": owner})
    token.approve(grants, 10 * EACH, {"from": owner})
    grants.fund(challenge, 0, token, THRESHOLD, EACH, 2, DAY, {"from": owner})
    return 1


def scored(platform, challenge, who, score, seq):  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    sub_id = submit(book, challenge, who)
    post_scores(board, registry, challenge, [item(sub_id, score)], seq)
    return sub_id


def test_a_grant_is_paid_mid_phase_once(platform, challenge, grants, pool) -> None:  # type: ignore[no-untyped-def]
    token = platform[1]
    alice, bob, carol, dave = accounts[1], accounts[2], accounts[3], accounts[4]
    assert fails(grants.claim, pool, alice, {"from": bob}) == f"NoPublicScore: {pool}, {low(alice)}"
    scored(platform, challenge, alice, 60 * ETA, 1)
    tx = grants.claim(pool, alice, {"from": bob})  # anyone may send it; alice is paid
    assert tx.events["GrantPaid"]["score"] == 60 * ETA
    assert token.balanceOf(alice) == EACH
    assert fails(grants.claim, pool, alice, {"from": alice}) == (
        f"AlreadyPaid: {pool}, {low(alice)}"
    )
    scored(platform, challenge, bob, 40 * ETA, 2)
    assert fails(grants.claim, pool, bob, {"from": bob}) == (
        f"BelowThreshold: {pool}, {low(bob)}, {40 * ETA}, {THRESHOLD}"
    )
    scored(platform, challenge, carol, 70 * ETA, 3)
    scored(platform, challenge, dave, 80 * ETA, 4)
    grants.claim(pool, carol, {"from": carol})
    assert fails(grants.claim, pool, dave, {"from": dave}) == f"PoolExhausted: {pool}, 2"
    assert fails(grants.claim, 7, dave, {"from": dave}) == "UnknownPool: 7"


def test_claims_close_and_the_rest_returns_once(platform, owner, challenge, grants, pool) -> None:  # type: ignore[no-untyped-def]
    token = platform[1]
    closes = grants.closesAt(pool)
    message = fails(grants.reclaim, pool, {"from": accounts[5]})
    assert message.startswith(f"ClaimsStillOpen: {pool}, {closes}, ")
    scored(platform, challenge, accounts[1], 60 * ETA, 1)
    chain.sleep(closes - chain[-1].timestamp + 1)
    chain.mine()
    message = fails(grants.claim, pool, accounts[1], {"from": accounts[1]})
    assert message.startswith(f"ClaimsClosed: {pool}, {closes}, ")
    before = token.balanceOf(owner)
    grants.reclaim(pool, {"from": accounts[5]})
    assert token.balanceOf(owner) == before + 2 * EACH
    assert fails(grants.reclaim, pool, {"from": owner}) == f"AlreadyReclaimed: {pool}"


def test_funding_is_refused_with_its_reason(
    platform, owner, challenge, grants, adversaries
) -> None:  # type: ignore[no-untyped-def]
    token, registry = platform[1], platform[2]
    fund = grants.fund
    opts = {"from": owner}
    assert fails(fund, challenge, 0, token, THRESHOLD, 0, 2, DAY, opts) == "ZeroAmount: "
    assert fails(fund, challenge, 0, token, THRESHOLD, EACH, 0, DAY, opts) == "ZeroSlots: "
    assert fails(fund, challenge, 0, accounts[9], THRESHOLD, EACH, 2, DAY, opts) == "InvalidToken: "
    grace = 91 * DAY
    assert fails(fund, challenge, 0, token, THRESHOLD, EACH, 2, grace, opts) == (
        f"ClaimGraceTooLong: {grace}, {90 * DAY}"
    )
    fee = adversaries.FeeOnTransferToken.deploy(opts)
    fee.mint(owner, 2 * EACH, opts)
    fee.approve(grants, 2 * EACH, opts)
    assert fails(fund, challenge, 0, fee, THRESHOLD, EACH, 2, DAY, opts) == (
        f"FundingShortfall: {2 * EACH}, {2 * EACH - 2 * EACH // 100}"
    )
    reveal_end = registry.getPhase(challenge, 0)[2]
    chain.sleep(reveal_end - chain[-1].timestamp + 1)
    chain.mine()
    message = fails(fund, challenge, 0, token, THRESHOLD, EACH, 2, DAY, opts)
    assert message.startswith(f"PhaseOver: {challenge}, 0, {reveal_end}, ")
