"""SubmissionBook: commits, reveals, forks, bonds, the daily cap and reviews, each refusal by
its custom error with its values."""

import pytest
from brownie import ZERO_ADDRESS, accounts, chain, web3
from brownie_helpers import (
    CID,
    DAY,
    SALT,
    challenge_config,
    commit,
    commitment,
    create,
    fails,
    fingerprint,
    low,
    phase_config,
    reveal,
    set_storage,
    submit,
)

BOND = 10**17


@pytest.fixture
def bonded(platform, owner, oracles):  # type: ignore[no-untyped-def]
    """A challenge with a 0.1 ETH commit bond and a daily cap of 2, open for 3 days."""
    _, token, registry, _, _, _ = platform
    config = challenge_config(token, oracles, owner, commit_bond=BOND, cap=2)
    return create(registry, token, owner, config, phase_config(commit=3 * DAY))


def summary(book, sub_id: int) -> tuple[str, int, int, bool]:  # type: ignore[no-untyped-def]
    submitter, challenge_id, phase, revealed = book.summaryOf(sub_id)
    return str(submitter), int(challenge_id), int(phase), bool(revealed)


def test_commit_and_reveal_record_everything(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice = accounts[1]
    c = commitment(book, challenge, alice)
    assert bytes(book.computeCommitment(challenge, alice, CID, [], [], SALT)) == c
    tx = book.commit(challenge, c, {"from": alice})
    event = tx.events["Committed"]
    sub_id = int(event["submissionId"])
    assert (event["challengeId"], event["submitter"], event["phase"]) == (challenge, alice, 0)
    assert bytes(event["commitment"]) == c and event["bond"] == 0
    assert book.submissionCount() == sub_id
    stored = book.getSubmission(sub_id)
    # Pending: one word with the challenge, the phase and a fingerprint binding the committer.
    assert stored["submitter"] == ZERO_ADDRESS and stored["forkMark"] == 0
    assert (stored["challengeId"], stored["phase"]) == (challenge, 0)
    assert not stored["revealed"] and bytes(stored["fingerprint"]) == fingerprint(c, alice)
    assert summary(book, sub_id) == (ZERO_ADDRESS, challenge, 0, False)
    tx = reveal(book, sub_id, alice)
    event = tx.events["Revealed"]
    assert event["artifactCid"] == CID and event["submitter"] == alice
    assert list(event["parents"]) == [] and list(event["weightsPpm"]) == []
    stored = book.getSubmission(sub_id)
    assert stored["revealed"] and stored["submitter"] == alice
    assert stored["forkMark"] == sub_id + 1  # the id the next commit gets: children need more
    assert bytes(stored["fingerprint"]) == b"\x00" * 32
    assert summary(book, sub_id) == (alice.address, challenge, 0, True)
    assert (book.MAX_PARENTS(), book.PPM(), book.registry()) == (8, 10**6, platform[2])


def test_commit_refusals(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice = accounts[1]
    c = commitment(book, challenge, alice)
    assert fails(book.commit, challenge, c, {"from": alice, "value": 1}) == "WrongCommitBond: 1, 0"
    assert fails(book.commit, 99, c, {"from": alice}) == "UnknownChallenge: 99"
    chain.sleep(DAY + 1)
    assert fails(book.commit, challenge, c, {"from": alice}).startswith(
        f"NoOpenPhase: {challenge}, "
    )


def test_reveal_refusals(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    sub_id = commit(book, challenge, alice)
    expected = fingerprint(commitment(book, challenge, alice), alice)
    # bob's reveal computes bob's commitment, and the fingerprint with bob as committer
    by_bob = fingerprint(commitment(book, challenge, bob), bob)
    assert fails(reveal, book, sub_id, bob) == f"CommitmentMismatch: {sub_id}, {expected}, {by_bob}"
    computed = fingerprint(commitment(book, challenge, alice, cid="other"), alice)
    assert fails(reveal, book, sub_id, alice, "other") == (
        f"CommitmentMismatch: {sub_id}, {expected}, {computed}"
    )
    reveal(book, sub_id, alice)
    assert fails(reveal, book, sub_id, alice) == f"AlreadyRevealed: {sub_id}"
    assert fails(reveal, book, 999, alice) == "UnknownSubmission: 999"
    for view in (book.getSubmission, book.summaryOf, book.bondOf):
        assert fails(view, 999) == "UnknownSubmission: 999"


def test_a_copied_commitment_can_never_be_revealed(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, mallory = accounts[1], accounts[3]
    original = commit(book, challenge, alice)
    c = commitment(book, challenge, alice)
    copied = book.commit(challenge, c, {"from": mallory})
    copy_id = int(copied.events["Committed"]["submissionId"])
    stored = fingerprint(c, mallory)  # the copy's fingerprint binds mallory as its committer
    by_mallory = fingerprint(commitment(book, challenge, mallory), mallory)
    assert fails(reveal, book, copy_id, mallory) == (  # alice's values, mallory as the sender
        f"CommitmentMismatch: {copy_id}, {stored}, {by_mallory}"
    )
    # alice's values and alice as the sender: her commitment, but not her commit
    assert fails(reveal, book, copy_id, alice) == (
        f"CommitmentMismatch: {copy_id}, {stored}, {fingerprint(c, alice)}"
    )
    reveal(book, original, alice)


def test_reveal_must_wait_for_the_next_block(platform, challenge, adversaries, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    account = adversaries.EthRefusingAccount.deploy({"from": owner})
    sub_id = book.submissionCount() + 1
    c = commitment(book, challenge, account.address)
    both = (
        book.commit.encode_input(challenge, c),
        book.reveal.encode_input(sub_id, CID, [], [], SALT),
    )
    error = fails(account.executeTwo, book, *both, {"from": owner})
    assert error == f"RevealTooEarly: {sub_id}, {chain.height}"  # the block it was mined in
    assert book.submissionCount() == sub_id - 1


def test_in_a_block_with_commits_only_older_commits_reveal(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    """Automine off: two commits and three reveals land in one block. The book remembers the
    latest block with a commit and the count before it: the older submission reveals there,
    the two committed in that block (the first of them too) are refused."""
    _, _, _, _, book, _ = platform
    alice, bob, carol = accounts[1], accounts[2], accounts[3]
    older = commit(book, challenge, alice)
    first, second = older + 1, older + 2
    sent = {"gas_limit": 400_000, "required_confs": 0, "allow_revert": True}
    web3.provider.make_request("evm_setAutomine", [False])  # type: ignore[union-attr]
    try:
        txs = [
            book.commit(challenge, commitment(book, challenge, bob), {"from": bob, **sent}),
            book.commit(challenge, commitment(book, challenge, carol), {"from": carol, **sent}),
            book.reveal(older, CID, [], [], SALT, {"from": alice, **sent}),
            book.reveal(first, CID, [], [], SALT, {"from": bob, **sent}),
            book.reveal(second, CID, [], [], SALT, {"from": carol, **sent}),
        ]
        web3.provider.make_request("evm_mine", [])  # type: ignore[union-attr]
    finally:
        web3.provider.make_request("evm_setAutomine", [True])  # type: ignore[union-attr]
    receipts = [web3.eth.get_transaction_receipt(tx.txid) for tx in txs]
    assert len({r["blockNumber"] for r in receipts}) == 1, "all five in one block"
    assert [r["status"] for r in receipts] == [1, 1, 1, 0, 0]
    block = receipts[0]["blockNumber"]
    for tx, sub_id in zip(txs[3:], (first, second), strict=True):
        tx.wait(1)
        assert tx.revert_msg == f"RevealTooEarly: {sub_id}, {block}"
    assert book.getSubmission(older)["revealed"] and book.submissionCount() == second
    reveal(book, first, bob)  # a block later, both reveal
    reveal(book, second, carol)
    assert book.summaryOf(second)[3]


def test_ids_stop_at_47_bits(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    last = book.MAX_SUBMISSION_ID()
    assert last == 2**47 - 1
    set_storage(book.address, 0, last)  # the clock word's count: as if every id were given
    c = commitment(book, challenge, accounts[1])
    assert fails(book.commit, challenge, c, {"from": accounts[1]}) == (
        f"SubmissionIdOverflow: {2**47}"
    )


def test_reveal_window_closes_at_the_reveal_end(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, _ = platform
    alice = accounts[1]
    sub_id = commit(book, challenge, alice)
    reveal_end = registry.getPhase(challenge, 0)["revealEnd"]
    chain.sleep(2 * DAY + 1)
    assert fails(reveal, book, sub_id, alice).startswith(
        f"RevealWindowClosed: {sub_id}, {reveal_end}, "
    )


def test_fork_rules(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    first = submit(book, challenge, alice)
    second = submit(book, challenge, alice, salt=b"\x02" * 32)

    def refused(parents: tuple[int, ...], weights: tuple[int, ...]) -> str:
        child = commit(book, challenge, bob, parents=parents, weights=weights)
        return fails(reveal, book, child, bob, CID, parents, weights)

    assert refused((first, second), (1, 2)) == "WeightsDoNotSumToMillion: 3"
    assert refused((second, first), (500_000, 500_000)) == (
        f"ParentsNotAscending: 1, {second}, {first}"
    )
    assert refused((first,), (500_000, 500_000)) == "WeightsLengthMismatch: 1, 2"
    assert refused((first, second), (1_000_000, 0)) == "ZeroWeight: 1"
    assert refused((first, 999), (500_000, 500_000)) == "UnknownSubmission: 999"
    assert refused(tuple(range(1, 10)), (100_000,) * 9) == "TooManyParents: 9, 8"
    child = commit(book, challenge, bob, parents=(first, second), weights=(700_000, 300_000))
    tx = reveal(book, child, bob, CID, (first, second), (700_000, 300_000))
    assert [int(p) for p in tx.events["Revealed"]["parents"]] == [first, second]
    assert [int(w) for w in tx.events["Revealed"]["weightsPpm"]] == [700_000, 300_000]


def test_a_parent_must_be_revealed_before_the_child_is_committed(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    parent = commit(book, challenge, alice)
    child = commit(book, challenge, bob, parents=(parent,), weights=(1_000_000,))
    reveal(book, parent, alice)  # revealed, but after the child's commit
    assert fails(reveal, book, child, bob, CID, (parent,), (1_000_000,)) == (
        f"ParentNotRevealedBeforeCommit: {parent}, {child}"
    )


def test_commit_bond_refund_and_forfeit(platform, owner, bonded) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice = accounts[1]
    c = commitment(book, bonded, alice)
    assert fails(book.commit, bonded, c, {"from": alice}) == f"WrongCommitBond: 0, {BOND}"
    kept = commit(book, bonded, alice, value=BOND)
    lost = commit(book, bonded, alice, salt=b"\x07" * 32, value=BOND)
    assert book.bondOf(kept) == BOND and book.balance() == 2 * BOND
    before = alice.balance()
    reveal(book, kept, alice)
    assert alice.balance() == before + BOND and book.bondOf(kept) == 0
    assert fails(book.forfeitBond, kept, {"from": accounts[3]}) == f"BondNotForfeitable: {kept}"
    assert fails(book.forfeitBond, lost, {"from": accounts[3]}) == f"BondNotForfeitable: {lost}"
    chain.sleep(4 * DAY + 1)
    owner_before = owner.balance()
    tx = book.forfeitBond(lost, {"from": accounts[3]})
    assert (
        tx.events["BondForfeited"]["to"] == owner and tx.events["BondForfeited"]["amount"] == BOND
    )
    assert owner.balance() == owner_before + BOND and book.bondOf(lost) == 0
    assert fails(book.forfeitBond, lost, {"from": accounts[3]}) == f"BondNotForfeitable: {lost}"


def test_without_a_bond_there_is_nothing_to_forfeit(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    sub_id = commit(book, challenge, accounts[1])
    chain.sleep(2 * DAY + 1)
    assert fails(book.forfeitBond, sub_id, {"from": accounts[3]}) == (
        f"BondNotForfeitable: {sub_id}"
    )
    assert fails(book.forfeitBond, 999, {"from": accounts[3]}) == "UnknownSubmission: 999"


def test_a_committer_that_refuses_eth_cannot_reveal_while_bonded(
    platform, bonded, adversaries, owner
) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    account = adversaries.EthRefusingAccount.deploy({"from": owner})
    sub_id = book.submissionCount() + 1
    c = commitment(book, bonded, account.address)
    account.execute(book, book.commit.encode_input(bonded, c), {"from": owner, "value": BOND})
    call = book.reveal.encode_input(sub_id, CID, [], [], SALT)
    assert fails(account.execute, book, call, {"from": owner}) == (
        f"EthTransferFailed: {low(account)}, {BOND}"
    )
    assert not book.getSubmission(sub_id)["revealed"] and book.bondOf(sub_id) == BOND


def test_daily_cap_is_a_rolling_day(platform, bonded) -> None:  # type: ignore[no-untyped-def]
    _, _, _, _, book, _ = platform
    alice = accounts[1]
    first = book.commit(bonded, b"\x01" * 32, {"from": alice, "value": BOND})
    book.commit(bonded, b"\x02" * 32, {"from": alice, "value": BOND})
    first_time = chain[first.block_number].timestamp
    assert fails(book.commit, bonded, b"\x03" * 32, {"from": alice, "value": BOND}) == (
        f"DailyCapReached: {low(alice)}, 2, {first_time + DAY}"
    )
    book.commit(bonded, b"\x03" * 32, {"from": accounts[2], "value": BOND})  # others may
    chain.sleep(first_time + DAY - chain[-1].timestamp)
    book.commit(bonded, b"\x03" * 32, {"from": alice, "value": BOND})


def test_review_rules(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, _ = platform
    alice, bob = accounts[1], accounts[2]
    sub_id = commit(book, challenge, alice)
    assert fails(book.review, sub_id, 1, "r", {"from": bob}) == f"NotRevealed: {sub_id}"
    assert fails(book.review, 999, 1, "r", {"from": bob}) == "UnknownSubmission: 999"
    reveal(book, sub_id, alice)
    assert fails(book.review, sub_id, 1, "r", {"from": alice}) == (
        f"SelfReview: {sub_id}, {low(alice)}"
    )
    assert fails(book.review, sub_id, 4, "r", {"from": bob}) == "InvalidVerdict: 4"
    assert fails(book.review, sub_id, 0, "r", {"from": bob}) == "InvalidVerdict: 0"
    assert not book.hasReviewed(sub_id, bob)
    tx = book.review(sub_id, 2, "bafkreinote", {"from": bob})
    event = tx.events["Reviewed"]
    assert (event["verdict"], event["reviewer"], event["reviewCid"]) == (2, bob, "bafkreinote")
    assert book.hasReviewed(sub_id, bob)
    assert fails(book.review, sub_id, 1, "r", {"from": bob}) == (
        f"AlreadyReviewed: {sub_id}, {low(bob)}"
    )
    reveal_end = registry.getPhase(challenge, 0)["revealEnd"]
    chain.sleep(2 * DAY + 1)
    assert fails(book.review, sub_id, 1, "r", {"from": accounts[3]}).startswith(
        f"ReviewWindowClosed: {sub_id}, {reveal_end}, "
    )
