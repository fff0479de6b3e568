"""The API shows exactly what the chain holds: challenge, boards, submissions, forks, rewards."""

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.indexer.runner import Indexer
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.boards import improvements, private_board, public_board
from oracle.ledger.replay import read_ledger
from oracle.rewards.merkle import verify
from oracle.rewards.model import Leaf
from oracle.types import PPM, Address
from tests.indexer.story import ALICE, BOB, CAROL, DAVE, address, rewarded, scored
from tests.ledger.lifecycle import BOUNTY, Life, predictions


def get(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_challenge_and_boards_are_the_ledgers(life: Life, indexer: Indexer, client: TestClient
                                              ) -> None:  # fmt: skip
    story = rewarded(life)
    indexer.catch_up()
    cid = life.challenge_id
    ledger = read_ledger(life.platform)
    lc = ledger.challenge(cid)

    (summary,) = get(client, "/v1/challenges")["items"]
    assert summary["challenge_id"] == cid and summary["bounty"] == str(BOUNTY)
    assert summary["submission_count"] == 3 and summary["participant_count"] == 3
    assert summary["higher_is_better"] is False and summary["state"] == "ended"
    status = get(client, "/v1/status")
    assert (status["challenge_count"], status["submission_count"]) == (1, 3)
    assert summary["best"]["participant"] == address(BOB)

    challenge = get(client, f"/v1/challenges/{cid}")
    (phase,) = challenge["phases"]
    assert phase["holdout"] is not None and phase["private_batches_opened"] == 1
    assert challenge["escrow"]["deposited"] == str(BOUNTY)
    assert story.report is not None
    assert challenge["escrow"]["allocated"] == str(story.report.total)
    assert challenge["oracle_sets"][0]["quorum"] == 2 and challenge["review_count"] == 1

    board = get(client, f"/v1/challenges/{cid}/leaderboard/public")
    expected = [(e.participant, e.submission_id, str(e.score)) for e in public_board(ledger, lc, 0)]
    assert [(e["participant"], e["submission_id"], e["score"]["wad"]) for e in board["items"]] \
        == expected  # fmt: skip
    assert [e["rank"] for e in board["items"]] == [1, 2] and board["total"] == 2
    first = board["items"][0]["score"]
    assert float(first["decimal"]) == int(first["wad"]) / 10**18  # ~55 rmse

    private = get(client, f"/v1/challenges/{cid}/leaderboard/private")
    assert private["opened"] is True and private["phase"] == 0
    assert [(e["participant"], e["score"]["wad"]) for e in private["items"]] == [
        (e.participant, str(e.score)) for e in private_board(ledger, lc, 0)
    ]
    steps = get(client, f"/v1/challenges/{cid}/improvements")["items"]
    assert [(i["submission_id"], i["score"]["wad"]) for i in steps] == [
        (i.submission_id, str(i.score)) for i in improvements(ledger, lc, 0)
    ]
    assert all(isinstance(i["timestamp"], int) for i in steps)


def test_submissions_show_status_forks_reviews_and_rewards(
    life: Life, indexer: Indexer, client: TestClient
) -> None:
    story = rewarded(life)
    indexer.catch_up()
    assert story.report is not None
    cid = life.challenge_id

    linear = get(client, f"/v1/submissions/{story.linear}")
    artifact = life.store.add_bytes(predictions(life.files, "linear")).cid
    assert linear["submitter"] == address(BOB) and linear["artifact_cid"] == artifact
    assert linear["state"] == "scored" and linear["status_name"] == "VALID"
    assert linear["parents"] == [{"submission_id": story.mean, "challenge_id": cid,
                                  "submitter": address(ALICE), "weight_ppm": PPM}]  # fmt: skip
    assert linear["score"]["valid"] is True and linear["private_score"] is not None
    (review,) = linear["reviews"]
    assert review["reviewer"] == address(DAVE) and review["verdict_name"] == "approve"
    (award,) = linear["rewards"]
    (mine,) = [a for a in story.report.submissions if a.submission_id == story.linear]
    assert award["final"] == str(mine.final) and award["passed_to_parents"] == str(
        mine.passed_to_parents
    )

    mean = get(client, f"/v1/submissions/{story.mean}")
    assert [c["submission_id"] for c in mean["children"]] == [story.linear]
    broken = get(client, f"/v1/submissions/{story.broken}")
    assert broken["score"]["status_name"] == "WRONG_TYPE" and broken["valid"] is False
    assert "not a number" in broken["score"]["reason"] and broken["public_score"] is None

    forks = get(client, f"/v1/challenges/{cid}/forks")
    (edge,) = forks["edges"]
    (passed,) = mine.passes
    assert edge == {"child": story.linear, "parent": story.mean, "weight_ppm": PPM,
                    "reward_flow": str(passed.amount)}  # fmt: skip
    assert {n["submission_id"] for n in forks["nodes"]} == {story.linear, story.mean}

    path = f"/v1/challenges/{cid}/submissions"
    ids = [s["submission_id"] for s in get(client, path, valid="false")["items"]]
    assert ids == [story.broken]
    ids = [s["submission_id"] for s in get(client, path, submitter=address(ALICE).lower())["items"]]
    assert ids == [story.mean]
    assert get(client, path, state="committed")["items"] == []
    seen, cursor = [], None
    while True:
        page = get(client, path, limit=1, **({"cursor": cursor} if cursor else {}))
        seen += [s["submission_id"] for s in page["items"]]
        if (cursor := page["next_cursor"]) is None:
            break
    assert seen == [story.mean, story.linear, story.broken]


def test_proofs_claims_profile_and_audit(life: Life, indexer: Indexer, client: TestClient
                                         ) -> None:  # fmt: skip
    story = rewarded(life)
    indexer.catch_up()
    assert story.report is not None
    cid, bob = life.challenge_id, address(BOB)

    proof = get(client, f"/v1/challenges/{cid}/rewards/0/proofs/{bob.lower()}")
    (leaf,) = [x for x in story.report.leaves if x.account == bob]
    assert proof["amount"] == str(leaf.amount) and proof["claims_open"] is True
    assert verify(proof["merkle_root"], Leaf(Address(bob), leaf.amount), proof["proof"])
    assert proof["claimed"] is False
    sender = Sender.from_key(life.w3, ANVIL_KEYS[BOB])
    sender.transact(life.platform.vault.functions.claim(cid, 0, bob, int(proof["amount"]),
                                                         proof["proof"]))  # fmt: skip
    indexer.catch_up()

    assert get(client, f"/v1/challenges/{cid}/rewards/0/proofs/{bob}")["claimed"] is True
    rewards = get(client, f"/v1/challenges/{cid}/rewards")
    (root,) = rewards["roots"]
    assert root["state"] == "live" and root["report"]["status"] == "available"
    assert root["claimed_total"] == str(leaf.amount) and root["claim_count"] == 1
    assert rewards["escrow"]["claimed"] == str(leaf.amount)
    leaves = get(client, f"/v1/challenges/{cid}/rewards/0/leaves")["items"]
    assert {(x["account"], x["amount"], x["claimed"]) for x in leaves} == {
        (x.account, str(x.amount), x.account == bob) for x in story.report.leaves
    }

    profile = get(client, f"/v1/profiles/{bob}")
    assert profile["submission_count"] == 1 and profile["challenges"] == [cid]
    assert [s["submission_id"] for s in profile["recent_submissions"]] == [story.linear]
    assert [i["submission_id"] for i in profile["improvements"]] == [story.linear]
    (reward,) = profile["rewards"]
    assert reward["amount"] == str(leaf.amount) and reward["claimed"] is True
    assert [c["amount"] for c in profile["claims"]] == [str(leaf.amount)]
    dave = get(client, f"/v1/profiles/{address(DAVE)}")
    assert [r["submission_id"] for r in dave["reviews"]] == [story.linear]
    nobody = get(client, "/v1/profiles/0x000000000000000000000000000000000000dEaD")
    assert nobody["submission_count"] == 0 and nobody["recent_submissions"] == []

    audit = get(client, f"/v1/challenges/{cid}/audit")
    assert audit["full_audit"] == f"coop audit {cid}"
    assert all(check["ok"] is True for check in audit["checks"]), audit["checks"]
    assert audit["phases"][0]["holdout_revealed"] is True
    assert [b["private_opened"] for b in audit["score_batches"]] == [True]


def test_a_report_no_backend_delivers_is_said_to_be_unavailable(
    life: Life, client: TestClient, tmp_path: Path
) -> None:
    rewarded(life)
    blind = Indexer(client.app.state.config.db_path, life.platform,  # type: ignore[attr-defined]
                    EmbeddedStore(tmp_path / "empty"), confirmations=0)  # fmt: skip
    blind.catch_up()
    cid, bob = life.challenge_id, address(BOB)

    response = client.get(f"/v1/challenges/{cid}/rewards/0/proofs/{bob}")
    assert response.status_code == 404
    problem = response.json()
    assert problem["reason"] == "report_unavailable" and "unavailable" in problem["detail"]
    (root,) = get(client, f"/v1/challenges/{cid}/rewards")["roots"]
    assert root["report"]["status"] == "unavailable"

    blind.store = life.store  # the report reaches a backend: the next retry serves proofs
    blind.fetch_reports(retry_unavailable=True)
    assert get(client, f"/v1/challenges/{cid}/rewards/0/proofs/{bob}")["account"] == bob
    blind.close()


def test_the_private_board_waits_for_the_phase_end(life: Life, indexer: Indexer,
                                                    client: TestClient) -> None:  # fmt: skip
    scored(life)
    indexer.catch_up()
    private = get(client, f"/v1/challenges/{life.challenge_id}/leaderboard/private")
    assert private["opened"] is False and private["items"] == []
    assert "after the phase's reveal end" in private["note"]
    assert address(CAROL) not in [
        e["participant"]
        for e in get(client, f"/v1/challenges/{life.challenge_id}/leaderboard/public")["items"]
    ]
