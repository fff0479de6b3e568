"""ScoreBoard accepts Python-signed (eth-account) EIP-712 batches and rejects bad quorums."""

import brownie
import pytest
from brownie import accounts, chain
from brownie.exceptions import VirtualMachineError
from brownie_helpers import ETA, ORACLE_KEYS
from eth_abi.abi import encode
from eth_account import Account
from eth_utils.crypto import keccak

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.attestation import (
    ScoreItem,
    items_as_call_arg,
    ordered_signatures,
    score_batch,
    score_batch_typed_data,
    sign_typed,
    typed_digest,
)

ZERO = b"\x00" * 32
COMMIT_TYPES = ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"]


def submit(book, challenge_id, who, salt: bytes) -> int:  # type: ignore[no-untyped-def]
    fork = keccak(encode(["uint256[]", "uint32[]"], [[], []]))
    values = [chain.id, book.address, challenge_id, who.address, keccak(text="bafkreiart"), fork,
              salt]  # fmt: skip
    tx = book.commit(challenge_id, keccak(encode(COMMIT_TYPES, values)), {"from": who})
    sub_id = int(tx.events["Committed"]["submissionId"])
    book.reveal(sub_id, "bafkreiart", [], [], salt, {"from": who})
    return sub_id


def item(sub_id: int, score: int) -> ScoreItem:
    commitment = keccak(encode(["uint256", "int256", "bytes32"], [sub_id, score, ZERO]))
    return ScoreItem(sub_id, 0, score, commitment, ZERO)


def post(board, challenge_id, items, seq, keys, order=None):  # type: ignore[no-untyped-def]
    """Signs with `keys` (eth-account), checks the digest matches the contract's, posts."""
    digest = brownie.ChallengeRegistry[-1].configDigest(challenge_id)
    batch = score_batch(challenge_id, 0, seq, digest, items)
    typed = score_batch_typed_data(batch, chain.id, board.address)
    assert typed_digest(typed) == bytes(board.scoreBatchDigest(batch.as_call_arg()))
    sigs = ordered_signatures(sign_typed(typed, k) for k in keys)
    sigs = order(sigs) if order else sigs
    return board.postScores(
        batch.as_call_arg(), items_as_call_arg(items), sigs, {"from": accounts[5]}
    )


def test_python_signed_batch_is_verified_and_scores_recorded(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, board = platform
    alice = accounts[1]
    sub_id = submit(book, challenge, alice, b"\x01" * 32)
    tx = post(board, challenge, [item(sub_id, 7 * ETA)], 1, ORACLE_KEYS[:2])
    assert tx.events["ScoreRecorded"]["publicScore"] == 7 * ETA
    assert tx.events["BestReleased"]["participant"] == alice
    assert board.isScored(sub_id) and board.lastSeq(challenge) == 1


@pytest.mark.parametrize("case", ["non_oracle", "duplicate", "replayed_seq", "unsorted"])
def test_bad_quorums_are_rejected(platform, challenge, case) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, board = platform
    sub_id = submit(book, challenge, accounts[1], b"\x02" * 32)
    keys = [ORACLE_KEYS[0], ANVIL_KEYS[4]] if case == "non_oracle" else list(ORACLE_KEYS[:2])
    if case == "replayed_seq":
        post(board, challenge, [item(sub_id, ETA)], 1, keys)
        sub_id = submit(book, challenge, accounts[1], b"\x03" * 32)
    order = {"duplicate": lambda s: [s[0], s[0]], "unsorted": lambda s: s[::-1]}.get(case)
    low, high = (a.lower() for a in sorted((Account.from_key(k).address for k in keys),
                                           key=lambda a: int(a, 16)))  # fmt: skip
    expected = {
        "non_oracle": f"NotAnOracle: {Account.from_key(ANVIL_KEYS[4]).address.lower()}",
        "duplicate": f"SignersNotSorted: 1, {low}, {low}",
        "replayed_seq": f"StaleSeq: {challenge}, 1, 1",
        "unsorted": f"SignersNotSorted: 1, {high}, {low}",
    }[case]
    with pytest.raises(VirtualMachineError) as exc_info:
        post(board, challenge, [item(sub_id, 2 * ETA)], 1, keys, order)
    assert exc_info.value.revert_msg == expected
    assert board.lastSeq(challenge) == (1 if case == "replayed_seq" else 0)
