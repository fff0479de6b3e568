"""SubmissionBook: commit bonds, reveals, forks and reviews, each refusal by its error."""

import pytest
from brownie import accounts, chain
from brownie.exceptions import VirtualMachineError
from eth_abi.abi import encode
from eth_utils.crypto import keccak

COMMIT_TYPES = ["uint256", "address", "uint256", "address", "bytes32", "bytes32", "bytes32"]


def commitment(book, challenge_id, who, cid, parents, weights, salt):  # type: ignore[no-untyped-def]
    fork = keccak(encode(["uint256[]", "uint32[]"], [parents, weights]))
    values = [chain.id, book.address, challenge_id, who.address, keccak(text=cid), fork, salt]
    return keccak(encode(COMMIT_TYPES, values))


def commit(book, challenge_id, who, cid="bafkreiart", parents=(), weights=(), salt=b"\x01" * 32):  # type: ignore[no-untyped-def]
    c = commitment(book, challenge_id, who, cid, list(parents), list(weights), salt)
    tx = book.commit(challenge_id, c, {"from": who})
    return int(tx.events["Committed"]["submissionId"])


def reveal(book, sub_id, who, cid="bafkreiart", parents=(), weights=(), salt=b"\x01" * 32):  # type: ignore[no-untyped-def]
    return book.reveal(sub_id, cid, list(parents), list(weights), salt, {"from": who})


def fails(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(VirtualMachineError) as caught:
        call(*args)
    return str(caught.value.revert_msg)


def test_commit_and_reveal_record_everything(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice = accounts[1]
    sub_id = commit(book, challenge, alice)
    tx = reveal(book, sub_id, alice)
    event = tx.events["Revealed"]
    assert event["artifactCid"] == "bafkreiart" and event["submitter"] == alice
    stored = book.getSubmission(sub_id)
    assert stored["revealed"] and stored["challengeId"] == challenge


def test_reveal_refusals(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    sub_id = commit(book, challenge, alice)
    assert fails(reveal, book, sub_id, bob) == (
        f"NotCommitter: {sub_id}, {bob.address.lower()}, {alice.address.lower()}"
    )
    assert fails(reveal, book, sub_id, alice, "other").startswith(f"CommitmentMismatch: {sub_id}, ")
    reveal(book, sub_id, alice)
    assert fails(reveal, book, sub_id, alice) == f"AlreadyRevealed: {sub_id}"
    assert fails(reveal, book, 999, alice) == "UnknownSubmission: 999"


def test_fork_rules(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    first, second = (
        commit(book, challenge, alice),
        commit(book, challenge, alice, salt=b"\x02" * 32),
    )
    reveal(book, first, alice)
    reveal(book, second, alice, salt=b"\x02" * 32)
    bad_sum = commit(book, challenge, bob, parents=(first, second), weights=(1, 2))
    assert fails(reveal, book, bad_sum, bob, "bafkreiart", (first, second), (1, 2)) == (
        "WeightsDoNotSumToMillion: 3"
    )
    unsorted = commit(book, challenge, bob, parents=(second, first), weights=(500_000, 500_000))
    assert fails(reveal, book, unsorted, bob, "bafkreiart", (second, first),
                 (500_000, 500_000)) == f"ParentsNotAscending: 1, {second}, {first}"  # fmt: skip
    child = commit(book, challenge, bob, parents=(first, second), weights=(700_000, 300_000))
    tx = reveal(book, child, bob, "bafkreiart", (first, second), (700_000, 300_000))
    assert [int(p) for p in tx.events["Revealed"]["parents"]] == [first, second]


def test_commit_bond_refund_and_forfeit(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, book, _ = platform
    now = chain[-1].timestamp
    cfg = (token, 0, True, 0, 10**18, 10**16, [o.address for o in oracles], 2, 3600, 0, owner,
           0, 10**17, 0)  # fmt: skip
    tx = registry.createChallenge(cfg, "s", ("s", now, now + 1000, now + 2000, b"\x01" * 32, 0),
                                  {"from": owner})  # fmt: skip
    bonded = tx.events["ChallengeCreated"]["challengeId"]
    alice = accounts[1]
    c = commitment(book, bonded, alice, "bafkreiart", [], [], b"\x01" * 32)
    assert fails(book.commit, bonded, c, {"from": alice}) == f"WrongCommitBond: 0, {10**17}"
    kept = book.commit(bonded, c, {"from": alice, "value": 10**17}).events["Committed"][
        "submissionId"
    ]
    lost = book.commit(bonded, keccak(b"x"), {"from": alice, "value": 10**17}).events["Committed"][
        "submissionId"
    ]
    before = alice.balance()
    reveal(book, kept, alice)
    assert alice.balance() == before + 10**17 and book.bondOf(kept) == 0
    assert fails(book.forfeitBond, lost, {"from": accounts[3]}) == f"BondNotForfeitable: {lost}"
    chain.sleep(2500)
    owner_before = owner.balance()
    book.forfeitBond(lost, {"from": accounts[3]})
    assert owner.balance() == owner_before + 10**17


def test_review_rules(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    sub_id = commit(book, challenge, alice)
    assert fails(book.review, sub_id, 1, "r", {"from": bob}) == f"NotRevealed: {sub_id}"
    reveal(book, sub_id, alice)
    assert fails(book.review, sub_id, 1, "r", {"from": alice}) == (
        f"SelfReview: {sub_id}, {alice.address.lower()}"
    )
    assert fails(book.review, sub_id, 4, "r", {"from": bob}) == "InvalidVerdict: 4"
    tx = book.review(sub_id, 2, "bafkreinote", {"from": bob})
    assert tx.events["Reviewed"]["verdict"] == 2 and book.hasReviewed(sub_id, bob)
    assert fails(book.review, sub_id, 1, "r", {"from": bob}) == (
        f"AlreadyReviewed: {sub_id}, {bob.address.lower()}"
    )
