"""Three `coop oracle run` processes, quorum 2, through a whole phase: the rewards root they
post credits an uncredited near-copy (a re-ordered, noisy copy) to its source at 90%, its
report names the copy, the source and the distance, and `coop audit` derives the same."""

import json

from oracle.audit.run import audit_challenge
from oracle.chain.sender import Sender
from oracle.rewards.report import REPORT_MAX_BYTES
from tests.oracle.daemon.world import PARTICIPANT_KEYS, World, wait_for


def disguised(artifact: bytes) -> bytes:
    """The same predictions, rows in reverse order, each value nudged in its 12th digit."""
    header, *rows = artifact.decode().splitlines()
    nudged = [f"{i},{float(v) * (1 + 1e-12)!r}" for i, v in (row.split(",") for row in rows)]
    return ("\n".join([header, *nudged[::-1]]) + "\n").encode()


def test_the_oracles_root_credits_a_near_copy_to_its_source(world: World) -> None:
    world.publish(oracle_count=3, quorum=2)
    oracles = world.make_oracles(3)
    world.start_oracles()
    original = world.artifact(1)
    source = world.submit(original, who=0)
    copy = world.submit(disguised(original), who=1)
    honest = world.submit(world.artifact(3, noise=40.0), who=2)
    every = {source, copy, honest}
    wait_for("the scores", lambda: every <= world.scored_ids(), 90, oracles)

    world.end_phase(oracles)
    ledger = world.reveal_and_wait_for_root(90)
    (root,) = ledger.challenges[world.challenge_id].roots
    report = json.loads(world.store.cat(root.report_cid, max_bytes=REPORT_MAX_BYTES))
    (near,) = report["near_copies"]
    source_submitter = Sender.from_key(world.w3, PARTICIPANT_KEYS[0]).address
    assert (near["submission_id"], near["source_id"], near["source_submitter"]) == (
        str(copy), str(source), source_submitter)  # fmt: skip
    assert int(near["distance_ppm"]) < 10 and near["evidence"] == "predictions"
    awards = {int(s["submission_id"]): s for s in report["submissions"]}
    assert awards[copy]["rho_bps"] == "9000"
    assert [int(p["parent_id"]) for p in awards[copy]["passes"]] == [source]
    assert awards[honest]["passes"] == []

    audit = audit_challenge(world.platform, world.store, world.challenge_id)
    assert audit.ok, [str(f) for f in audit.findings]
    assert audit.checked["near-copies"] == 1 and audit.checked["rewards"] == 1
    for oracle in oracles:
        assert oracle.stop(timeout=15) == 0, oracle.tail()
