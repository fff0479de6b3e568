"""ScoreBoard: Python-signed (eth-account) EIP-712 batches, the Ladder, private-score reveals;
every refusal by its custom error with its values."""

import pytest
from brownie import accounts, chain
from brownie_helpers import (
    DAY,
    ETA,
    ORACLE_KEYS,
    ZERO,
    challenge_config,
    create,
    fails,
    item,
    phase_config,
    post_scores,
    private_commitment,
    sign_batch,
    submit,
)
from eth_account import Account
from eth_utils.crypto import keccak

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.attestation import (
    items_as_call_arg,
    items_hash,
    score_batch,
    score_batch_typed_data,
    sign_typed,
    typed_digest,
)


def best(board, challenge_id: int, who) -> tuple[int, bool]:  # type: ignore[no-untyped-def]
    score, released = board.releasedBest(challenge_id, 0, who)
    return int(score), bool(released)


def post_raw(board, header, items, sigs):  # type: ignore[no-untyped-def]
    return board.postScores(
        header.as_call_arg(), items_as_call_arg(items), sigs, {"from": accounts[5]}
    )


def test_python_signed_batch_is_verified_and_scores_recorded(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    alice = accounts[1]
    sub_id = submit(book, challenge, alice)
    items = [item(sub_id, 7 * ETA)]
    batch, _ = sign_batch(board, registry, challenge, items, 1)
    typed = score_batch_typed_data(batch, chain.id, board.address)
    assert typed_digest(typed) == bytes(board.scoreBatchDigest(batch.as_call_arg()))
    tx = post_scores(board, registry, challenge, items, 1)
    recorded = tx.events["ScoreRecorded"]
    assert (recorded["submissionId"], recorded["publicScore"], recorded["status"]) == (
        sub_id,
        7 * ETA,
        0,
    )
    assert bytes(recorded["privateCommitment"]) == private_commitment(sub_id, 7 * ETA)
    assert tx.events["BestReleased"]["participant"] == alice
    posted = tx.events["ScoresPosted"]
    assert (posted["seq"], posted["itemCount"], posted["relayer"]) == (1, 1, accounts[5])
    assert board.isScored(sub_id) and board.lastSeq(challenge) == 1
    assert bytes(board.batchHash(challenge, 1)) == items_hash(items)
    assert board.batchPhase(challenge, 1) == 0 and not board.privateRevealed(challenge, 1)
    assert [int(x) for x in board.phaseBatches(challenge, 0)] == [1, 0]
    assert best(board, challenge, alice) == (7 * ETA, True)
    assert (board.book(), board.registry(), board.MAX_STATUS()) == (book, registry, 17)


def test_the_ladder_moves_only_by_eta(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    alice = accounts[1]
    ids = [submit(book, challenge, alice, salt=bytes([n]) * 32) for n in range(1, 5)]
    post_scores(board, registry, challenge, [item(ids[0], 50 * ETA)], 1)
    small = post_scores(board, registry, challenge, [item(ids[1], 50 * ETA)], 2)
    assert "BestReleased" not in small.events  # not better by eta: recorded, not released
    worse = post_scores(board, registry, challenge, [item(ids[2], 10 * ETA)], 3)
    assert "BestReleased" not in worse.events
    better = post_scores(board, registry, challenge, [item(ids[3], 51 * ETA)], 4)
    assert better.events["BestReleased"]["score"] == 51 * ETA
    assert best(board, challenge, alice) == (51 * ETA, True)
    assert best(board, challenge, accounts[2]) == (0, False)


@pytest.mark.parametrize("case", ["non_oracle", "duplicate", "replayed_seq", "unsorted", "one"])
def test_bad_quorums_are_rejected(platform, challenge, case) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    sub_id = submit(book, challenge, accounts[1], b"\x02" * 32)
    keys = [ORACLE_KEYS[0], ANVIL_KEYS[4]] if case == "non_oracle" else list(ORACLE_KEYS[:2])
    if case == "replayed_seq":
        post_scores(board, registry, challenge, [item(sub_id, ETA)], 1)
        sub_id = submit(book, challenge, accounts[1], b"\x03" * 32)
    header, sigs = sign_batch(board, registry, challenge, [item(sub_id, 2 * ETA)], 1, keys)
    sigs = {"duplicate": [sigs[0], sigs[0]], "unsorted": sigs[::-1], "one": sigs[:1]}.get(
        case, sigs
    )
    low_signer, high_signer = (
        a.lower()
        for a in sorted((Account.from_key(k).address for k in keys), key=lambda a: int(a, 16))
    )
    expected = {
        "non_oracle": f"NotAnOracle: {Account.from_key(ANVIL_KEYS[4]).address.lower()}",
        "duplicate": f"SignersNotSorted: 1, {low_signer}, {low_signer}",
        "replayed_seq": f"SeqAlreadyUsed: {challenge}, 1",
        "unsorted": f"SignersNotSorted: 1, {high_signer}, {low_signer}",
        "one": "QuorumNotReached: 1, 2",
    }[case]
    assert fails(post_raw, board, header, [item(sub_id, 2 * ETA)], sigs) == expected
    assert board.lastSeq(challenge) == (1 if case == "replayed_seq" else 0)


def test_a_rotation_reaches_no_phase_whose_commits_are_open(
    platform, challenge, owner, oracles
) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    sub_id = submit(book, challenge, accounts[1])
    header, sigs = sign_batch(board, registry, challenge, [item(sub_id, ETA)], 1)
    registry.setOracles(challenge, [oracles[0].address], 1, owner, {"from": owner})
    new_digest = bytes(registry.getChallenge(challenge)["configDigest"])
    rotated = score_batch(challenge, 0, 1, new_digest, [item(sub_id, ETA)])
    typed = score_batch_typed_data(rotated, chain.id, board.address)
    alone = [sign_typed(typed, ORACLE_KEYS[0]).signature]
    assert fails(post_raw, board, rotated, [item(sub_id, ETA)], alone) == (
        f"StaleConfigDigest: {new_digest}, {header.config_digest}"
    )
    post_raw(board, header, [item(sub_id, ETA)], sigs)  # the phase's own oracles still count
    assert board.isScored(sub_id)


def test_items_must_be_the_signed_ones(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    sub_id = submit(book, challenge, accounts[1])
    header, sigs = sign_batch(board, registry, challenge, [item(sub_id, ETA)], 1)
    swapped = [item(sub_id, 2 * ETA)]
    assert fails(post_raw, board, header, swapped, sigs) == (
        f"ItemsHashMismatch: {header.items_hash}, {items_hash(swapped)}"
    )
    empty_header, empty_sigs = sign_batch(board, registry, challenge, [], 1)
    assert fails(post_raw, board, empty_header, [], empty_sigs) == "EmptyBatch: "


def test_each_item_is_checked(platform, challenge, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, _, book, board = platform
    alice = accounts[1]
    revealed = submit(book, challenge, alice)
    unrevealed = book.submissionCount() + 1
    book.commit(challenge, b"\x05" * 32, {"from": alice})
    other_challenge = create(
        registry, token, owner, challenge_config(token, oracles, owner), phase_config()
    )
    elsewhere = submit(book, other_challenge, alice)
    cases = [
        ([item(elsewhere, ETA)], f"WrongSubmission: {elsewhere}, {challenge}, 0"),
        ([item(unrevealed, ETA)], f"SubmissionNotRevealed: {unrevealed}"),
        ([item(999, ETA)], "UnknownSubmission: 999"),
        ([item(revealed, 0, status=18)], f"InvalidStatus: {revealed}, 18"),
        ([item(revealed, ETA, status=3)], f"ScoreOnInvalid: {revealed}, 3, {ETA}"),
        ([item(revealed, ETA + 1)], f"OffGridScore: {revealed}, {ETA + 1}, {ETA}"),
        ([item(revealed, ETA), item(revealed, ETA)], f"AlreadyScored: {revealed}"),
    ]
    for items, expected in cases:
        header, sigs = sign_batch(board, registry, challenge, items, 1)
        assert fails(post_raw, board, header, items, sigs) == expected
    post_scores(board, registry, challenge, [item(revealed, 0, status=3)], 1)  # invalid, clear
    header, sigs = sign_batch(board, registry, challenge, [item(revealed, ETA)], 2)
    assert fails(post_raw, board, header, [item(revealed, ETA)], sigs) == (
        f"AlreadyScored: {revealed}"
    )
    assert best(board, challenge, alice) == (0, False)  # an invalid score releases nothing


def test_private_scores_open_after_the_reveal_end(platform, challenge) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    a, b = submit(book, challenge, accounts[1]), submit(book, challenge, accounts[2])
    items = [item(a, 3 * ETA, private=5 * ETA), item(b, 0, status=1, private=0)]
    post_scores(board, registry, challenge, items, 1)
    call_items = items_as_call_arg(items)
    scores, salts = [5 * ETA, 0], [ZERO, ZERO]
    reveal_end = registry.getPhase(challenge, 0)["revealEnd"]
    assert (
        fails(
            board.revealPrivateScores,
            challenge,
            1,
            call_items,
            scores,
            salts,
            {"from": accounts[6]},
        )
        == f"RevealBeforePhaseEnd: {challenge}, 0, {reveal_end}"
    )
    chain.sleep(2 * DAY + 1)
    assert (
        fails(
            board.revealPrivateScores,
            challenge,
            2,
            call_items,
            scores,
            salts,
            {"from": accounts[6]},
        )
        == f"UnknownBatch: {challenge}, 2"
    )
    assert fails(
        board.revealPrivateScores,
        challenge,
        1,
        call_items[:1],
        scores,
        salts,
        {"from": accounts[6]},
    ).startswith("ItemsHashMismatch: ")
    assert (
        fails(
            board.revealPrivateScores,
            challenge,
            1,
            call_items,
            scores[:1],
            salts,
            {"from": accounts[6]},
        )
        == "LengthMismatch: 2, 1, 2"
    )
    wrong = [4 * ETA, 0]
    assert fails(
        board.revealPrivateScores, challenge, 1, call_items, wrong, salts, {"from": accounts[6]}
    ) == (
        f"PrivateCommitmentMismatch: {a}, {private_commitment(a, 5 * ETA)}, "
        f"{private_commitment(a, 4 * ETA)}"
    )
    tx = board.revealPrivateScores(challenge, 1, call_items, scores, salts, {"from": accounts[6]})
    opened = tx.events["PrivateScoreRevealed"]
    assert [(e["submissionId"], e["privateScore"]) for e in opened] == [(a, 5 * ETA), (b, 0)]
    assert board.privateRevealed(challenge, 1)
    assert [int(x) for x in board.phaseBatches(challenge, 0)] == [1, 1]
    assert (
        fails(
            board.revealPrivateScores,
            challenge,
            1,
            call_items,
            scores,
            salts,
            {"from": accounts[6]},
        )
        == f"PrivateScoresAlreadyRevealed: {challenge}, 1"
    )


def test_the_phase_keeps_its_quorum_after_a_rotation(platform, challenge, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, book, board = platform
    registry.setOracles(challenge, [oracles[0].address], 1, owner, {"from": owner})
    sub_id = submit(book, challenge, accounts[1])
    header, sigs = sign_batch(board, registry, challenge, [item(sub_id, ETA)], 1, [ORACLE_KEYS[1]])
    assert fails(post_raw, board, header, [item(sub_id, ETA)], sigs) == "QuorumNotReached: 1, 2"
    post_scores(board, registry, challenge, [item(sub_id, ETA)], 1, list(ORACLE_KEYS[:2]))
    assert board.lastSeq(challenge) == 1


def test_the_signed_domain_and_type_are_the_documented_ones(platform) -> None:  # type: ignore[no-untyped-def]
    _, _, _, vault, _, board = platform
    type_string = (
        "ScoreBatch(uint256 challengeId,uint32 phase,uint32 correction,uint64 seq,"
        "bytes32 configDigest,bytes32 itemsHash)"
    )
    assert bytes(board.SCORE_BATCH_TYPEHASH()) == keccak(text=type_string)
    root_type = (
        "RewardRoot(uint256 challengeId,uint32 phase,uint32 correction,uint64 seq,"
        "bytes32 configDigest,bytes32 merkleRoot,uint256 total,bytes32 reportCidHash)"
    )
    assert bytes(vault.REWARD_ROOT_TYPEHASH()) == keccak(text=root_type)
    for contract in (board, vault):
        fields, name, version, chain_id, verifying, salt, extensions = contract.eip712Domain()
        assert (bytes(fields), name, version, chain_id, verifying) == (
            b"\x0f",
            "Coopetition",
            "1",
            chain.id,
            contract.address,
        )
        assert bytes(salt) == ZERO and list(extensions) == []
