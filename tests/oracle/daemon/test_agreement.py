"""How a poster forms a batch and a peer decides to sign, retry or refuse (in process), and
how signatures travel over the peer HTTP API and are checked on arrival."""

from collections.abc import Iterator
from types import MappingProxyType

import pytest
from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.attestation import ScoreItem, score_batch, score_batch_typed_data, sign_typed
from oracle.chain.events import ChainEvent
from oracle.daemon.attest import Refusal, choose_cut, form_proposal, review_proposal
from oracle.daemon.batching import MAX_ITEMS, Proposal
from oracle.daemon.event_codec import decode_event, encode_args
from oracle.daemon.jobs import JobState, ScoredJob
from oracle.daemon.peers import PeerClient
from oracle.daemon.server import Handlers, OracleHttpServer
from oracle.daemon.wire import (
    ProposalModel,
    RefusalModel,
    RootProposalModel,
    SignatureModel,
)
from oracle.health import HealthModel
from oracle.ledger.model import (
    Challenge,
    Ledger,
    OracleSet,
    Phase,
    Reveal,
    Score,
    ScoreBatchPosted,
    Submission,
)
from oracle.types import Address

KEYS = ANVIL_KEYS[7:10]
ORACLES = tuple(Address(Account.from_key(k).address) for k in KEYS)
DIGEST = b"\x07" * 32
BOARD = "0x" + "ab" * 20


def ledger_with(
    reveals: list[tuple[int, int, int]], posted: dict[int, int] | None = None, last_block: int = 20
) -> Ledger:
    """Challenge 1 with submissions (id, phase, reveal block); `posted` maps id → seq."""
    posted = posted or {}
    challenge = Challenge(
        challenge_id=1,
        owner=ORACLES[0],
        token=ORACLES[0],
        dispute_window=300,
        dispute_bond=0,
        arbiter=ORACLES[0],
        daily_cap=0,
        commit_bond=0,
        parent_challenge=0,
        spec_cid="bafkspec",
        block=1,
        notice_period=86400,
        oracle_sets=[OracleSet(1, ORACLES, 2, DIGEST, 1, ORACLES[0], 0)],
        phases=[Phase(i, "bafkspec", False, 10, 0, 1, 100 * i, 100 * i + 50, 100 * i + 99,
                      b"\0" * 32, 0, 1) for i in range(2)],
    )  # fmt: skip
    ledger = Ledger(last_block=last_block, challenges={1: challenge})
    for sid, phase, block in reveals:
        s = Submission(sid, 1, ORACLES[1], phase, b"\0" * 32, 0, block - 1)
        s.reveal = Reveal(f"bafk{sid}", (), (), block)
        if sid in posted:
            s.score = Score(posted[sid], 0, 5, b"\0" * 32, b"\0" * 32, block + 1, b"\0" * 32)
        ledger.submissions[sid] = s
    for seq in sorted(set(posted.values())):
        challenge.batches.append(ScoreBatchPosted(1, 0, seq, b"\0" * 32, 1, ORACLES[0], 1, b""))
    return ledger


def own_scores(ids: list[int], public: int = 5, block: int = 10) -> dict[int, ScoredJob]:
    return {
        i: ScoredJob(
            i,
            1,
            0,
            block,
            JobState.SCORED,
            ScoreItem(i, 0, public * i, bytes([i]) * 32, b"\x01" * 32),
            public * i,
            b"\x02" * 32,
            0.0,
        )
        for i in ids
    }


def test_a_peer_with_the_same_scores_forms_the_same_bytes() -> None:
    ledger = ledger_with([(1, 0, 5), (2, 0, 6), (3, 0, 9)])
    mine = form_proposal(ledger, 1, own_scores([1, 2, 3]))
    assert mine is not None and [i.submission_id for i in mine.items] == [1, 2, 3]
    theirs = review_proposal(mine, ledger, 20, own_scores([1, 2, 3]))
    assert theirs == mine
    # ... and over the wire the proposal keeps every byte
    assert (
        ProposalModel.model_validate_json(ProposalModel.of(mine).model_dump_json()).to_proposal()
        == mine
    )


