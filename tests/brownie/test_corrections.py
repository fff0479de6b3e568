"""Corrections of a phase's scorer or labels (issue 15): the owner's event, the rescore under
the new correction, the void of a root still in its window, every refusal by its error."""

from dataclasses import replace

from brownie import accounts, chain
from brownie_helpers import (
    DISPUTE_BOND,
    ETA,
    ZERO,
    end_phase,
    fails,
    item,
    post_root,
    post_scores,
    reward_root,
    sign_batch,
    sign_root,
    submit,
)

from oracle.chain.attestation import items_as_call_arg
from oracle.rewards.model import Leaf
from oracle.types import Address

SCORER = "bafkreicorrectedscorer"
REASON = "bafkreireason"
NO_LABELS = bytes(32)


def correct(registry, challenge: int, owner, scorer: str = SCORER, reason: str = REASON):  # type: ignore[no-untyped-def]
    return registry.publishCorrection(challenge, 0, scorer, NO_LABELS, reason, {"from": owner})


def open_batch(board, challenge: int, seq: int, items: list) -> None:  # type: ignore[no-untyped-def]
    board.revealPrivateScores(
        challenge,
        seq,
        items_as_call_arg(items),
        [i.public_score for i in items],
        [ZERO] * len(items),
        {"from": accounts[6]},
    )


def leaves() -> list[Leaf]:
    return [Leaf(Address(accounts[1].address), 100 * 10**18)]


def test_a_correction_needs_a_change_and_a_reason(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, _, _, _ = platform
    assert fails(correct, registry, challenge, owner, "") == f"EmptyCorrection: {challenge}, 0"
    assert fails(correct, registry, challenge, owner, SCORER, "") == (
        f"EmptyCorrectionReason: {challenge}, 0"
    )
    tx = correct(registry, challenge, owner)
    event = tx.events["CorrectionPublished"]
    assert (event["correction"], event["scorerCid"], event["reasonCid"]) == (1, SCORER, REASON)
    assert registry.getPhase(challenge, 0)["correction"] == 1


def test_scores_and_roots_name_the_current_correction(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, book, board = platform
    sub_id = submit(book, challenge, accounts[1])
    post_scores(board, registry, challenge, [item(sub_id, 5 * ETA)], 1)
    stale_batch, stale_sigs = sign_batch(board, registry, challenge, [item(sub_id, 3 * ETA)], 2)
    correct(registry, challenge, owner)
    assert (
        fails(
            board.postScores,
            stale_batch.as_call_arg(),
            items_as_call_arg([item(sub_id, 3 * ETA)]),
            stale_sigs,
            {"from": accounts[5]},
        )
        == f"WrongCorrection: {challenge}, 0, 0, 1"
    )
    post_scores(board, registry, challenge, [item(sub_id, 3 * ETA)], 2)
    assert board.isScoredUnder(sub_id, 1)
    assert board.releasedBest(challenge, 0, accounts[1])[0] == 3 * ETA
    end_phase(registry, challenge, owner)
    open_batch(board, challenge, 2, [item(sub_id, 3 * ETA)])
    stale_root = replace(reward_root(vault, registry, challenge, b"\x01" * 32, 1), correction=0)
    assert (
        fails(
            vault.postRewards,
            stale_root.as_call_arg(),
            "bafkreireport",
            sign_root(vault, stale_root),
            {"from": accounts[5]},
        )
        == f"WrongCorrection: {challenge}, 0, 0, 1"
    )
    post_root(vault, registry, challenge, leaves())
    assert int(vault.getRoot(challenge, 0)["state"]) == 1  # posted under correction 1


def test_a_correction_voids_a_root_in_its_window_and_is_refused_after(
    platform, challenge, owner
) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, book, board = platform
    sub_id = submit(book, challenge, accounts[1])
    post_scores(board, registry, challenge, [item(sub_id, 5 * ETA)], 1)
    end_phase(registry, challenge, owner)
    open_batch(board, challenge, 1, [item(sub_id, 5 * ETA)])
    post_root(vault, registry, challenge, leaves())
    tx = correct(registry, challenge, owner)
    assert tx.events["RewardsVoidedByCorrection"]["correction"] == 1
    assert int(vault.getRoot(challenge, 0)["state"]) == 3  # voided
    post_scores(board, registry, challenge, [item(sub_id, 4 * ETA)], 2)
    open_batch(board, challenge, 2, [item(sub_id, 4 * ETA)])
    post_root(vault, registry, challenge, leaves(), seq=2)
    vault.dispute(challenge, 0, "bafkreiwhy", {"from": accounts[3], "value": DISPUTE_BOND})
    deadline = vault.getRoot(challenge, 0)["arbiterDeadline"]
    assert fails(correct, registry, challenge, owner) == (
        f"CorrectionDuringDispute: {challenge}, 0, {deadline}"
    )
    chain.sleep(deadline - chain[-1].timestamp + 1)
    chain.mine()
    vault.lapseDispute(challenge, 0, {"from": accounts[3]})
    claimable = vault.getRoot(challenge, 0)["claimableAt"]
    chain.sleep(claimable - chain[-1].timestamp + 1)
    chain.mine()
    assert fails(correct, registry, challenge, owner) == (
        f"CorrectionAfterClaimsOpened: {challenge}, 0, {claimable}"
    )
