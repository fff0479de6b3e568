"""Challenge 1 of an owner's world, published with `coop challenge create`, with two real
submissions (accounts 1 and 2: the baseline and a linear model) scored by the ledger tests'
in-test oracle (2 of 3 signatures), mid-phase."""

import json
import sys
from pathlib import Path

from owner_world import OwnerWorld

from oracle.spec import load_spec

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ledger"))
from lifecycle import Life, predictions


def scored_challenge(world: OwnerWorld) -> Life:
    created = world.create("--bounty", "1000")
    secret = Path(created["holdout_secret"])
    salt = bytes.fromhex(json.loads(secret.read_text())["split_salt"][2:])
    life = Life(world.platform, world.store, world.root, world.files, challenge_id=1,
                spec=load_spec(world.store.cat(created["spec_cid"])), split_salt=salt)  # fmt: skip
    life.submit(1, predictions(world.files, "baseline"))
    life.submit(2, predictions(world.files, "linear"))
    life.score_and_post()
    return life
