"""Participant library: commitments match the contract, interrupted submits resume."""

from pathlib import Path

import pytest
from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.challenges import ChallengeTerms, PhaseTerms, create_challenge
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import (
    InvalidForkWeights,
    commit,
    compute_commitment,
    pending_reveals,
    reveal,
)
from oracle.errors import TransactionReverted
from oracle.types import WAD


@pytest.fixture
def fast_platform(anvil: Anvil) -> Platform:
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    return Platform.connect(w3, deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0])))


def open_challenge(platform: Platform) -> int:
    owner = Sender.from_key(platform.w3, ANVIL_KEYS[0])
    now = platform.w3.eth.get_block("latest")["timestamp"]
    terms = ChallengeTerms(
        token=platform.token.address, bounty=0, higher_is_better=True, baseline=0,
        target=WAD, eta=10**16, oracles=(Account.from_key(ANVIL_KEYS[9]).address,), quorum=1,
        arbiter=owner.address, commit_bond=10**15,
    )  # fmt: skip
    phase = PhaseTerms("bafkreispec", now, now + 1000, now + 2000, b"\x01" * 32, 0)
    return create_challenge(platform, owner, terms, "bafkreispec", phase)


def test_commitment_matches_contract(fast_platform: Platform) -> None:
    p = fast_platform
    salt = b"\x07" * 32
    who = Account.from_key(ANVIL_KEYS[1]).address
    ours = compute_commitment(
        31337, p.book.address, 5, who, "bafyx", (1, 2), (400_000, 600_000), salt
    )
    theirs = p.book.functions.computeCommitment(
        5, who, "bafyx", [1, 2], [400_000, 600_000], salt
    ).call()
    assert ours == theirs


def test_interrupted_submit_resumes_from_pending_file(
    fast_platform: Platform, tmp_path: Path
) -> None:
    p = fast_platform
    challenge = open_challenge(p)
    alice = Sender.from_key(p.w3, ANVIL_KEYS[1])
    pending = commit(p, alice, tmp_path, challenge, "bafkreiartifact")
    # The process "dies" here: a new one finds the pending reveal on disk and finishes.
    [(path, resumed)] = pending_reveals(tmp_path)
    assert resumed == pending and path.stat().st_mode & 0o077 == 0
    assert reveal(p, alice, resumed) == pending.submission_id
    assert p.book.functions.getSubmission(pending.submission_id).call()[4] is True
    with pytest.raises(TransactionReverted, match="AlreadyRevealed"):
        reveal(p, alice, resumed)


def test_fork_needs_weights_summing_to_a_million(fast_platform: Platform, tmp_path: Path) -> None:
    alice = Sender.from_key(fast_platform.w3, ANVIL_KEYS[1])
    with pytest.raises(InvalidForkWeights, match="sum to 900000"):
        commit(fast_platform, alice, tmp_path, 1, "bafy", (1, 2), (400_000, 500_000))
    assert pending_reveals(tmp_path) == []