def test_a_peer_that_is_behind_asks_to_retry() -> None:
    ledger = ledger_with([(1, 0, 5), (2, 0, 6)])
    proposal = form_proposal(ledger, 1, own_scores([1, 2]))
    assert proposal is not None
    behind = review_proposal(proposal, ledger, 19, own_scores([1, 2]))
    assert isinstance(behind, Refusal) and behind.retry and "not yet the cut block" in behind.reason
    unscored = review_proposal(proposal, ledger, 20, own_scores([1]))
    assert isinstance(unscored, Refusal) and unscored.retry and "[2]" in unscored.reason


def test_different_scores_are_a_disagreement_naming_both_values() -> None:
    ledger = ledger_with([(1, 0, 5), (2, 0, 6)])
    proposal = form_proposal(ledger, 1, own_scores([1, 2], public=7))  # a liar's numbers
    assert proposal is not None
    answer = review_proposal(proposal, ledger, 20, own_scores([1, 2], public=5))
    assert isinstance(answer, Refusal) and not answer.retry
    assert [d.submission_id for d in answer.disagreements] == [1, 2]
    assert (
        "proposed status 0 public 14" in answer.reason
        and "ours status 0 public 10" in answer.reason
    )


def test_a_batch_that_leaves_out_a_revealed_submission_is_refused() -> None:
    ledger = ledger_with([(1, 0, 5), (2, 0, 6)])
    full = form_proposal(ledger, 1, own_scores([1, 2]))
    assert full is not None
    short = Proposal(full.cut_block, score_batch(1, 0, 1, DIGEST, full.items[:1]), full.items[:1])
    answer = review_proposal(short, ledger, 20, own_scores([1, 2]))
    assert isinstance(answer, Refusal) and not answer.retry and "[1, 2]" in answer.reason
    stale = Proposal(full.cut_block, score_batch(1, 0, 2, DIGEST, full.items), full.items)
    answer = review_proposal(stale, ledger, 20, own_scores([1, 2]))
    assert isinstance(answer, Refusal) and "next seq is 1" in answer.reason


def test_a_waiting_submission_is_left_out_only_when_the_peer_holds_it_waiting_too() -> None:
    ledger = ledger_with([(1, 0, 5), (2, 0, 6), (3, 0, 9)])
    assert choose_cut(ledger, 1, own_scores([1, 3]), waiting={2}) == 20  # 2 holds nobody back
    proposal = form_proposal(ledger, 1, own_scores([1, 3]), waiting={2})
    assert proposal is not None and [i.submission_id for i in proposal.items] == [1, 3]
    assert review_proposal(proposal, ledger, 20, own_scores([1, 3]), waiting={2}) == proposal
    # a peer that has not tried 2 yet asks to retry; one that scored it refuses to drop it
    untried = review_proposal(proposal, ledger, 20, own_scores([1, 3]))
    assert (
        isinstance(untried, Refusal)
        and untried.retry
        and "leaves out submissions [2]" in (untried.reason)
    )
    scored = review_proposal(proposal, ledger, 20, own_scores([1, 2, 3]))
    assert isinstance(scored, Refusal) and not scored.retry and "[1, 2, 3]" in scored.reason


def test_the_cut_stops_before_a_member_not_scored_yet_and_skips_posted_ones() -> None:
    ledger = ledger_with([(1, 0, 5), (2, 0, 6), (3, 0, 9), (4, 0, 3)], posted={4: 1})
    assert choose_cut(ledger, 1, own_scores([1, 2])) == 8  # 3 (revealed at 9) is not scored
    at_cut = ledger_with([(1, 0, 5), (2, 0, 6), (4, 0, 3)], posted={4: 1}, last_block=8)
    proposal = form_proposal(at_cut, 1, own_scores([1, 2]))
    assert proposal is not None and proposal.batch.seq == 2
    assert [i.submission_id for i in proposal.items] == [1, 2]
    # a submission beyond the first MAX_ITEMS does not hold the batch back
    many = ledger_with([(i, 0, 5) for i in range(1, MAX_ITEMS + 2)])
    assert choose_cut(many, 1, own_scores(list(range(1, MAX_ITEMS + 1)))) == 20


