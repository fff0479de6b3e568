"""Rescoring in the open (issue 15): the owner corrects a phase's labels after its rewards
root was posted; the correction voids the root, three oracles rescore every submission of
the phase under the correction and post the new scores through the quorum, the rank-changes
view shows what moved, and the new root follows the corrected scores with rule v2's
compensation for the two who lost a prize rank; the audit passes, the scores set aside
recomputed against the labels the correction replaced. A scorer correction likewise: the
corrected program swaps the first and last ranks, the first is compensated, and the audit
recomputes the current scores with the corrected program and the set-aside ones with the
spec's metric. Real anvil, real contracts, three `coop oracle run` processes."""

import csv
import io
import json
from pathlib import Path

from oracle.api.read.rank_changes import rank_changes
from oracle.audit.run import audit_challenge
from oracle.chain.corrections import correct_phase
from oracle.chain.holdout_reveal import reveal_stored_holdout
from oracle.chain.holdout_secrets import find_secret
from oracle.chain.sender import Sender
from oracle.indexer.runner import Indexer
from oracle.ledger.boards import private_board
from oracle.ledger.model import Ledger
from oracle.ledger.rank_changes import ledger_changes
from tests.oracle.daemon.world import OWNER_KEY, World, wait_for

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "specs"


def _labels_from(world: World, labels: bytes, artifact: bytes) -> bytes:
    """The labels with every target replaced by `artifact`'s prediction: the corrected
    labels make that submission perfect."""
    assert world.spec is not None
    predicted = {r["id"]: r["prediction"] for r in csv.DictReader(io.StringIO(artifact.decode()))}
    rows = list(csv.DictReader(io.StringIO(labels.decode())))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        row[world.spec.columns.target] = predicted[row[world.spec.columns.id]]
        writer.writerow(row)
    return out.getvalue().encode()


def _off_by(world: World, offsets: tuple[float, ...]) -> list[bytes]:
    """For each offset, predictions that miss every true label by exactly that much: their
    RMSE is |offset| on whichever rows the salt makes private, so the boards below are the
    same on every run (noisy models' order could swap with the split)."""
    assert world.spec is not None
    id_column, target = world.spec.columns.id, world.spec.columns.target
    rows = list(csv.DictReader(io.StringIO(world.labels().decode())))
    return [
        ("id,prediction\n" + "".join(f"{r[id_column]},{float(r[target]) + offset!r}\n"
                                     for r in rows)).encode()
        for offset in offsets
    ]  # fmt: skip


def _live_root(world: World, seq_above: int = 0) -> Ledger | None:
    ledger = world.ledger()
    roots = ledger.challenges[world.challenge_id].roots
    return ledger if any(r.state == "live" and r.seq > seq_above for r in roots) else None


