"""An owner who withholds the holdout cannot keep the bounty (issue 13, point 1): once the
grace period after the reveal end has passed, the oracle reveals the holdout from the secret
the owner handed it, and posts the rewards root."""

from eth_utils.crypto import keccak

from oracle.chain.sender import Sender
from tests.oracle.daemon.world import ORACLE_KEYS, World, wait_for

GRACE_SECONDS = 3600


def test_the_oracle_reveals_a_withheld_holdout_after_the_grace_period(world: World) -> None:
    world.publish(oracle_count=1, quorum=1)
    oracles = world.make_oracles(1, holdout_grace_seconds=str(GRACE_SECONDS))
    world.start_oracles()
    submission = world.submit(world.artifact(1))
    wait_for("the score", lambda: submission in world.scored_ids(), 60, oracles)

    world.end_phase(oracles)
    # Within the owner's grace period the oracle leaves the reveal to the owner.
    assert world.events("HoldoutRevealed") == []

    world.travel(GRACE_SECONDS)
    (revealed,) = wait_for("the holdout reveal", lambda: world.events("HoldoutRevealed"), 60,
                           oracles)  # fmt: skip
    oracle = Sender.from_key(world.w3, ORACLE_KEYS[0]).address
    assert revealed["revealer"] == oracle
    labels = world.store.cat(str(revealed["labelsCid"]))  # published on IPFS by the oracle
    assert keccak(labels) == bytes(revealed["labelsDigest"])
    ledger = wait_for(
        "the rewards root",
        lambda: (led := world.ledger()).challenges[world.challenge_id].roots and led,
        60,
        oracles,
    )
    assert ledger.challenges[world.challenge_id].roots[0].total > 0
    # The reveal went the one posting path every post takes, so the operator sees it counted
    # like the batch, the opening and the root.
    (only,) = oracles
    assert {kind: only.metric("coop_oracle_posts_total", kind=kind)
            for kind in ("scores", "private", "holdout", "rewards")} == \
        {"scores": 1, "private": 1, "holdout": 1, "rewards": 1}  # fmt: skip