def test_events_survive_the_database_round_trip() -> None:
    args = MappingProxyType(
        {
            "challengeId": 2**200,
            "cid": "bafk…",
            "flag": True,
            "digest": b"\x01\x02",
            "parents": (3, 4),
            "config": MappingProxyType({"oracles": (ORACLES[0],), "eta": 10}),
        }
    )
    event = ChainEvent(
        "ChallengeRegistry", "ChallengeCreated", args, 7, b"\x09" * 32, b"\x08" * 32, 3
    )
    again = decode_event(
        event.contract, event.name, encode_args(event), 7, b"\x09" * 32, b"\x08" * 32, 3
    )
    assert again == event


@pytest.fixture
def peer_servers() -> Iterator[list[OracleHttpServer]]:
    """Three peers: an honest signer, one signing with a key outside the oracle set, and one
    refusing with a disagreement."""

    def signer(key: str) -> Handlers:
        def review(model: ProposalModel) -> SignatureModel:
            typed = score_batch_typed_data(model.to_proposal().batch, 31337, BOARD)
            signed = sign_typed(typed, key)
            return SignatureModel(
                signer=ORACLES[1] if key == ANVIL_KEYS[1] else signed.signer,
                signature="0x" + signed.signature.hex(),
            )

        return Handlers(
            health=lambda: HealthModel(
                status="ok", oracle="", last_block=0, lag_blocks=0, jobs={}, seconds_since_loop=0
            ),
            metrics=lambda: b"",
            review_scores=review,
            review_root=lambda m: RefusalModel(retry=True, reason="later"),
            run_record=lambda sid: None,
        )

    refuser = signer(KEYS[2])
    refuser = Handlers(
        refuser.health,
        refuser.metrics,
        lambda m: RefusalModel(retry=False, reason="scores differ", disagreements=2),
        refuser.review_root,
        refuser.run_record,
    )
    servers = [
        OracleHttpServer("127.0.0.1", 0, h)
        for h in (signer(KEYS[1]), signer(ANVIL_KEYS[1]), refuser)
    ]
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.stop()


def test_only_signatures_recovering_to_an_oracle_count(
    peer_servers: list[OracleHttpServer],
) -> None:
    ledger = ledger_with([(1, 0, 5)])
    proposal = form_proposal(ledger, 1, own_scores([1]))
    assert proposal is not None
    typed = score_batch_typed_data(proposal.batch, 31337, BOARD)
    client = PeerClient([f"http://127.0.0.1:{s.port}" for s in peer_servers], timeout=5)
    try:
        signatures, answers = client.collect(
            "/v1/proposals", ProposalModel.of(proposal).model_dump(), typed, ORACLES, needed=3
        )
    finally:
        client.close()
    assert [s.signer for s in signatures] == [ORACLES[1]]  # the impostor's is dropped
    refusals = [a.refusal for a in answers if a.refusal is not None]
    assert [(r.retry, r.disagreements) for r in refusals] == [(False, 2)]
    assert len(answers) == 3


def test_the_peer_api_answers_bad_input_with_a_status_and_a_reason(
    peer_servers: list[OracleHttpServer],
) -> None:
    import httpx

    url = f"http://127.0.0.1:{peer_servers[0].port}"
    assert httpx.post(url + "/v1/proposals", content=b"{not json").status_code == 400
    bad = httpx.post(url + "/v1/proposals", json={"cut_block": "x"})
    assert bad.status_code == 400 and "not a valid proposal" in bad.json()["detail"]
    assert httpx.get(url + "/nowhere").status_code == 404
    root = RootProposalModel(
        cut_block=1,
        challenge_id=1,
        phase=0,
        correction=0,
        seq=1,
        config_digest="0x" + "00" * 32,
        merkle_root="0x" + "00" * 32,
        total="1",
        report_cid="bafk",
        report_cid_hash="0x" + "00" * 32,
    )
    later = httpx.post(url + "/v1/root-proposals", json=root.model_dump())
    assert later.status_code == 409 and later.json()["retry"] is True
    assert httpx.get(url + "/healthz").json()["status"] == "ok"
