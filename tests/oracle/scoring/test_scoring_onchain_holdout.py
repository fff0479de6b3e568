"""On a real anvil chain with the real contracts: the labels an oracle scores against are the
ones the owner committed to on chain, or nothing is scored."""

from collections.abc import Callable

import pytest
from eth_account import Account
from eth_utils.crypto import keccak
from scoring_helpers import make_spec
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.challenges import ChallengeTerms, PhaseTerms, create_challenge, read_challenge
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.publish import rules_of
from oracle.chain.sender import Sender
from oracle.errors import InvalidHoldout
from oracle.scoring import holdout_commitment, load_holdout, score_submission

pytestmark = pytest.mark.chain
SALT = bytes(range(50, 82))
Files = Callable[[str], dict[str, bytes]]


def test_oracle_scores_only_against_the_committed_holdout(
    anvil: Anvil, example_files: Files
) -> None:
    files = example_files("diabetes-regression")
    labels = files["labels.csv"]
    spec = make_spec("diabetes-regression", split__salt_hash="0x" + keccak(SALT).hex())
    owner = Sender.from_key(Web3(Web3.HTTPProvider(anvil.url)), ANVIL_KEYS[0])
    platform = Platform.connect(owner.w3, deploy_platform(owner))
    now = int(owner.w3.eth.get_block("latest")["timestamp"])
    oracles = tuple(Account.from_key(key).address for key in ANVIL_KEYS[7:10])
    terms = ChallengeTerms(
        token=platform.token.address, bounty=0, oracles=oracles, quorum=2,
        arbiter=owner.address,
    )  # fmt: skip
    phase = PhaseTerms("bafkreispec", rules_of(spec), now + 10, now + 1000, now + 2000,
                       holdout_commitment(labels, SALT), 0)  # fmt: skip
    challenge = create_challenge(platform, owner, terms, "bafkreispec", phase)

    on_chain = read_challenge(platform, challenge).phases[0].holdout_commitment
    holdout = load_holdout(spec, labels, SALT, on_chain)
    assert score_submission(spec, holdout, files["sample_submission.csv"]).valid

    edited = labels.replace(b"\n4,", b"\n4,1", 1)  # one label changed after publication
    with pytest.raises(InvalidHoldout, match="do not match the on-chain holdout commitment"):
        load_holdout(spec, edited, SALT, on_chain)
    with pytest.raises(InvalidHoldout, match="not the spec's split.salt_hash"):
        load_holdout(spec, labels, bytes(32), on_chain)
