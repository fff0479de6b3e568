"""`coop challenge correct`: the owner corrects a phase's labels while its rewards root is
in its dispute window (the root is voided, the corrected labels' secret is filed), and is
refused, with why and what remains, once the root's claims are open. Real anvil; the
oracles' part is the ledger tests' in-test oracle (tests/ledger/lifecycle.py)."""

import json
from pathlib import Path

import pytest
from owner_world import OwnerWorld, last_json, make_world
from test_claim_cli import DISPUTE_SECONDS, scored_and_revealed

from oracle.chain.anvil import Anvil
from oracle.chain.holdout_secrets import find_secret
from oracle.ledger.replay import read_ledger


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    return make_world(anvil, tmp_path)


def _files(world: OwnerWorld) -> tuple[Path, Path]:
    """A corrected labels file (every target + 1) and the reason's text."""
    lines = world.files["labels.csv"].decode().splitlines()
    rows = [line.rsplit(",", 1) for line in lines[1:]]
    fixed = "\n".join([lines[0], *(f"{a},{float(b) + 1.0!r}" for a, b in rows)]) + "\n"
    labels = world.root / "fixed-labels.csv"
    labels.write_text(fixed)
    reason = world.root / "why.txt"
    reason.write_text("The test targets were exported one unit too low.\n")
    return labels, reason


def test_a_correction_in_the_dispute_window_voids_the_root_and_files_the_secret(
    world: OwnerWorld,
) -> None:
    life = scored_and_revealed(world)
    life.post_root(life.rewards())
    labels, reason = _files(world)
    result = world.coop("challenge", "correct", "1", "--phase", "0", "--labels", str(labels),
                        "--reason", str(reason), "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    done = last_json(result)
    assert (done["correction"], done["voided_root"]) == (1, True)
    assert world.store.cat(done["reason_cid"]) == reason.read_bytes()
    ledger = read_ledger(world.platform)
    phase = ledger.challenges[1].phases[0]
    assert phase.correction == 1 and phase.holdout is None
    assert "0x" + phase.holdout_commitment.hex() == done["holdout_commitment"]
    assert ledger.challenges[1].roots[-1].state == "voided"
    # the corrected labels' secret is filed where reveal-holdout and the oracles look
    path, secret = find_secret(world.data_dir, phase.holdout_commitment)
    assert secret.labels(path.parent) == labels.read_bytes()
    old = json.loads(path.read_text())
    assert old["split_salt"] == "0x" + life.salt_of(0).hex(), "the split stays"
    status = world.coop("challenge", "status", "1")
    assert "corrected 1 time(s): scores and rewards are those of correction 1" in status.output
    assert (
        last_json(world.coop("challenge", "status", "1", "--json"))["phases"][0]["correction"] == 1
    )


def test_a_correction_after_claims_opened_is_refused_with_the_reason(world: OwnerWorld) -> None:
    life = scored_and_revealed(world)
    life.post_root(life.rewards())
    world.travel(DISPUTE_SECONDS + 1)
    labels, reason = _files(world)
    result = world.coop("challenge", "correct", "1", "--phase", "0", "--labels", str(labels),
                        "--reason", str(reason))  # fmt: skip
    assert result.exit_code != 0
    assert "the rewards of challenge 1 phase 0 are claimable since" in result.output
    assert "What remains is the dispute path" in result.output
    assert read_ledger(world.platform).challenges[1].phases[0].correction == 0
