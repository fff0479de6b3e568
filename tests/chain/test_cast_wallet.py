"""A participant commits, reveals and claims with `cast` alone, on a brownie-run deployment.

cast is an independent Ethereum client: the participant's side uses nothing from oracle/,
only the encodings published in docs/contracts.md. The owner and oracle sides use the
project's library, as they would in production.
"""

import secrets
import shutil
import subprocess

from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.attestation import (
    RewardRoot,
    ordered_signatures,
    reward_root_typed_data,
    sign_typed,
)
from oracle.chain.challenges import (
    ChallengeTerms,
    PhaseRules,
    PhaseTerms,
    create_challenge,
    read_phase_judges,
    reveal_holdout,
)
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.scoring.commitment import holdout_commitment_of_digest
from oracle.types import WAD, Address

ORACLE_KEYS = ANVIL_KEYS[7:10]
COMMIT_BOND = 10**16  # 0.01 ether
ARTIFACT_CID = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"


def cast(anvil: Anvil, *args: str, key: str | None = None) -> str:
    binary = shutil.which("cast")
    assert binary, "cast is not on PATH: run through `make test` (it installs it from npm)"
    cmd = [binary, *args]
    if args[0] in ("send", "call", "rpc", "balance", "chain-id"):
        cmd += ["--rpc-url", anvil.url]
    if key:
        cmd += ["--private-key", key]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise CastFailed(result.stderr.strip())
    return result.stdout.strip()


class CastFailed(Exception):
    pass


def uint(text: str) -> int:
    return int(text.split()[0])


