"""Small builders shared by the chain tests."""

from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.challenges import ChallengeTerms, PhaseRules, PhaseTerms, create_challenge
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.types import WAD


def open_challenge(platform: Platform) -> int:
    """A challenge open for commits now (1000 s) and reveals (until 2000 s), with a bond."""
    owner = Sender.from_key(platform.w3, ANVIL_KEYS[0])
    now = platform.w3.eth.get_block("latest")["timestamp"]
    terms = ChallengeTerms(
        token=platform.token.address, bounty=0,
        oracles=(Account.from_key(ANVIL_KEYS[9]).address,), quorum=1,
        arbiter=owner.address, commit_bond=10**15,
    )  # fmt: skip
    phase = PhaseTerms(
        "bafkreispec",
        PhaseRules(True, 0, WAD, 10**16),
        now,
        now + 1000,
        now + 2000,
        b"\x01" * 32,
        0,
    )
    return create_challenge(platform, owner, terms, "bafkreispec", phase)
