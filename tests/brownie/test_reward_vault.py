"""RewardVault: quorum-posted roots, claims with real Merkle proofs that never pass a root's
total, disputes with an arbiter deadline, refunds; every refusal by its custom error."""

from brownie import accounts, chain
from brownie_helpers import (
    BOUNTY,
    DAY,
    DISPUTE_BOND,
    DISPUTE_WINDOW,
    ETA,
    LABELS_DIGEST,
    NOTICE_PERIOD,
    REPORT,
    SPLIT_SALT,
    ZERO,
    challenge_config,
    create,
    end_phase,
    fails,
    holdout_commitment,
    item,
    low,
    phase_config,
    post_root,
    post_scores,
    reward_root,
    sign_root,
    submit,
)
from eth_utils.crypto import keccak

from oracle.chain.attestation import items_as_call_arg, reward_root_typed_data, typed_digest
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.types import Address

ATTACKER_KEY = "0x" + "66" * 32


def leaves() -> list[Leaf]:
    return [
        Leaf(Address(accounts[1].address), 600 * 10**18),
        Leaf(Address(accounts[2].address), 100 * 10**18),
    ]


def root_state(vault, challenge_id: int, phase: int = 0) -> int:  # type: ignore[no-untyped-def]
    return int(vault.getRoot(challenge_id, phase)["state"])


POSTED, DISPUTED, VOIDED = 1, 2, 3


def test_root_needs_the_holdout_the_private_scores_and_fits_the_bounty(
    platform, challenge, owner
) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, book, board = platform
    deadline = registry.getPhase(challenge, 0)["revealEnd"] + vault.HOLDOUT_DEADLINE()
    assert fails(post_root, vault, registry, challenge, leaves()) == (
        f"HoldoutNotRevealed: {challenge}, 0, {deadline}"
    )
    sub_id = submit(book, challenge, accounts[1])
    post_scores(board, registry, challenge, [item(sub_id, 5 * ETA)], 1)
    end_phase(registry, challenge, owner)
    assert fails(post_root, vault, registry, challenge, leaves()) == (
        f"PrivateScoresNotRevealed: {challenge}, 0, 1, 0"
    )
    board.revealPrivateScores(
        challenge,
        1,
        items_as_call_arg([item(sub_id, 5 * ETA)]),
        [5 * ETA],
        [ZERO],
        {"from": accounts[6]},
    )
    too_much = BOUNTY + 1
    assert fails(post_root, vault, registry, challenge, leaves(), too_much) == (
        f"RewardsExceedPhaseBounty: {too_much}, {BOUNTY}"
    )
    tree = build_tree(leaves())
    root = reward_root(vault, registry, challenge, bytes.fromhex(tree.root[2:]), 700 * 10**18)
    assert typed_digest(reward_root_typed_data(root, chain.id, vault.address)) == bytes(
        vault.rewardRootDigest(root.as_call_arg())
    )
    sigs = sign_root(vault, root)
    assert fails(vault.postRewards, root.as_call_arg(), "other", sigs, {"from": accounts[5]}) == (
        f"ReportCidMismatch: {keccak(text=REPORT)}, {keccak(text='other')}"
    )
    assert (
        fails(vault.postRewards, root.as_call_arg(), REPORT, sigs[:1], {"from": accounts[5]})
        == "QuorumNotReached: 1, 2"
    )
    tx = vault.postRewards(root.as_call_arg(), REPORT, sigs, {"from": accounts[5]})
    posted = tx.events["RewardsPosted"]
    assert posted["reportCid"] == REPORT and posted["total"] == 700 * 10**18
    assert posted["claimableAt"] == chain[tx.block_number].timestamp + DISPUTE_WINDOW
    record = vault.getRoot(challenge, 0)
    assert record["state"] == POSTED and record["claimed"] == 0 and record["seq"] == 1
    assert vault.unallocated(challenge) == BOUNTY - 700 * 10**18
    assert fails(post_root, vault, registry, challenge, leaves(), None, 2) == (
        f"RootAlreadyPosted: {challenge}, 0, {POSTED}"
    )


