"""A disputed rewards root: the API follows it from posted to disputed to standing, and opens
claims when chain time passes the dispute window."""

import json
from pathlib import Path

from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.chain.publish import PublishOptions
from oracle.chain.sender import Sender
from oracle.devnet.seed import seed_example
from oracle.indexer.runner import Indexer
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import RootStanding
from oracle.ledger.replay import read_ledger
from oracle.spec import load_spec
from tests.indexer.story import BOB, CAROL, address, scored
from tests.ledger.lifecycle import BOUNTY, ORACLE_KEYS, Life, diabetes_files

WINDOW = 3600
BOND = 10**16


def disputable(platform: Platform, tmp_path: Path) -> Life:
    """The test life, published with a one-hour dispute window and a dispute bond."""
    life = Life(platform, EmbeddedStore(tmp_path / "ipfs"), tmp_path, diabetes_files())
    oracles = tuple(Sender.from_key(life.w3, k).address for k in ORACLE_KEYS)
    options = PublishOptions(
        bounty=BOUNTY, oracles=oracles, quorum=2, arbiter=life.owner.address,
        commit_seconds=1000, reveal_seconds=1000, dispute_window=WINDOW, dispute_bond=BOND,
    )  # fmt: skip
    seeded = seed_example(platform, life.owner, life.store, tmp_path, "diabetes-regression",
                          options)  # fmt: skip
    life.challenge_id = seeded.published.challenge_id
    life.spec = load_spec(life.store.cat(seeded.published.spec_cid))
    secret = json.loads(seeded.published.secret_path.read_text())
    life.split_salt = bytes.fromhex(secret["split_salt"][2:])
    return life


def with_root(platform: Platform, tmp_path: Path) -> Life:
    """Scored, the phase ended, the rewards root posted: its dispute window is open."""
    life = disputable(platform, tmp_path)
    scored(life)
    life.end_phase()
    life.post_root(life.rewards())
    return life


def test_a_dispute_and_its_rejection_then_claims_open_with_time(
    fast_platform: Platform, tmp_path: Path
) -> None:
    life = with_root(fast_platform, tmp_path)
    indexer = Indexer(tmp_path / "index.sqlite3", life.platform, life.store, confirmations=0)
    client = TestClient(create_app(ApiConfig(indexer.db_path, life.store.root, web_dir=None)))
    cid, bob = life.challenge_id, address(BOB)
    path = f"/v1/challenges/{cid}/rewards"
    indexer.catch_up()
    (root,) = client.get(path).json()["roots"]
    assert root["state"] == "live" and root["claims_open"] is False
    proof = client.get(f"{path}/0/proofs/{bob}").json()
    assert proof["claims_open"] is False and proof["root_state"] == "live"

    carol = Sender.from_key(life.w3, ANVIL_KEYS[CAROL])
    reason = str(life.store.add_bytes(b"the review pool looks wrong").cid)
    carol.transact(life.platform.vault.functions.dispute(cid, 0, reason), BOND)
    indexer.catch_up()
    (root,) = client.get(path).json()["roots"]
    assert root["state"] == "disputed"
    (replayed,) = read_ledger(life.platform).challenges[cid].roots
    assert replayed.state is RootStanding.DISPUTED, "the auditor's replay names the same state"
    states = client.get("/openapi.json").json()["components"]["schemas"]["RootStanding"]
    assert states["enum"] == ["live", "disputed", "voided"], "clients are told every state"
    (dispute,) = root["disputes"]
    assert (dispute["disputer"], dispute["bond"], dispute["reason_cid"]) == (
        address(CAROL),
        str(BOND),
        reason,
    )

    life.owner.transact(life.platform.vault.functions.resolveDispute(cid, 0, False))
    indexer.catch_up()
    (root,) = client.get(path).json()["roots"]
    assert root["state"] == "live" and root["claims_open"] is False
    (resolution,) = root["resolutions"]
    assert resolution["outcome"] == "rejected" and resolution["arbiter"] == life.owner.address

    life.w3.provider.make_request("evm_increaseTime", [WINDOW + 1])  # type: ignore[arg-type]
    life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    indexer.catch_up()
    assert client.get(path).json()["roots"][0]["claims_open"] is True
    assert client.get(f"{path}/0/proofs/{bob}").json()["claims_open"] is True

    before = client.get("/v1/status").json()["indexed_block"]
    for _ in range(2):
        life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    indexer.catch_up()
    assert client.get("/v1/status").json()["indexed_block"] == before + 2  # never stale
    indexer.close()


def test_a_dispute_the_arbiter_lets_lapse_leaves_the_root_standing(
    fast_platform: Platform, tmp_path: Path
) -> None:
    life = with_root(fast_platform, tmp_path)
    carol = Sender.from_key(life.w3, ANVIL_KEYS[CAROL])
    cid, vault = life.challenge_id, life.platform.vault
    carol.transact(vault.functions.dispute(cid, 0, "bafkreason"), BOND)
    deadline = vault.functions.getRoot(cid, 0).call()[8]  # the arbiter's deadline
    now = life.w3.eth.get_block("latest")["timestamp"]
    life.w3.provider.make_request("evm_increaseTime", [deadline - now + 1])  # type: ignore[arg-type]
    life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    carol.transact(vault.functions.lapseDispute(cid, 0))
    resumed = vault.functions.getRoot(cid, 0).call()[3]  # the window resumed at the lapse
    now = life.w3.eth.get_block("latest")["timestamp"]
    assert 0 < resumed - now <= WINDOW, "the window left when the dispute was filed runs again"
    life.w3.provider.make_request("evm_increaseTime", [resumed - now])  # type: ignore[arg-type]
    life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    indexer = Indexer(tmp_path / "index.sqlite3", life.platform, life.store, confirmations=0)
    indexer.catch_up()
    client = TestClient(create_app(ApiConfig(indexer.db_path, life.store.root, web_dir=None)))
    (root,) = client.get(f"/v1/challenges/{cid}/rewards").json()["roots"]
    assert root["state"] == "live" and root["claims_open"] is True
    (resolution,) = root["resolutions"]
    assert resolution["outcome"] == "lapsed" and resolution["arbiter"] is None
    indexer.close()
    (replayed,) = read_ledger(life.platform).challenges[cid].roots
    assert replayed.state is RootStanding.LIVE, "the auditor's replay agrees with the index"