def test_participant_commits_reveals_and_claims_with_cast(anvil: Anvil, platform: Platform):
    w3 = platform.w3
    owner = Sender.from_key(w3, ANVIL_KEYS[0])
    participant_key = ANVIL_KEYS[1]
    participant = Account.from_key(participant_key).address
    other = Account.from_key(ANVIL_KEYS[2]).address
    bounty = 1000 * WAD
    owner.transact(platform.token.functions.mint(owner.address, bounty))

    now = w3.eth.get_block("latest")["timestamp"]
    labels_digest, split_salt = secrets.token_bytes(32), secrets.token_bytes(32)
    terms = ChallengeTerms(
        token=platform.token.address,
        bounty=bounty,
        oracles=tuple(Account.from_key(k).address for k in ORACLE_KEYS),
        quorum=2,
        arbiter=owner.address,
        dispute_window=300,
        commit_bond=COMMIT_BOND,
        daily_cap=3,
    )
    phase0 = PhaseTerms(
        spec_cid="bafkreispec",
        rules=PhaseRules(False, WAD, WAD // 2, 10**15),
        commit_start=now,
        commit_end=now + 100,
        reveal_end=now + 200,
        holdout_commitment=holdout_commitment_of_digest(labels_digest, split_salt),
        bounty=bounty,
    )
    challenge_id = create_challenge(platform, owner, terms, "bafkreispec", phase0)
    book = platform.book.address

    # Participant: commitment computed with cast only, as docs/contracts.md describes.
    salt = "0x" + secrets.token_hex(32)
    chain_id = cast(anvil, "chain-id")
    cid_hash = cast(anvil, "keccak", ARTIFACT_CID)
    parents_hash = cast(
        anvil, "keccak", cast(anvil, "abi-encode", "f(uint256[],uint32[])", "[]", "[]")
    )
    encoded = cast(
        anvil, "abi-encode", "f(uint256,address,uint256,address,bytes32,bytes32,bytes32)",
        chain_id, book, str(challenge_id), participant, cid_hash, parents_hash, salt,
    )  # fmt: skip
    commitment = cast(anvil, "keccak", encoded)
    assert (
        commitment
        == "0x"
        + platform.book.functions.computeCommitment(
            challenge_id, participant, ARTIFACT_CID, [], [], bytes.fromhex(salt[2:])
        )
        .call()
        .hex()
    ), "cast and the contract disagree on the commitment encoding"

    balance_before = w3.eth.get_balance(participant)
    cast(anvil, "send", book, "commit(uint256,bytes32)", str(challenge_id), commitment,
         "--value", str(COMMIT_BOND), key=participant_key)  # fmt: skip
    submission_id = uint(cast(anvil, "call", book, "submissionCount()(uint256)"))
    assert submission_id == 1
    assert platform.book.functions.bondOf(submission_id).call() == COMMIT_BOND

    # Someone else cannot reveal it, even with the right values: the book recomputes the
    # commitment with the sender, which no longer matches the committed fingerprint.
    try:
        cast(anvil, "send", book, "reveal(uint256,string,uint256[],uint32[],bytes32)",
             str(submission_id), ARTIFACT_CID, "[]", "[]", salt, key=ANVIL_KEYS[2])  # fmt: skip
        raise AssertionError("a non-committer revealed")
    except CastFailed as exc:
        selector = cast(anvil, "sig", "CommitmentMismatch(uint256,bytes32,bytes32)")
        assert selector[2:] in str(exc) or "CommitmentMismatch" in str(exc)

    cast(anvil, "send", book, "reveal(uint256,string,uint256[],uint32[],bytes32)",
         str(submission_id), ARTIFACT_CID, "[]", "[]", salt, key=participant_key)  # fmt: skip
    submission = platform.book.functions.getSubmission(submission_id).call()
    assert submission[0] == participant and submission[4] is True  # submitter, revealed
    (revealed,) = platform.book.events.Revealed().get_logs(from_block=0)
    assert revealed["args"]["artifactCid"] == ARTIFACT_CID
    assert platform.book.functions.bondOf(submission_id).call() == 0
    gas_paid = balance_before - w3.eth.get_balance(participant)
    assert gas_paid < COMMIT_BOND, "the commit bond was not refunded on reveal"

    # Phase ends; owner reveals the holdout; oracles sign a rewards root; anyone relays it.
    cast(anvil, "rpc", "evm_increaseTime", "300")
    cast(anvil, "rpc", "evm_mine")
    reveal_holdout(platform, owner, challenge_id, 0, "bafkreilabels", labels_digest, split_salt)
    tree = build_tree([Leaf(Address(participant), 600 * WAD), Leaf(Address(other), 400 * WAD)])
    report_cid = "bafkreireport"
    root = RewardRoot(
        challenge_id=challenge_id,
        phase=0,
        correction=0,
        seq=1,
        config_digest=read_phase_judges(platform, challenge_id, 0).config_digest,
        merkle_root=bytes.fromhex(tree.root[2:]),
        total=1000 * WAD,
        report_cid_hash=Web3.keccak(text=report_cid),
    )
    typed = reward_root_typed_data(root, w3.eth.chain_id, platform.vault.address)
    signatures = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
    owner.transact(platform.vault.functions.postRewards(root.as_call_arg(), report_cid, signatures))
    cast(anvil, "rpc", "evm_increaseTime", "301")
    cast(anvil, "rpc", "evm_mine")

    # Participant claims with cast.
    vault, token = platform.vault.address, platform.token.address
    proof = "[" + ",".join(tree.proof(participant)) + "]"
    claim_sig = "claim(uint256,uint32,address,uint256,bytes32[])"
    cast(anvil, "send", vault, claim_sig, str(challenge_id), "0", participant, str(600 * WAD),
         proof, key=participant_key)  # fmt: skip
    balance = uint(cast(anvil, "call", token, "balanceOf(address)(uint256)", participant))
    assert balance == 600 * WAD
    is_claimed = "isClaimed(uint256,uint32,address,uint256,bytes32[])(bool)"
    claimed = cast(anvil, "call", vault, is_claimed, str(challenge_id), "0", participant,
                   str(600 * WAD), proof)  # fmt: skip
    assert claimed.strip() == "true"
    try:
        cast(anvil, "send", vault, claim_sig, str(challenge_id), "0", participant,
             str(600 * WAD), proof, key=participant_key)  # fmt: skip
        raise AssertionError("claimed twice")
    except CastFailed as exc:
        selector = cast(anvil, "sig", "AlreadyClaimed(uint256,uint32,address)")
        assert selector[2:] in str(exc) or "AlreadyClaimed" in str(exc)
    assert uint(cast(anvil, "call", token, "balanceOf(address)(uint256)", participant)) == balance
