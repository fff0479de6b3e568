"""Unknown ids are 404s, bad parameters 422s, both as problem details; odd input never a 500."""

import pytest
from fastapi.testclient import TestClient

from oracle.api.read.profiles import profile, rendered_profile
from oracle.indexer.runner import Indexer
from oracle.indexer.schema import bump_version
from tests.indexer.story import ALICE, BOB, address
from tests.ledger.lifecycle import Life, predictions

ADDRESS = "0x000000000000000000000000000000000000dEaD"
UNKNOWN_CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"

CASES = [
    ("/v1/challenges/999", 404, "unknown_challenge"),
    (f"/v1/challenges/{2**200}", 404, "unknown_challenge"),
    ("/v1/challenges/abc", 422, "invalid_parameter"),
    ("/v1/challenges/-1", 422, "invalid_parameter"),
    (f"/v1/challenges/{2**256}", 422, "invalid_parameter"),
    ("/v1/challenges/1.5", 422, "invalid_parameter"),
    ("/v1/submissions/99999", 404, "unknown_submission"),
    (f"/v1/submissions/{2**64}", 404, "unknown_submission"),
    ("/v1/challenges/1/leaderboard/public?limit=0", 422, "invalid_parameter"),
    ("/v1/challenges/1/leaderboard/public?limit=100000", 422, "invalid_parameter"),
    ("/v1/challenges/1/leaderboard/public?cursor=abc", 422, "invalid_cursor"),
    (f"/v1/challenges/1/leaderboard/public?cursor={2**70}", 422, "invalid_cursor"),
    ("/v1/challenges/1/leaderboard/private?phase=7", 404, "unknown_phase"),
    ("/v1/challenges/1/leaderboard/private?phase=-2", 422, "invalid_parameter"),
    ("/v1/challenges/1/submissions?state=bogus", 422, "invalid_parameter"),
    ("/v1/challenges/1/submissions?valid=maybe", 422, "invalid_parameter"),
    ("/v1/challenges/1/submissions?submitter=0x12", 422, "invalid_address"),
    (f"/v1/challenges/1/rewards/0/proofs/{ADDRESS}", 404, "no_reward_root"),
    (f"/v1/challenges/1/rewards/9/proofs/{ADDRESS}", 404, "unknown_phase"),
    ("/v1/challenges/1/rewards/0/proofs/0xnothex", 422, "invalid_address"),
    ("/v1/challenges/1/rewards/0/leaves", 404, "no_reward_root"),
    ("/v1/profiles/not-an-address", 422, "invalid_address"),
    ("/v1/profiles/0x000000000000000000000000000000000000DEaD", 422, "invalid_address"),
    (
        "/v1/profiles/0x000000000000000000000000000000000000dEaD/submissions?cursor=-1",
        422,
        "invalid_cursor",
    ),  # fmt: skip
    ("/v1/nothing-here", 404, "not_found"),
    ("/ipfs/not-a-cid", 422, "invalid_cid"),
    (f"/ipfs/{UNKNOWN_CID}", 404, "unknown_cid"),
    (f"/ipfs/{UNKNOWN_CID}?format=tar", 422, "invalid_parameter"),
]


@pytest.fixture
def indexed(life: Life, indexer: Indexer) -> Life:
    life.submit(ALICE, predictions(life.files, "baseline"))
    life.score_and_post()
    indexer.catch_up()
    return life


def test_errors_are_problem_details_with_a_reason(indexed: Life, client: TestClient) -> None:
    for path, status, reason in CASES:
        response = client.get(path)
        assert response.status_code == status, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json", path
        problem = response.json()
        assert (problem["status"], problem["reason"]) == (status, reason), path
        assert problem["detail"] and problem["instance"] == path.split("?")[0]


def test_a_wrong_method_is_a_405_problem(indexed: Life, client: TestClient) -> None:
    response = client.post("/v1/challenges/1")
    assert response.status_code == 405 and response.json()["reason"] == "method_not_allowed"


ODD = [
    "", "0", "00", "%00", "%ff%fe", "..", "%2e%2e%2fetc", "1e3", "0x1", " 1", "1 ", "+1",
    "\uff19", "null", "[]", "{}", "'", '"', ";DROP TABLE challenges", "x" * 300, str(2**63),
    str(2**63 - 1), str(-(2**63)), "-0", "1/../2",
]  # fmt: skip
TEMPLATES = [
    "/v1/challenges/{}", "/v1/challenges/{}/leaderboard/public",
    "/v1/challenges/1/leaderboard/public?limit={}", "/v1/challenges/1/leaderboard/public?cursor={}",
    "/v1/challenges/1/leaderboard/private?phase={}", "/v1/challenges/{}/improvements",
    "/v1/challenges/1/submissions?phase={}", "/v1/challenges/1/submissions?submitter={}",
    "/v1/challenges/{}/forks", "/v1/challenges/1/rewards/{}/leaves",
    "/v1/challenges/1/rewards/0/proofs/{}", "/v1/challenges/{}/audit", "/v1/submissions/{}",
    "/v1/profiles/{}", "/v1/profiles/{}/submissions", "/v1/challenges?owner={}",
    "/v1/challenges?cursor={}", "/ipfs/{}", "/ipfs/{}?format=car",
]  # fmt: skip


def test_odd_input_never_reaches_a_500(indexed: Life, client: TestClient) -> None:
    statuses = set()
    for template in TEMPLATES:
        for value in ODD:
            response = client.get(template.format(value))
            assert response.status_code < 500, (template, value, response.text)
            if response.status_code >= 400:
                assert response.headers["content-type"] == "application/problem+json"
            statuses.add(response.status_code)
    assert {404, 422} <= statuses


def test_etag_gives_304_until_the_board_changes(indexed: Life, indexer: Indexer,
                                                client: TestClient) -> None:  # fmt: skip
    path = f"/v1/challenges/{indexed.challenge_id}/leaderboard/public"
    first = client.get(path)
    etag = first.headers["etag"]
    assert [e["participant"] for e in first.json()["items"]] == [address(ALICE)]

    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag

    indexed.submit(BOB, predictions(indexed.files, "linear"))
    indexed.score_and_post()
    indexer.catch_up()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert [e["participant"] for e in changed.json()["items"]] == [address(BOB), address(ALICE)]


def test_a_profile_is_served_as_the_indexer_rendered_it(indexed: Life, indexer: Indexer,
                                                       client: TestClient) -> None:  # fmt: skip
    alice = address(ALICE)
    stored = rendered_profile(indexer.db, alice)
    assert stored is not None and stored == profile(indexer.db, alice).model_dump_json().encode()
    for asked in (alice, alice.lower()):
        first = client.get(f"/v1/profiles/{asked}")
        assert first.status_code == 200 and first.content == stored
        assert first.headers["content-type"] == "application/json"
        etag = first.headers["etag"]
        again = client.get(f"/v1/profiles/{asked}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.headers["etag"] == etag

    indexer.db.execute("UPDATE profile_answers SET body = NULL WHERE address = ?", (alice,))
    bump_version(indexer.db)  # pending again: the route renders it, byte for byte the same
    pending = client.get(f"/v1/profiles/{alice}")
    assert pending.status_code == 200 and pending.content == stored
