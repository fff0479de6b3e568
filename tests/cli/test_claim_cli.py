"""A participant claims what a posted rewards root owes, and is told why when it cannot.

The challenge is published and its holdout revealed with `coop challenge`; the oracles'
part (score, sign 2-of-3, open private scores, compute rewards with rule v1, sign and post
the root) is the ledger tests' in-test oracle (tests/ledger/lifecycle.py), with real keys.
"""

import sys
from pathlib import Path

import pytest
from eth_utils.crypto import keccak
from owner_world import COMMIT_SECONDS, REVEAL_SECONDS, OwnerWorld, last_json, make_world
from scored_world import scored_challenge

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.attestation import (
    RewardRoot,
    items_as_call_arg,
    ordered_signatures,
    reward_root_typed_data,
    sign_typed,
)
from oracle.chain.challenges import read_challenge, read_phase_judges
from oracle.chain.sender import Sender
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.rewards.report import RewardReport
from oracle.types import wad_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ledger"))
from lifecycle import ORACLE_KEYS, Life

ALICE, BOB, CAROL = ANVIL_KEYS[1], ANVIL_KEYS[2], ANVIL_KEYS[5]
DISPUTE_SECONDS = 600


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    return make_world(anvil, tmp_path)


def scored_and_revealed(world: OwnerWorld) -> Life:
    """A published challenge with two real submissions scored, private scores opened and
    the holdout revealed by the owner's `coop challenge reveal-holdout`."""
    life = scored_challenge(world)
    world.travel(COMMIT_SECONDS + REVEAL_SECONDS + 5)
    for seq, items in life.batches:  # the oracles open the private scores
        scores = [life.private[i.submission_id][0] for i in items]
        salts = [life.private[i.submission_id][1] for i in items]
        world.owner.transact(world.platform.score_board.functions.revealPrivateScores(
            1, seq, items_as_call_arg(items), scores, salts))  # fmt: skip
    revealed = world.coop("challenge", "reveal-holdout", "1")
    assert revealed.exit_code == 0, revealed.output
    return life


def claim(world: OwnerWorld, key: str, *args: str) -> tuple[int, str]:
    result = world.coop("claim", "1", *args, COOP_PRIVATE_KEY=key)
    return result.exit_code, result.output


def test_claim_pays_the_leaf_once_after_the_dispute_window(world: OwnerWorld) -> None:
    life = scored_and_revealed(world)
    code, out = claim(world, BOB)
    assert code == 2 and "no rewards root is posted for challenge 1 phase 0 yet" in out

    report = life.rewards()
    life.post_root(report)
    bob = Sender.from_key(world.w3, BOB).address
    owed = build_tree(report.leaves).leaf(bob).amount
    assert owed > 0

    code, out = claim(world, BOB)
    assert code == 2 and f"{bob} is owed {wad_text(owed)} tokens from challenge 1 phase 0" in out
    assert "dispute window is open until" in out
    assert "(in 10 min)" in out or "(in 9 min" in out

    carol = Sender.from_key(world.w3, CAROL).address
    code, out = claim(world, CAROL)
    assert code == 2 and f"{carol} is owed nothing under the rewards root" in out

    world.travel(DISPUTE_SECONDS + 1)
    before = world.balance(bob)
    result = world.coop("claim", "1", "--json", COOP_PRIVATE_KEY=BOB)
    assert result.exit_code == 0, result.output
    paid = last_json(result)
    assert paid["total"] == str(owed) and paid["claims"][0]["phase"] == 0
    assert world.balance(bob) == before + owed

    code, out = claim(world, BOB, "--phase", "0")
    assert code == 2
    assert f"{bob} claimed its {wad_text(owed)} tokens from challenge 1 phase 0 already" in out
    assert world.balance(bob) == before + owed
    profile = world.coop("profile", bob)
    assert profile.exit_code == 0, profile.output
    assert f"challenge 1 phase 0: {wad_text(owed)} (claimed)" in profile.output
    assert "owed" not in profile.output and "in 1 claim\n" in profile.output + "\n"

    status = last_json(world.coop("challenge", "status", "1", "--json"))
    root = status["phases"][0]["root"]
    assert root["state"] == "posted" and root["claimed"] == str(owed)
    assert status["phases"][0]["stage"] == "claims-open"


