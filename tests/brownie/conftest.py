"""brownie fixtures: the platform deployed on brownie's anvil, one challenge, three oracles."""

import pytest
from brownie import (
    ChallengeRegistry,
    CoopToken,
    RewardVault,
    ScoreBoard,
    SubmissionBook,
    accounts,
    chain,
)
from brownie_helpers import BOUNTY, ETA, LABELS_DIGEST, ORACLE_KEYS, SPLIT_SALT
from eth_abi.abi import encode
from eth_utils.crypto import keccak


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
def platform(owner, oracles):  # type: ignore[no-untyped-def]
    token = CoopToken.deploy("Coopetition Reward", "COOP", owner, {"from": owner})
    registry = ChallengeRegistry.deploy({"from": owner})
    vault = RewardVault.deploy(registry, {"from": owner})
    registry.bindVault(vault, {"from": owner})
    book = SubmissionBook.deploy(registry, {"from": owner})
    board = ScoreBoard.deploy(registry, book, {"from": owner})
    return chain, token, registry, vault, book, board


def holdout_commitment() -> bytes:
    salt_hash = keccak(encode(["bytes32"], [SPLIT_SALT]))
    return keccak(encode(["bytes32", "bytes32"], [LABELS_DIGEST, salt_hash]))


@pytest.fixture(scope="module")
def challenge(platform, owner, oracles):  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    token.mint(owner, BOUNTY, {"from": owner})
    token.approve(vault, BOUNTY, {"from": owner})
    now = chain[-1].timestamp
    config = (token, BOUNTY, True, 0, 10**18, ETA, [o.address for o in oracles], 2, 3600,
              10**18, owner, 0, 0, 0)  # fmt: skip
    phase = ("bafkreispec", now, now + 86400, now + 2 * 86400, holdout_commitment(), BOUNTY)
    tx = registry.createChallenge(config, "bafkreispec", phase, {"from": owner})
    return tx.events["ChallengeCreated"]["challengeId"]
