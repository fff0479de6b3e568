"""Three `coop oracle run` processes, quorum 2: scores flow while one is down, the phase ends
with private scores opened and a rewards root that `coop audit` recomputes exactly; an
oracle that lies never reaches quorum."""

from collections import Counter

import httpx

from oracle.audit.run import audit_challenge
from oracle.daemon.cluster import LocalOracle
from oracle.scoring.score_report import score_report_cid
from oracle.status import Status
from tests.oracle.daemon import lying_oracle
from tests.oracle.daemon.world import World, wait_for


def posted_counts(world: World) -> Counter[int]:
    return Counter(int(e["submissionId"]) for e in world.events("ScoreRecorded"))


def test_two_of_three_keep_posting_while_one_is_down_and_it_catches_up(world: World) -> None:
    world.publish(oracle_count=3, quorum=2)
    oracles = world.make_oracles(3)
    world.start_oracles()
    a, b, c = oracles
    artifacts: dict[int, bytes] = {}

    def submit(seed: int) -> int:
        artifact = world.artifact(seed)
        submission_id = world.submit(artifact)
        artifacts[submission_id] = artifact
        return submission_id

    first = [submit(i) for i in range(3)]
    wait_for("the first scores", lambda: set(first) <= world.scored_ids(), 60, oracles)

    a.kill()  # kill -9 mid-run
    during = [submit(i) for i in range(3, 7)]
    wait_for(
        "scores while oracle-1 is down", lambda: set(during) <= world.scored_ids(), 60, oracles
    )

    a.start()
    a.wait_healthy()
    after = [submit(i) for i in range(7, 9)]
    every = first + during + after
    wait_for("scores after the restart", lambda: set(every) <= world.scored_ids(), 60, oracles)
    wait_for(
        "oracle-1 to catch up",
        lambda: a.metric("coop_oracle_jobs", state="posted") == len(every),
        60,
        oracles,
    )

    # Nothing posted twice, every score is the one an honest oracle computes.
    assert posted_counts(world) == Counter(every)
    ledger = world.ledger()
    for sid in every:
        score = ledger.submissions[sid].score
        assert score is not None
        expected = world.expected(artifacts[sid])
        assert (score.status, score.public_score) == (int(expected.status), expected.public_wad)
        # the report digest names the scoring report on IPFS: status and reason in words
        report = world.store.cat(score_report_cid(score.report_digest))
        assert b'"status_name":"VALID"' in report
    seqs = [int(e["seq"]) for e in world.events("ScoresPosted")]
    assert seqs == list(range(1, len(seqs) + 1))
    assert sum(o.metric("coop_oracle_posts_total", kind="scores") for o in (b, c)) >= 2
    assert all(o.metric("coop_oracle_disagreements_total") == 0 for o in oracles)

    # Phase end: private scores opened by the oracles, holdout revealed by the owner, then
    # the oracles post the rewards root; an independent audit recomputes everything.
    world.end_phase(oracles)
    ledger = world.reveal_and_wait_for_root()
    root = ledger.challenges[world.challenge_id].roots[0]
    assert root.total > 0
    report = audit_challenge(world.platform, world.store, world.challenge_id)
    assert report.ok, [str(f) for f in report.findings]
    assert report.checked["scores"] >= len(every) and report.checked["rewards"] == 1
    assert sum(o.metric("coop_oracle_posts_total", kind="rewards") for o in oracles) == 1

    # A graceful stop: SIGTERM ends each oracle promptly with status 0.
    for oracle in oracles:
        assert oracle.stop(timeout=15) == 0, oracle.tail()


def test_a_lying_oracle_never_reaches_quorum_and_the_honest_pair_progresses(world: World) -> None:
    world.publish(oracle_count=3, quorum=2)
    oracles = world.make_oracles(3)
    oracles[2].command = lying_oracle.command(eta_steps=3)
    world.start_oracles()
    honest, liar = oracles[:2], oracles[2]
    artifacts = {}
    for seed in range(4):  # one batch each, so the liar's turn as poster comes round
        artifact = world.artifact(seed)
        sid = world.submit(artifact)
        artifacts[sid] = artifact
        wait_for(f"submission {sid} on chain", lambda s=sid: s in world.scored_ids(), 60, oracles)
    ledger = world.ledger()
    for sid, artifact in artifacts.items():
        score = ledger.submissions[sid].score
        assert score is not None and score.status == Status.VALID
        assert score.public_score == world.expected(artifact).public_wad  # never the lie
    # Seen from both sides: the honest oracles refused the liar's batches, item by item, and
    # the liar refused theirs; both count it in /metrics and say it in their logs.
    refused_liar = sum(o.metric("coop_oracle_disagreements_total", proposer="peer") for o in honest)
    assert refused_liar >= 1
    assert liar.metric("coop_oracle_disagreements_total") >= 1
    assert any("DISAGREEMENT" in o.log_path.read_text() for o in honest)
    assert "coop_oracle_disagreements_total" in httpx.get(honest[0].url + "/metrics").text
    # the liar posted nothing (it never had a quorum)
    assert liar.metric("coop_oracle_posts_total", kind="scores") == 0
    assert all(isinstance(o, LocalOracle) and o.running for o in oracles)
