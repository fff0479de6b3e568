"""RewardVault: quorum-posted roots, disputes, claims with real Merkle proofs, refunds."""

import pytest
from brownie import accounts, chain
from brownie.exceptions import VirtualMachineError
from brownie_helpers import BOUNTY, LABELS_DIGEST, ORACLE_KEYS, SPLIT_SALT
from eth_utils.crypto import keccak

from oracle.chain.attestation import (
    RewardRoot,
    ordered_signatures,
    reward_root_typed_data,
    sign_typed,
)
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.types import Address

REPORT = "bafkreireport"


def fails(call, *args) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(VirtualMachineError) as caught:
        call(*args)
    return str(caught.value.revert_msg)


def end_phase(registry, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    chain.sleep(3 * 86400)
    chain.mine()
    registry.revealHoldout(
        challenge, 0, "bafkreilabels", LABELS_DIGEST, SPLIT_SALT, {"from": owner}
    )


def post(vault, registry, challenge, leaves, total=None, seq=1, report=REPORT):  # type: ignore[no-untyped-def]
    tree = build_tree(leaves)
    root = RewardRoot(challenge, 0, seq, bytes(registry.configDigest(challenge)),
                      bytes.fromhex(tree.root[2:]), total if total is not None
                      else sum(x.amount for x in leaves), keccak(text=REPORT))  # fmt: skip
    typed = reward_root_typed_data(root, chain.id, vault.address)
    sigs = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
    return tree, vault.postRewards(root.as_call_arg(), report, sigs, {"from": accounts[5]})


def leaves() -> list[Leaf]:
    return [
        Leaf(Address(accounts[1].address), 600 * 10**18),
        Leaf(Address(accounts[2].address), 100 * 10**18),
    ]


def test_root_needs_the_holdout_and_fits_the_bounty(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    assert (
        fails(post, vault, registry, challenge, leaves()) == f"HoldoutNotRevealed: {challenge}, 0"
    )
    end_phase(registry, challenge, owner)
    too_much = BOUNTY + 1
    assert fails(post, vault, registry, challenge, leaves(), too_much) == (
        f"RewardsExceedPhaseBounty: {too_much}, {BOUNTY}"
    )
    assert fails(post, vault, registry, challenge, leaves(), None, 1, "other").startswith(
        "ReportCidMismatch:"
    )
    _, tx = post(vault, registry, challenge, leaves())
    assert tx.events["RewardsPosted"]["reportCid"] == REPORT
    assert vault.unallocated(challenge) == BOUNTY - 700 * 10**18
    assert fails(post, vault, registry, challenge, leaves(), None, 2).startswith(
        f"RootAlreadyPosted: {challenge}, 0"
    )


def test_claims_pay_once_after_the_window_and_refund_the_rest(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    tree, _ = post(vault, registry, challenge, leaves())
    alice = accounts[1]
    proof = tree.proof(alice.address)
    assert fails(vault.claim, challenge, 0, alice, 600 * 10**18, proof, {"from": alice}).startswith(
        f"ClaimsNotOpen: {challenge}, 0"
    )
    chain.sleep(3601)
    assert fails(vault.claim, challenge, 0, alice, 601 * 10**18, proof, {"from": alice}) == (
        f"InvalidProof: {alice.address.lower()}, {601 * 10**18}"
    )
    vault.claim(challenge, 0, alice, 600 * 10**18, proof, {"from": accounts[5]})
    assert token.balanceOf(alice) == 600 * 10**18 and vault.isClaimed(challenge, 0, alice)
    assert fails(vault.claim, challenge, 0, alice, 600 * 10**18, proof, {"from": alice}) == (
        f"AlreadyClaimed: {challenge}, 0, {alice.address.lower()}"
    )
    before = token.balanceOf(owner)
    vault.refundRemainder(challenge, {"from": accounts[6]})
    assert token.balanceOf(owner) == before + BOUNTY - 700 * 10**18
    assert (
        fails(vault.refundRemainder, challenge, {"from": owner}) == f"AlreadyRefunded: {challenge}"
    )
    assert token.balanceOf(vault) == 100 * 10**18  # bob's leaf is still claimable


def test_dispute_rejected_forfeits_the_bond_to_the_owner(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    post(vault, registry, challenge, leaves())
    disputer = accounts[3]
    assert (
        fails(vault.dispute, challenge, 0, "why", {"from": disputer})
        == f"WrongDisputeBond: 0, {10**18}"
    )
    vault.dispute(challenge, 0, "bafkreireason", {"from": disputer, "value": 10**18})
    assert fails(vault.resolveDispute, challenge, 0, False, {"from": disputer}) == (
        f"NotArbiter: {disputer.address.lower()}, {owner.address.lower()}"
    )
    vault.resolveDispute(challenge, 0, False, {"from": owner})
    assert vault.bondCredit(owner) == 10**18
    before = owner.balance()
    vault.withdrawBonds({"from": owner})
    assert owner.balance() > before
    assert (
        fails(vault.withdrawBonds, {"from": owner}) == f"NothingToWithdraw: {owner.address.lower()}"
    )


def test_only_the_registry_escrows(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, _, vault, _, _ = platform
    assert fails(vault.escrow, 1, token, owner, 1, {"from": owner}) == (
        f"OnlyRegistry: {owner.address.lower()}"
    )