def test_a_labels_correction_is_rescored_by_the_quorum_and_the_root_follows(
    world: World,
) -> None:
    spec = json.loads((EXAMPLES / "diabetes-regression.json").read_text())
    spec["rewards"] |= {"rule_version": 2, "compensation_bps": 500}  # rule v2, 5 %
    spec_file = world.base / "spec-v2.json"
    spec_file.write_text(json.dumps(spec))
    world.publish(oracle_count=3, quorum=2, spec_file=spec_file)
    oracles = world.make_oracles(3)
    world.start_oracles()
    # RMSE 10, 20 and 40; the corrected labels below are the third's predictions, which
    # puts the first 30 away and the second 60: the new order is third, first, second.
    artifacts = _off_by(world, (10.0, -20.0, 40.0))
    ids = [world.submit(a) for a in artifacts]
    wait_for("the scores", lambda: set(ids) <= world.scored_ids(), 90, oracles)
    world.end_phase(oracles)
    owner = Sender.from_key(world.w3, OWNER_KEY)
    owner_dir = world.base / "owner"
    reveal_stored_holdout(world.platform, owner, world.store, owner_dir, world.challenge_id, 0)
    before = wait_for("the rewards root", lambda: _live_root(world), 90, oracles)
    old_board = [
        e.submission_id for e in private_board(before, before.challenges[world.challenge_id], 0)
    ]
    assert old_board == ids, "the nearest submission leads before the correction"
    first_root = before.challenges[world.challenge_id].roots[-1]

    commitment = before.challenges[world.challenge_id].phases[0].holdout_commitment
    path, secret = find_secret(owner_dir, commitment)
    corrected = _labels_from(world, secret.labels(path.parent), artifacts[2])
    done = correct_phase(
        world.platform, owner, world.store, owner_dir, world.challenge_id, 0,
        b"The labels of the test rows were shifted by one row.", labels=corrected,
    )  # fmt: skip
    assert (done.correction, done.voided_root) == (1, True)

    ledger = world.ledger()
    phase = ledger.challenges[world.challenge_id].phases[0]
    assert phase.correction == 1 and phase.holdout is None, "labels to be revealed again"
    assert ledger.challenges[world.challenge_id].roots[-1].state == "voided"
    assert all(s.score is None for s in ledger.submissions_of(world.challenge_id, 0))

    def rescored() -> Ledger | None:
        now = world.ledger()
        subs = now.submissions_of(world.challenge_id, 0)
        done = all(s.score and s.score.correction == 1 and s.private for s in subs)
        return now if done else None

    after = wait_for("the rescored and opened phase", rescored, 120, oracles)
    for s in after.submissions_of(world.challenge_id, 0):
        (earlier, opened), *_ = s.earlier
        assert earlier.correction == 0 and opened is not None, "history kept"
        assert s.score is not None and s.score.seq > earlier.seq
    new_board = [
        e.submission_id for e in private_board(after, after.challenges[world.challenge_id], 0)
    ]
    assert new_board == [ids[2], ids[0], ids[1]], "the corrected labels put the third first"

    # The rank-changes view, from the ledger (coop leaderboard --changes) and the index (API).
    found = ledger_changes(after, after.challenges[world.challenge_id], 0)
    assert (found.correction, found.by) == (1, "private")
    moved = {c.submission_id: (c.old_rank, c.new_rank) for c in found.changes}
    assert moved == {ids[0]: (1, 2), ids[1]: (2, 3), ids[2]: (3, 1)}, moved
    index = Indexer(world.base / "index.sqlite3", world.platform, world.store, confirmations=0)
    try:
        index.catch_up()
        view = rank_changes(index.db, world.challenge_id, 0)
    finally:
        index.close()
    assert view.correction == 1 and view.reason_cid == done.reason_cid
    assert {c.submission_id: (c.old_rank, c.new_rank) for c in view.items} == moved

    reveal_stored_holdout(world.platform, owner, world.store, owner_dir, world.challenge_id, 0)
    final = wait_for("the corrected root", lambda: _live_root(world, first_root.seq), 90, oracles)
    new_root = final.challenges[world.challenge_id].roots[-1]
    assert new_root.merkle_root != first_root.merkle_root, "the root follows the new scores"
    # rule v2: the two who lost a prize rank through the correction are compensated
    report = json.loads(world.store.cat(new_root.report_cid))
    assert report["rule_version"] == "2"
    lost = {int(c["submission_id"]): (c["old_prize_rank"], c["new_prize_rank"])
            for c in report["compensations"]}  # fmt: skip
    assert lost == {ids[0]: ("1", "2"), ids[1]: ("2", "3")}, lost
    assert all(int(c["award"]) > 0 for c in report["compensations"])
    audit = audit_challenge(world.platform, world.store, world.challenge_id)
    assert audit.ok, [f.__dict__ for f in audit.findings]
    # the scores the correction set aside, recomputed against the labels it replaced
    assert audit.checked["corrections"] == len(ids)
    # the rank changes re-derived, and the root compensates exactly the two who lost
    assert audit.checked["rank changes"] == 2
    (view,) = [n for n in audit.notes if n.startswith("rank changes of phase 0 (correction 1)")]
    assert all(f"#{sid} rank {old} → {new}" in view for sid, (old, new) in moved.items()), view
    voided = f"rewards root of phase 0 (seq {first_root.seq}) was voided by a correction of its"
    assert any(n.startswith(voided) for n in audit.notes), audit.notes


OPPOSITE_SCORER = (
    b"import numpy as np\n"
    b"def score(y_true, y_pred):\n"
    b"    return -float(np.sqrt(np.mean((y_true - y_pred) ** 2)))\n"
)


def test_a_scorer_correction_swaps_two_ranks_and_the_audit_recomputes_both_versions(
    world: World,
) -> None:
    spec = json.loads((EXAMPLES / "diabetes-regression.json").read_text())
    spec["rewards"] |= {"rule_version": 2, "compensation_bps": 500}
    spec_file = world.base / "spec-v2.json"
    spec_file.write_text(json.dumps(spec))
    world.publish(oracle_count=3, quorum=2, spec_file=spec_file)
    oracles = world.make_oracles(3)
    world.start_oracles()
    ids = [world.submit(a) for a in _off_by(world, (10.0, -20.0, 40.0))]  # RMSE 10, 20, 40
    wait_for("the scores", lambda: set(ids) <= world.scored_ids(), 90, oracles)
    world.end_phase(oracles)
    owner = Sender.from_key(world.w3, OWNER_KEY)
    owner_dir = world.base / "owner"
    reveal_stored_holdout(world.platform, owner, world.store, owner_dir, world.challenge_id, 0)
    before = wait_for("the rewards root", lambda: _live_root(world), 90, oracles)
    first_root = before.challenges[world.challenge_id].roots[-1]

    done = correct_phase(
        world.platform, owner, world.store, owner_dir, world.challenge_id, 0,
        b"The scorer must rank by the opposite of the RMSE.", scorer=OPPOSITE_SCORER,
    )  # fmt: skip
    assert (done.correction, done.voided_root) == (1, True)
    final = wait_for("the corrected root", lambda: _live_root(world, first_root.seq), 180, oracles)

    # the scorer reverses the order: the first and the last swap, the middle one stays
    found = ledger_changes(final, final.challenges[world.challenge_id], 0)
    moved = {c.submission_id: (c.old_rank, c.new_rank) for c in found.changes}
    assert moved == {ids[0]: (1, 3), ids[2]: (3, 1)}, moved
    new_root = final.challenges[world.challenge_id].roots[-1]
    report = json.loads(world.store.cat(new_root.report_cid))
    assert [(int(c["submission_id"]), int(c["old_prize_rank"]), int(c["new_prize_rank"]))
            for c in report["compensations"]] == [(ids[0], 1, 3)]  # fmt: skip
    audit = audit_challenge(world.platform, world.store, world.challenge_id)
    assert audit.ok, [str(f) for f in audit.findings]
    assert (audit.checked["scores"], audit.checked["corrections"]) == (3, 3)
    assert audit.checked["rank changes"] == 2
