"""Mini-grants end to end on anvil: a sponsor funds a pool with `coop grant fund`, a
participant whose real scored submission beats the threshold is paid by `coop grant claim`
while the phase is still open, the others are told why not, and the rest goes back to the
sponsor after the phase with `coop grant reclaim`.

The challenge is published with `coop challenge create`; the oracles' part (score the
submissions, sign 2-of-3, post the batch) is the ledger tests' in-test oracle.
"""

from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from owner_world import COMMIT_SECONDS, REVEAL_SECONDS, OwnerWorld, last_json, make_world
from scored_world import scored_challenge

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.audit.findings import AuditReport
from oracle.audit.grants import check_grants
from oracle.audit.run import audit_challenge
from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.sender import Sender
from oracle.ledger.replay import read_ledger
from oracle.types import WAD

SPONSOR = ANVIL_KEYS[3]
GRACE_SECONDS = 600


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    return make_world(anvil, tmp_path)


def best(world: OwnerWorld, key: str) -> int:
    who = Sender.from_key(world.w3, key).address
    score, released = world.platform.score_board.functions.releasedBest(1, 0, who).call()
    assert released
    return int(score)


def test_a_grant_is_paid_mid_phase_once_and_the_rest_returns(world: OwnerWorld) -> None:
    scored_challenge(world)
    higher = bool(world.platform.registry.functions.scoringRules(1, 0).call()[1])
    one, two = best(world, ANVIL_KEYS[1]), best(world, ANVIL_KEYS[2])
    assert one != two
    winner, loser = (ANVIL_KEYS[1], ANVIL_KEYS[2]) if (one > two) == higher else (
        ANVIL_KEYS[2], ANVIL_KEYS[1])  # fmt: skip
    threshold = (one + two) // 2  # only the better one beats it
    sponsor = Sender.from_key(world.w3, SPONSOR).address
    world.owner.transact(world.platform.token.functions.transfer(sponsor, 500 * WAD))

    funded = world.coop(
        "grant", "fund", "1", "--threshold", str(threshold / WAD), "--each", "50",
        "--slots", "2", "--grace", str(GRACE_SECONDS), "--json", COOP_PRIVATE_KEY=SPONSOR,
    )  # fmt: skip
    assert funded.exit_code == 0, funded.output
    pool = last_json(funded)
    assert pool["pool_id"] == 1 and pool["slots"] == 2 and pool["left"] == str(100 * WAD)
    assert world.balance(sponsor) == 400 * WAD, "each times slots pulled from the sponsor"

    winner_address = Sender.from_key(world.w3, winner).address
    paid = world.coop("grant", "claim", "1", COOP_PRIVATE_KEY=winner)
    assert paid.exit_code == 0, paid.output
    assert f"Paid 50 tokens to {winner_address} from grant pool 1" in paid.output
    assert world.balance(winner_address) == 50 * WAD
    reveal_end = int(world.platform.registry.functions.scoringRules(1, 0).call()[2])
    assert int(world.w3.eth.get_block("latest")["timestamp"]) < reveal_end, "paid mid-phase"

    again = world.coop("grant", "claim", "1", COOP_PRIVATE_KEY=winner)
    assert again.exit_code == 2 and "was paid from grant pool 1 already" in again.output
    below = world.coop("grant", "claim", "1", COOP_PRIVATE_KEY=loser)
    assert below.exit_code == 2 and "public best in challenge 1 phase 0 is" in below.output
    nobody = world.coop("grant", "claim", "1", COOP_PRIVATE_KEY=ANVIL_KEYS[4])
    assert nobody.exit_code == 2 and "has no valid public score" in nobody.output

    listed = last_json(world.coop("grant", "list", "1", "--json"))
    (row,) = listed["pools"]
    assert row["paid"] == 1 and row["left"] == str(50 * WAD)
    assert [p["participant"] for p in row["payments"]] == [winner_address]

    config = ApiConfig(world.root / "index.sqlite3", world.store.root, web_dir=None,
                       rpc_url=world.env["COOP_RPC_URL"],
                       deployment=Path(world.env["COOP_DEPLOYMENT"]))  # fmt: skip
    with TestClient(create_app(config)) as client:
        answer = client.get("/v1/challenges/1/grants")
        assert answer.status_code == 200, answer.text
        (served,) = answer.json()["pools"]
        assert (served["paid"], served["slots"], served["left"]) == (1, 2, str(50 * WAD))
        assert [p["participant"] for p in served["payments"]] == [winner_address]
        mine = client.get(f"/v1/profiles/{winner_address.lower()}/grants").json()
        assert [(p["pool_id"], p["amount"]) for p in mine["payments"]] == [(1, str(50 * WAD))]
        missing = client.get("/v1/challenges/9/grants")
        assert (missing.status_code, missing.json()["reason"]) == (404, "unknown_challenge")

    audited = audit_challenge(world.platform, world.store, 1)
    assert audited.checked["grant payments"] == 1 and audited.checked["grant pools"] == 1
    assert not [f for f in audited.findings if f.check == "grants"], audited.findings
    # the same payment against a ledger whose score for the winner differs is a finding
    ledger = read_ledger(world.platform)
    (mine,) = [s for s in ledger.submissions_of(1) if s.submitter == winner_address]
    assert mine.score is not None
    mine.score = replace(mine.score, public_score=threshold)
    tampered = AuditReport(1, ledger.last_block)
    check_grants(world.platform, ledger, ledger.challenge(1), tampered)
    assert [f.check for f in tampered.findings] == ["grants"]
    assert "the ledger's scores give" in tampered.findings[0].detail

    early = world.coop("grant", "reclaim", "1", COOP_PRIVATE_KEY=SPONSOR)
    assert early.exit_code == 2 and "stay open until" in early.output
    world.travel(COMMIT_SECONDS + REVEAL_SECONDS + GRACE_SECONDS + 5)
    late = world.coop("grant", "claim", "1", COOP_PRIVATE_KEY=loser)
    assert late.exit_code == 2 and "claims on grant pool 1 closed" in late.output
    back = world.coop("grant", "reclaim", "1", "--json", COOP_PRIVATE_KEY=ANVIL_KEYS[4])
    assert back.exit_code == 0, back.output
    assert last_json(back)["amount"] == str(50 * WAD)
    assert world.balance(sponsor) == 450 * WAD, "the unused grant went back to the sponsor"


def test_funding_an_unknown_pool_or_a_finished_phase_is_refused(world: OwnerWorld) -> None:
    world.create("--bounty", "1000")
    missing = world.coop("grant", "claim", "7")
    assert missing.exit_code == 2 and "there is no grant pool 7 (none yet)" in missing.output
    world.travel(COMMIT_SECONDS + REVEAL_SECONDS + 5)
    late = world.coop("grant", "fund", "1", "--threshold", "0.5", "--each", "1", "--slots", "1")
    assert late.exit_code == 2 and "fund a pool for a phase that is still open" in late.output