def test_a_disputed_root_waits_for_the_arbiter(world: OwnerWorld) -> None:
    life = scored_and_revealed(world)
    life.post_root(life.rewards())
    p = world.platform
    dispute_bond = read_challenge(p, 1).dispute_bond
    Sender.from_key(world.w3, CAROL).transact(
        p.vault.functions.dispute(1, 0, "bafkreireason"), dispute_bond
    )
    code, out = claim(world, BOB)
    assert code == 2 and "the rewards root of challenge 1 phase 0 is disputed" in out
    status = last_json(world.coop("challenge", "status", "1", "--json"))
    assert status["phases"][0]["stage"] == "disputed"
    assert status["phases"][0]["root"]["state"] == "disputed"
    world.arbiter.transact(p.vault.functions.resolveDispute(1, 0, False))  # rejected
    world.travel(DISPUTE_SECONDS + 1)
    code, out = claim(world, BOB)
    assert code == 0, out
    assert "Claimed" in out


def repost_root(world: OwnerWorld, report: RewardReport, seq: int) -> None:
    """The oracles post `report`'s root again (after a void), under a new seq."""
    p = world.platform
    tree = build_tree(report.leaves)
    report_cid = str(world.store.add_bytes(report.to_json().encode()).cid)
    digest = read_phase_judges(p, 1, 0).config_digest
    root = RewardRoot(1, 0, 0, seq, digest, bytes.fromhex(tree.root[2:]), report.total,
                      keccak(text=report_cid))  # fmt: skip
    typed = reward_root_typed_data(root, world.w3.eth.chain_id, p.vault.address)
    signatures = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
    world.owner.transact(p.vault.functions.postRewards(root.as_call_arg(), report_cid, signatures))


def test_a_voided_root_is_refused_until_the_oracles_repost(world: OwnerWorld) -> None:
    life = scored_and_revealed(world)
    report = life.rewards()
    life.post_root(report)
    p = world.platform
    Sender.from_key(world.w3, CAROL).transact(
        p.vault.functions.dispute(1, 0, "bafkreireason"), read_challenge(p, 1).dispute_bond
    )
    world.arbiter.transact(p.vault.functions.resolveDispute(1, 0, True))  # upheld
    world.travel(DISPUTE_SECONDS + 1)
    code, out = claim(world, BOB)
    assert code == 2 and "the arbiter voided the rewards root of challenge 1 phase 0" in out
    status = last_json(world.coop("challenge", "status", "1", "--json"))
    assert status["phases"][0]["stage"] == "voided"

    repost_root(world, report, seq=2)
    world.travel(DISPUTE_SECONDS + 1)
    bob = Sender.from_key(world.w3, BOB).address
    before = world.balance(bob)
    code, out = claim(world, BOB)
    assert code == 0, out
    assert world.balance(bob) == before + build_tree(report.leaves).leaf(bob).amount


def test_a_report_that_does_not_rebuild_the_root_is_refused(world: OwnerWorld) -> None:
    life = scored_and_revealed(world)
    report = life.rewards()
    alice = Sender.from_key(world.w3, ALICE).address
    bob = Sender.from_key(world.w3, BOB).address
    shift = {alice: -1, bob: +1}
    # a colluding quorum posts a root of other leaves (same total) with the honest report's CID
    skewed = tuple(Leaf(leaf.account, leaf.amount + shift.get(leaf.account, 0))
                   for leaf in report.leaves)  # fmt: skip
    life.post_root(report, skewed)
    world.travel(DISPUTE_SECONDS + 1)
    before = world.balance(bob)
    code, out = claim(world, BOB)
    assert code == 2, out
    assert "the report of the phase 0 root cannot be used" in out and "was posted" in out
    assert world.balance(bob) == before
