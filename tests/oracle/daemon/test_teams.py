"""A team paid by its shares, end to end with three `coop oracle run` processes (quorum 2)
on anvil: two participants form a team and submit, a third submits alone; the phase ends,
the oracles post the rewards root, each member claims exactly its share of the team's pool
and `coop audit` passes. When two of the three oracles pay the members one by one instead,
their root is posted (they are a quorum) and `coop audit` fails on it."""

import json

from click.testing import CliRunner

from oracle.chain.sender import Sender
from oracle.chain.teams import form_team
from oracle.cli.main import cli
from oracle.ledger.claims import claim_rewards
from tests.oracle.daemon import teamless_oracle
from tests.oracle.daemon.world import PARTICIPANT_KEYS, World, wait_for

SHARES = (600_000, 400_000)  # Ada's and Ben's shares of the team's rewards


def play(world: World) -> tuple[int, dict[str, int]]:
    """Ada and Ben form a team and each submit; Cy submits alone; the phase settles."""
    ada, ben = (Sender.from_key(world.w3, k) for k in PARTICIPANT_KEYS[:2])
    team_id = form_team(world.platform, world.challenge_id,
                        [(ada, SHARES[0]), (ben, SHARES[1])])  # fmt: skip
    ids = [world.submit(world.artifact(seed, 4.0 * seed), who=who)
           for seed, who in ((1, 0), (2, 1), (3, 2))]  # fmt: skip
    wait_for("every score", lambda: set(ids) <= world.scored_ids(), 90, world.oracles)
    world.settle(world.oracles)
    return team_id, {ada.address: SHARES[0], ben.address: SHARES[1]}


def audit(world: World) -> dict[str, object]:
    env = {"COOP_RPC_URL": world.anvil.url, "COOP_DEPLOYMENT": str(world.deployment_file),
           "COOP_IPFS_DIR": str(world.store.root),
           "COOP_CONFIG": str(world.base / "none")}  # fmt: skip
    result = CliRunner().invoke(cli, ["audit", str(world.challenge_id), "--json"], env=env)
    found: dict[str, object] = json.loads(result.output)
    assert (result.exit_code == 0) == found["ok"]
    return found


def test_each_member_claims_its_share_and_the_audit_passes(world: World) -> None:
    world.publish(oracle_count=3, quorum=2)
    world.make_oracles(3)
    world.start_oracles()
    team_id, shares = play(world)
    root = world.ledger().challenges[world.challenge_id].roots[0]
    report = json.loads(world.store.cat(root.report_cid))
    (team,) = report["teams"]
    pool = int(team["pool"])
    earned = {a["account"]: int(a["total"]) for a in report["accounts"]}
    assert team["team_id"] == str(team_id) and pool == sum(earned.get(m, 0) for m in shares) > 0
    parts = {m["account"]: int(m["paid"]) for m in team["members"]}
    for member, share in shares.items():  # the rounding unit, if any, goes to the first
        assert 0 <= parts[member] - pool * share // 1_000_000 <= 1
    assert sum(parts.values()) == pool

    world.travel(3600)  # past the dispute window
    token = world.platform.token.functions
    for key in PARTICIPANT_KEYS[:2]:
        member = Sender.from_key(world.w3, key)
        before = token.balanceOf(member.address).call()
        claim_rewards(world.platform, world.store, member, world.challenge_id, 0)
        assert token.balanceOf(member.address).call() - before == parts[member.address]
    found = audit(world)
    assert found["ok"], found["findings"]


def test_a_quorum_paying_members_one_by_one_fails_the_audit(world: World) -> None:
    world.publish(oracle_count=3, quorum=2)
    oracles = world.make_oracles(3)
    for liar in oracles[:2]:
        liar.command = teamless_oracle.command()
    world.start_oracles()
    _, shares = play(world)
    root = world.ledger().challenges[world.challenge_id].roots[0]
    report = json.loads(world.store.cat(root.report_cid))
    assert "teams" not in report  # the liars' report: members paid what each earned
    leaves = {leaf["account"]: int(leaf["amount"]) for leaf in report["leaves"]}
    earned = {a["account"]: int(a["total"]) for a in report["accounts"]}
    assert all(leaves.get(m, 0) == earned.get(m, 0) for m in shares)
    found = audit(world)
    assert not found["ok"]
    findings = found["findings"]
    assert isinstance(findings, list)
    assert any(f["check"] == "rewards" and "posted root" in f["detail"] for f in findings)
