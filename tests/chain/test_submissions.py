"""Participant library: commitments match the contract, interrupted submits resume."""

from pathlib import Path

import pytest
from chain_helpers import open_challenge
from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import (
    InvalidForkWeights,
    commit,
    compute_commitment,
    pending_reveals,
    reveal,
)
from oracle.errors import InsufficientFunds, TransactionReverted


def test_commitment_matches_contract(any_platform: Platform) -> None:
    p = any_platform
    salt = b"\x07" * 32
    who = Account.from_key(ANVIL_KEYS[1]).address
    ours = compute_commitment(
        p.deployment.chain_id, p.book.address, 5, who, "bafyx", (1, 2), (400_000, 600_000), salt
    )
    theirs = p.book.functions.computeCommitment(
        5, who, "bafyx", [1, 2], [400_000, 600_000], salt
    ).call()
    assert ours == theirs


def test_interrupted_submit_resumes_from_pending_file(
    any_platform: Platform, tmp_path: Path
) -> None:
    p = any_platform
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


def test_fork_needs_weights_summing_to_a_million(any_platform: Platform, tmp_path: Path) -> None:
    alice = Sender.from_key(any_platform.w3, ANVIL_KEYS[1])
    with pytest.raises(InvalidForkWeights, match="sum to 900000"):
        commit(any_platform, alice, tmp_path, 1, "bafy", (1, 2), (400_000, 500_000))
    assert pending_reveals(tmp_path) == []


def test_an_account_without_eth_is_told_to_fund_it(any_platform: Platform, tmp_path: Path) -> None:
    p = any_platform
    challenge = open_challenge(p)
    penniless = Sender.from_key(p.w3, Account.create().key.hex())
    with pytest.raises(InsufficientFunds, match=f"{penniless.address} holds 0 ETH.*send some ETH"):
        commit(p, penniless, tmp_path, challenge, "bafyx")
    assert p.book.functions.submissionCount().call() == 0, "nothing was committed"
