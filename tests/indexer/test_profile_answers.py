"""Profiles rendered ahead of time are always what rendering them now would give.

After every transaction of a challenge life (and after a reorg) the indexer catches up
and each stored profile is compared with a fresh rendering from the same index: a write
that changed a profile without marking it pending would leave a stale one behind.
"""

import json

from oracle.api.read.profiles import profile, profile_json
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.indexer.runner import Indexer
from oracle.types import PPM
from tests.indexer.story import ALICE, BOB, CAROL, DAVE, address
from tests.ledger.lifecycle import Life, predictions

PEOPLE = (ALICE, BOB, CAROL, DAVE)


def stored_profiles(indexer: Indexer) -> dict[str, bytes | None]:
    rows = indexer.db.execute("SELECT address, body FROM profile_answers").fetchall()
    return {str(a): None if b is None else bytes(b) for a, b in rows}


def assert_fresh(indexer: Indexer) -> dict[str, bytes | None]:
    stored = stored_profiles(indexer)
    for who, body in stored.items():
        if body is not None:
            live = profile(indexer.db, who).model_dump_json().encode()
            assert body == live, f"the stored profile of {who} is stale"
    return stored


def caught_up(indexer: Indexer) -> dict[str, bytes | None]:
    indexer.catch_up()
    stored = assert_fresh(indexer)
    assert None not in stored.values(), "catching up renders every pending profile"
    return stored


def test_stored_profiles_follow_every_step_of_a_challenge_life(
    life: Life, indexer: Indexer
) -> None:
    files = life.files
    mean = life.submit(ALICE, predictions(files, "baseline"))
    caught_up(indexer)
    before_fork = json.loads(profile_json(indexer.db, address(ALICE)))
    assert before_fork["recent_submissions"][0]["child_count"] == 0

    life.submit(BOB, predictions(files, "linear"), parents=(mean,), weights=(PPM,))
    caught_up(indexer)
    alice = json.loads(profile_json(indexer.db, address(ALICE)))
    assert alice["recent_submissions"][0]["child_count"] == 1, "Bob's fork shows on Alice"

    life.submit(CAROL, b"id,prediction\n0,not-a-number\n")
    reviewer = Sender.from_key(life.w3, ANVIL_KEYS[DAVE])
    reviewer.transact(life.platform.book.functions.review(mean, 1, "bafkreview"))
    caught_up(indexer)
    life.score_and_post()
    stored = caught_up(indexer)
    bob = json.loads(stored[address(BOB)] or b"{}")
    assert bob["recent_submissions"][0]["status_name"] == "VALID"
    assert json.loads(stored[address(DAVE)] or b"{}")["reviews"][0]["submission_id"] == mean

    life.end_phase()
    caught_up(indexer)
    life.post_root(life.rewards())
    stored = caught_up(indexer)
    paid = [who for who in PEOPLE if json.loads(stored[address(who)] or b"{}")["rewards"]]
    assert address(BOB) in [address(who) for who in paid], "the report's leaves show at once"

    ((amount, proof),) = indexer.db.execute(
        "SELECT amount, proof FROM reward_leaves WHERE account = ?", (address(BOB),)
    ).fetchall()
    life.open_claims()
    life.owner.transact(life.platform.vault.functions.claim(
        life.challenge_id, 0, address(BOB), int(str(amount)), json.loads(str(proof))))  # fmt: skip
    indexer.step()  # the claim is indexed; its profile waits to be rendered again
    assert stored_profiles(indexer)[address(BOB)] is None
    served = json.loads(profile_json(indexer.db, address(BOB)))
    assert served["claims"][0]["amount"] == str(amount), "a pending profile is rendered live"
    assert_fresh(indexer)
    assert json.loads(caught_up(indexer)[address(BOB)] or b"{}") == served


def test_a_reorg_leaves_no_stale_profile(life: Life, indexer: Indexer) -> None:
    w3 = life.w3
    life.submit(ALICE, b"id,prediction\n")
    caught_up(indexer)
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    life.submit(ALICE, b"id,prediction\n1,2\n")
    life.submit(BOB, b"id,prediction\n")
    stored = caught_up(indexer)
    assert json.loads(stored[address(ALICE)] or b"{}")["submission_count"] == 2

    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    life.submit(CAROL, b"id,prediction\n")
    stored = caught_up(indexer)

    assert json.loads(stored[address(ALICE)] or b"{}")["submission_count"] == 1
    assert json.loads(stored[address(BOB)] or b"{}")["submission_count"] == 0
    assert json.loads(stored[address(CAROL)] or b"{}")["submission_count"] == 1