def test_claims_pay_once_after_the_window_and_refund_the_rest(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    tree, _ = post_root(vault, registry, challenge, leaves())
    alice = accounts[1]
    proof = tree.proof(alice.address)
    claimable_at = vault.getRoot(challenge, 0)["claimableAt"]
    assert fails(vault.claim, challenge, 0, alice, 600 * 10**18, proof, {"from": alice}) == (
        f"ClaimsNotOpen: {challenge}, 0, {claimable_at}, {POSTED}"
    )
    assert fails(vault.refundRemainder, challenge, {"from": owner}) == (
        f"PhaseNotSettled: {challenge}, 0, {POSTED}, {claimable_at}"
    )
    chain.sleep(DISPUTE_WINDOW + 1)
    assert fails(vault.claim, challenge, 0, alice, 601 * 10**18, proof, {"from": alice}) == (
        f"InvalidProof: {low(alice)}, {601 * 10**18}"
    )
    tx = vault.claim(challenge, 0, alice, 600 * 10**18, proof, {"from": accounts[5]})
    claimed = tx.events["Claimed"]
    assert (claimed["challengeId"], claimed["phase"]) == (challenge, 0)
    assert (claimed["account"], claimed["amount"]) == (alice, 600 * 10**18)
    assert token.balanceOf(alice) == 600 * 10**18
    assert vault.isClaimed(challenge, 0, alice, 600 * 10**18, proof)
    bob_proof = tree.proof(accounts[2].address)
    assert not vault.isClaimed(challenge, 0, accounts[2], 100 * 10**18, bob_proof)
    assert fails(vault.isClaimed, challenge, 0, alice, 601 * 10**18, proof) == (
        f"InvalidProof: {low(alice)}, {601 * 10**18}"
    )
    assert vault.getRoot(challenge, 0)["claimed"] == 600 * 10**18
    assert vault.escrowBalance(challenge) == BOUNTY - 600 * 10**18
    assert fails(vault.claim, challenge, 0, alice, 600 * 10**18, proof, {"from": alice}) == (
        f"AlreadyClaimed: {challenge}, 0, {low(alice)}"
    )
    before = token.balanceOf(owner)
    assert fails(vault.refundRemainder, challenge, {"from": accounts[6]}) == (
        f"NotChallengeOwner: {challenge}, {low(accounts[6])}, {low(owner)}"
    )
    tx = vault.refundRemainder(challenge, {"from": owner})
    assert tx.events["RemainderRefunded"]["amount"] == BOUNTY - 700 * 10**18
    assert token.balanceOf(owner) == before + BOUNTY - 700 * 10**18 and vault.isClosed(challenge)
    assert fails(vault.refundRemainder, challenge, {"from": owner}) == (
        f"AlreadyRefunded: {challenge}"
    )
    assert token.balanceOf(vault) == 100 * 10**18  # bob's leaf is still claimable
    vault.claim(
        challenge,
        0,
        accounts[2],
        100 * 10**18,
        tree.proof(accounts[2].address),
        {"from": accounts[2]},
    )
    assert token.balanceOf(vault) == 0 and vault.escrowBalance(challenge) == 0


def test_a_tiny_challenge_cannot_drain_the_vault(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    """The reported attack: a 1-wei challenge whose only oracle and arbiter is the attacker,
    windows just over, the shortest dispute window, a root with total 1 and a leaf for
    everything."""
    _, token, registry, vault, _, _ = platform
    attacker = accounts.add(ATTACKER_KEY)
    owner.transfer(attacker, 10**18)
    token.mint(attacker, 1, {"from": owner})
    token.approve(vault, 1, {"from": attacker})
    now = chain[-1].timestamp
    config = challenge_config(token, [attacker], attacker, bounty=1, quorum=1, window=300, bond=0)
    past = ("bafkreispec", True, 0, 10**18, 10**18, now - 3, now + 2, now + 4,
            holdout_commitment(), 1)  # fmt: skip
    tiny = int(
        registry.createChallenge(config, "s", past, {"from": attacker}).events["ChallengeCreated"][
            "challengeId"
        ]
    )
    chain.sleep(10)
    chain.mine()
    registry.revealHoldout(tiny, 0, "l", LABELS_DIGEST, SPLIT_SALT, {"from": attacker})
    held = token.balanceOf(vault)
    assert held == BOUNTY + 1
    greedy = [Leaf(Address(attacker.address), held), Leaf(Address(accounts[3].address), 0)]
    tree, _ = post_root(vault, registry, tiny, greedy, total=1, keys=[ATTACKER_KEY])
    chain.sleep(301)
    chain.mine()
    assert vault.getRoot(tiny, 0)["claimableAt"] <= chain[-1].timestamp  # claims are open
    proof = tree.proof(attacker.address)
    assert fails(vault.claim, tiny, 0, attacker, held, proof, {"from": attacker}) == (
        f"ClaimExceedsRootTotal: {tiny}, 0, 0, {held}, 1"
    )
    assert token.balanceOf(vault) == held and token.balanceOf(attacker) == 0
    assert vault.escrowBalance(challenge) == BOUNTY


def test_claims_stop_at_the_root_total(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    tree, _ = post_root(vault, registry, challenge, leaves(), total=650 * 10**18)
    chain.sleep(DISPUTE_WINDOW + 1)
    alice, bob = accounts[1], accounts[2]
    vault.claim(challenge, 0, alice, 600 * 10**18, tree.proof(alice.address), {"from": alice})
    assert fails(
        vault.claim, challenge, 0, bob, 100 * 10**18, tree.proof(bob.address), {"from": bob}
    ) == (f"ClaimExceedsRootTotal: {challenge}, 0, {600 * 10**18}, {100 * 10**18}, {650 * 10**18}")
    assert token.balanceOf(bob) == 0
    assert not vault.isClaimed(challenge, 0, bob, 100 * 10**18, tree.proof(bob.address))


def test_a_zero_bounty_challenge_pays_in_its_own_token(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    free = create(registry, token, owner, challenge_config(token, oracles, owner), phase_config())
    assert vault.escrowBalance(free) == 0
    end_phase(registry, free, owner)
    alice = accounts[1]
    tree, _ = post_root(vault, registry, free, [Leaf(Address(alice.address), 0)], total=0)
    chain.sleep(DISPUTE_WINDOW + 1)
    tx = vault.claim(free, 0, alice, 0, tree.proof(alice.address), {"from": alice})
    assert tx.events["Claimed"]["amount"] == 0
    assert vault.isClaimed(free, 0, alice, 0, tree.proof(alice.address))
    # Topped up by a later phase, the same challenge pays real tokens.
    reveal_end = registry.getPhase(free, 0)["revealEnd"]
    start = max(reveal_end, chain[-1].timestamp + NOTICE_PERIOD + 60)
    token.mint(owner, 50, {"from": owner})
    token.approve(vault, 50, {"from": owner})
    registry.addPhase(
        free,
        ("s", True, 0, 10**18, ETA, start, start + DAY, start + 2 * DAY, holdout_commitment(), 50),
        50,
        {"from": owner},
    )
    end_phase(registry, free, owner, phase=1)
    tree, _ = post_root(vault, registry, free, [Leaf(Address(alice.address), 50)], seq=2, phase=1)
    chain.sleep(DISPUTE_WINDOW + 1)
    tx = vault.claim(free, 1, alice, 50, tree.proof(alice.address), {"from": alice})
    assert token.balanceOf(alice) == 50
    claimed = tx.events["Claimed"]  # the event's phase and amount, from its data words
    assert (claimed["challengeId"], claimed["phase"], claimed["amount"]) == (free, 1, 50)
    assert claimed["account"] == alice


def test_totals_above_128_bits_are_refused(platform, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    huge = 2**128
    config = challenge_config(token, oracles, owner, bounty=huge)
    rich = create(registry, token, owner, config, phase_config(bounty=huge))
    end_phase(registry, rich, owner)
    assert fails(post_root, vault, registry, rich, [Leaf(Address(owner.address), huge)]) == (
        f"SafeCastOverflowedUintDowncast: 128, {huge}"
    )


def test_dispute_rejected_forfeits_the_bond_to_the_owner(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    assert fails(vault.dispute, challenge, 0, "why", {"from": accounts[3]}) == (
        f"NotDisputable: {challenge}, 0, 0"
    )
    end_phase(registry, challenge, owner)
    post_root(vault, registry, challenge, leaves())
    disputer = accounts[3]
    assert fails(vault.dispute, challenge, 0, "why", {"from": disputer}) == (
        f"WrongDisputeBond: 0, {DISPUTE_BOND}"
    )
    assert fails(vault.resolveDispute, challenge, 0, False, {"from": owner}) == (
        f"NotDisputed: {challenge}, 0, {POSTED}"
    )
    assert fails(vault.dispute, challenge, 0, "", {"from": disputer, "value": DISPUTE_BOND}) == (
        f"EmptyDisputeReason: {challenge}, 0"
    )
    tx = vault.dispute(challenge, 0, "bafkreireason", {"from": disputer, "value": DISPUTE_BOND})
    assert tx.events["RewardsDisputed"]["reasonCid"] == "bafkreireason"
    record = vault.getRoot(challenge, 0)
    assert record["state"] == DISPUTED and record["disputer"] == disputer
    assert record["arbiterDeadline"] == chain[tx.block_number].timestamp + 7 * DAY
    assert vault.ARBITER_PERIOD() == 7 * DAY and vault.balance() == DISPUTE_BOND
    assert (
        fails(vault.dispute, challenge, 0, "again", {"from": accounts[4], "value": DISPUTE_BOND})
        == f"NotDisputable: {challenge}, 0, {DISPUTED}"
    )
    assert fails(vault.resolveDispute, challenge, 0, False, {"from": disputer}) == (
        f"NotArbiter: {low(disputer)}, {low(owner)}"
    )
    tx = vault.resolveDispute(challenge, 0, False, {"from": owner})
    assert tx.events["DisputeResolved"]["upheld"] is False
    credited = tx.events["BondCredited"]
    assert (credited["account"], credited["amount"]) == (owner, DISPUTE_BOND)
    assert vault.bondCredit(owner) == DISPUTE_BOND and root_state(vault, challenge) == POSTED
    assert tx.events["DisputeResolved"]["claimableAt"] == vault.getRoot(challenge, 0)["claimableAt"]
    assert fails(
        vault.dispute, challenge, 0, "again", {"from": disputer, "value": DISPUTE_BOND}
    ) == (f"AlreadyDisputed: {challenge}, 0, {low(disputer)}")
    assert vault.hasDisputed(challenge, 0, disputer)
    assert not vault.hasDisputed(challenge, 0, accounts[4])
    before = owner.balance()
    tx = vault.withdrawBonds({"from": owner})
    assert tx.events["BondWithdrawn"]["amount"] == DISPUTE_BOND
    assert owner.balance() == before + DISPUTE_BOND and vault.bondCredit(owner) == 0
    assert fails(vault.withdrawBonds, {"from": owner}) == f"NothingToWithdraw: {low(owner)}"
    chain.sleep(DISPUTE_WINDOW + 1)
    assert fails(
        vault.dispute, challenge, 0, "late", {"from": accounts[4], "value": DISPUTE_BOND}
    ).startswith(f"DisputeWindowClosed: {challenge}, 0, ")


def test_an_upheld_dispute_voids_the_root_and_the_oracles_repost(
    platform, challenge, owner
) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    post_root(vault, registry, challenge, leaves(), seq=3)
    vault.dispute(challenge, 0, "bafkreireason", {"from": accounts[3], "value": DISPUTE_BOND})
    vault.resolveDispute(challenge, 0, True, {"from": owner})
    assert root_state(vault, challenge) == VOIDED and vault.unallocated(challenge) == BOUNTY
    assert vault.bondCredit(accounts[3]) == DISPUTE_BOND
    assert fails(post_root, vault, registry, challenge, leaves(), None, 3) == (
        f"StaleRewardSeq: {challenge}, 0, 3, 3"
    )
    post_root(vault, registry, challenge, leaves()[:1], None, 4)
    assert root_state(vault, challenge) == POSTED
    assert vault.unallocated(challenge) == BOUNTY - 600 * 10**18


def test_a_dispute_the_arbiter_leaves_open_lapses(platform, challenge, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    tree, _ = post_root(vault, registry, challenge, leaves())
    tx = vault.dispute(challenge, 0, "r", {"from": accounts[3], "value": DISPUTE_BOND})
    deadline = chain[tx.block_number].timestamp + 7 * DAY
    assert fails(vault.lapseDispute, challenge, 0, {"from": accounts[4]}) == (
        f"DisputeNotLapsed: {challenge}, 0, {deadline}"
    )
    assert fails(vault.refundRemainder, challenge, {"from": owner}) == (
        f"PhaseNotSettled: {challenge}, 0, {DISPUTED}, {2**64 - 1}"
    )
    chain.sleep(7 * DAY)
    chain.mine()
    assert fails(vault.resolveDispute, challenge, 0, True, {"from": owner}) == (
        f"ArbiterDeadlinePassed: {challenge}, 0, {deadline}"
    )
    tx = vault.lapseDispute(challenge, 0, {"from": accounts[4]})
    lapsed = tx.events["DisputeLapsed"]
    assert (lapsed["disputer"], lapsed["bond"]) == (accounts[3], DISPUTE_BOND)
    assert root_state(vault, challenge) == POSTED and vault.bondCredit(accounts[3]) == DISPUTE_BOND
    assert fails(vault.lapseDispute, challenge, 0, {"from": accounts[4]}) == (
        f"NotDisputed: {challenge}, 0, {POSTED}"
    )
    assert lapsed["claimableAt"] == vault.getRoot(challenge, 0)["claimableAt"]  # resumed
    chain.sleep(DISPUTE_WINDOW + 1)
    alice = accounts[1]
    vault.claim(challenge, 0, alice, 600 * 10**18, tree.proof(alice.address), {"from": alice})
    assert token.balanceOf(alice) == 600 * 10**18


def test_the_refund_waits_for_every_root_to_settle(platform, challenge, owner, oracles) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    post_root(vault, registry, challenge, leaves())
    tx = vault.dispute(challenge, 0, "r", {"from": accounts[3], "value": DISPUTE_BOND})
    chain.sleep(31 * DAY)  # past the grace: the final phase is due, but its root is disputed
    assert fails(vault.refundRemainder, challenge, {"from": owner}) == (
        f"PhaseNotSettled: {challenge}, 0, {DISPUTED}, {2**64 - 1}"
    )
    assert tx.events["RewardsDisputed"]["bond"] == DISPUTE_BOND
    vault.lapseDispute(challenge, 0, {"from": owner})
    chain.sleep(DISPUTE_WINDOW + 1)  # the window resumed at the lapse
    vault.refundRemainder(challenge, {"from": owner})
    assert vault.isClosed(challenge)
    assert fails(post_root, vault, registry, challenge, leaves(), None, 2) == (
        f"ChallengeClosed: {challenge}"
    )
    later = (
        "s",
        True,
        0,
        10**18,
        ETA,
        chain[-1].timestamp,
        chain[-1].timestamp + DAY,
        chain[-1].timestamp + 2 * DAY,
        holdout_commitment(),
        0,
    )
    assert fails(registry.addPhase, challenge, later, 0, {"from": owner}) == (
        f"ChallengeClosed: {challenge}"
    )


def test_a_disputer_that_refuses_eth_cannot_withdraw(
    platform, challenge, owner, adversaries
) -> None:  # type: ignore[no-untyped-def]
    _, _, registry, vault, _, _ = platform
    end_phase(registry, challenge, owner)
    post_root(vault, registry, challenge, leaves())
    account = adversaries.EthRefusingAccount.deploy({"from": owner})
    account.execute(
        vault, vault.dispute.encode_input(challenge, 0, "r"), {"from": owner, "value": DISPUTE_BOND}
    )
    vault.resolveDispute(challenge, 0, True, {"from": owner})
    assert vault.bondCredit(account) == DISPUTE_BOND
    assert fails(account.execute, vault, vault.withdrawBonds.encode_input(), {"from": owner}) == (
        f"EthTransferFailed: {low(account)}, {DISPUTE_BOND}"
    )
    assert vault.bondCredit(account) == DISPUTE_BOND


def test_only_the_registry_escrows(platform, owner) -> None:  # type: ignore[no-untyped-def]
    _, token, registry, vault, _, board = platform
    assert fails(vault.escrow, 1, token, owner, 1, {"from": owner}) == (
        f"OnlyRegistry: {low(owner)}"
    )
    assert (vault.registry(), vault.scoreBoard()) == (registry, board)
    assert vault.REFUND_GRACE() == 30 * DAY and vault.escrowBalance(42) == 0
