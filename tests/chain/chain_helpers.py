"""Small builders shared by the chain tests."""

from typing import Any

from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.challenges import ChallengeTerms, PhaseRules, PhaseTerms, create_challenge
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.types import WAD


def dev_challenge(platform: Platform, commit_seconds: int, reveal_until: int,
                  **terms: Any) -> int:  # fmt: skip
    """A challenge by anvil's account 0 without bounty, judged by account 9 alone, higher is
    better from 0 to 1 in steps of 0.01, open for commits now for `commit_seconds` and for
    reveals until `reveal_until` seconds from now; `terms` replace ChallengeTerms fields."""
    owner = Sender.from_key(platform.w3, ANVIL_KEYS[0])
    now = platform.w3.eth.get_block("latest")["timestamp"]
    fields: dict[str, Any] = {
        "token": platform.token.address, "bounty": 0,
        "oracles": (Account.from_key(ANVIL_KEYS[9]).address,), "quorum": 1,
        "arbiter": owner.address, **terms,
    }  # fmt: skip
    rules = PhaseRules(True, 0, WAD, 10**16)
    phase = PhaseTerms("bafkreispec", rules, now, now + commit_seconds, now + reveal_until,
                       b"\x01" * 32, 0)  # fmt: skip
    return create_challenge(platform, owner, ChallengeTerms(**fields), "bafkreispec", phase)


def open_challenge(platform: Platform) -> int:
    """A challenge open for commits now (1000 s) and reveals (until 2000 s), with a bond."""
    return dev_challenge(platform, 1000, 2000, commit_bond=10**15)
