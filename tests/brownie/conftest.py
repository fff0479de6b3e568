"""brownie fixtures: the platform deployed on brownie's anvil, one challenge, three oracles."""

import pytest
from adversaries import compile_adversaries
from brownie import (
    ChallengeRegistry,
    CoopToken,
    RewardVault,
    ScoreBoard,
    SubmissionBook,
    accounts,
    chain,
)
from brownie_helpers import (
    BOUNTY,
    DAY,
    DISPUTE_BOND,
    DISPUTE_WINDOW,
    ETA,
    NOTICE_PERIOD,
    ORACLE_KEYS,
    holdout_commitment,
)


@pytest.fixture(autouse=True)
def isolate(fn_isolation: None) -> None:
    """Each test starts from the same deployed state (brownie reverts to a snapshot)."""


@pytest.fixture(scope="module")
def owner():  # type: ignore[no-untyped-def]
    return accounts[0]


@pytest.fixture(scope="module")
def oracles():  # type: ignore[no-untyped-def]
    return [accounts.add(k) for k in ORACLE_KEYS]


@pytest.fixture(scope="module")
def platform(owner):  # type: ignore[no-untyped-def]
    """Deployed in the order of scripts/deploy.py (oracle.chain.platform.deploy_platform)."""
    token = CoopToken.deploy("Coopetition Reward", "COOP", owner, {"from": owner})
    registry = ChallengeRegistry.deploy({"from": owner})
    book = SubmissionBook.deploy(registry, {"from": owner})
    board = ScoreBoard.deploy(registry, book, {"from": owner})
    vault = RewardVault.deploy(registry, board, {"from": owner})
    registry.bindVault(vault, {"from": owner})
    return chain, token, registry, vault, book, board


@pytest.fixture(scope="session")
def adversaries():  # type: ignore[no-untyped-def]
    return compile_adversaries()


@pytest.fixture(scope="module")
def challenge(platform, owner, oracles):  # type: ignore[no-untyped-def]
    """Challenge 1: bounty 1000, higher is better, 0 → 1, eta 0.01, oracles 2-of-3, commits
    open for a day from now, reveals for another day, dispute window 1 h, bond 1 ETH."""
    _, token, registry, vault, _, _ = platform
    token.mint(owner, BOUNTY, {"from": owner})
    token.approve(vault, BOUNTY, {"from": owner})
    now = chain[-1].timestamp
    config = (token, BOUNTY, [o.address for o in oracles], 2, DISPUTE_WINDOW, DISPUTE_BOND,
              owner, NOTICE_PERIOD, 0, 0, 0, 0, 0)  # fmt: skip
    phase = ("bafkreispec", True, 0, 10**18, ETA, now, now + DAY, now + 2 * DAY,
             holdout_commitment(), BOUNTY)  # fmt: skip
    tx = registry.createChallenge(config, "bafkreispec", phase, {"from": owner})
    return tx.events["ChallengeCreated"]["challengeId"]
