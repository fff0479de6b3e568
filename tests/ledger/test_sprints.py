"""Issue 15: a challenge run in three sprints, each with its own figure of merit.

Phase 0 is judged by RMSE; phase 1 by MAE with a new baseline and target; phase 2 by MAE
on a new dataset version (another training file). Each phase is scored, ended and paid on
real anvil with real contracts, and `coop audit` (and the audit page) pass after each; a
phase-0 submission enters phase 1 only as a fork crediting it.
"""

import shutil
from pathlib import Path

from oracle.chain.platform import Platform
from oracle.ipfs.importer import import_bytes
from oracle.ledger.boards import private_board, public_board
from oracle.ledger.replay import read_ledger
from oracle.types import PPM
from tests.api.test_disputes import WINDOW, disputable
from tests.indexer.story import ALICE, BOB, address
from tests.ledger.lifecycle import Life, predictions
from tests.ledger.test_audit_life import Auditor

TOP_UP = 300 * 10**18
WAD = 10**18


def _next_phase(life: Life, audit: Auditor, folder: Path | None = None,
                **changes: object) -> int:  # fmt: skip
    added = life.add_phase(TOP_UP, folder, **changes)
    audit.after(f"phase {added.phase} announced")
    life.travel_to(added.commit_start)
    return added.phase


def _end_and_pay(life: Life, audit: Auditor, phase: int) -> None:
    life.score_and_post(phase=phase)
    audit.after(f"phase {phase} scored")
    life.end_phase(phase)
    audit.after(f"phase {phase} ended")
    report = life.rewards(phase)
    assert report.total > 0
    life.post_root(report, phase=phase)
    audit.after(f"phase {phase} paid")


def _new_dataset(life: Life, tmp_path: Path) -> tuple[Path, str]:
    """Version 2 of the data: the training file without its last 40 rows."""
    source = life.data_dir / "examples" / "diabetes-regression"
    folder = tmp_path / "diabetes-v2"
    shutil.copytree(source, folder)
    lines = (source / "train.csv").read_bytes().splitlines(keepends=True)
    train = b"".join(lines[:-40])
    (folder / "train.csv").write_bytes(train)
    return folder, str(import_bytes(train).cid)


def test_three_sprints_each_scored_paid_and_audited_under_their_own_rules(
    fast_platform: Platform, tmp_path: Path
) -> None:
    life = disputable(fast_platform, tmp_path)
    audit = Auditor(life, tmp_path)
    cid = life.challenge_id

    # phase 0: RMSE from 84 to 50
    mean = life.submit(ALICE, predictions(life.files, "baseline"))
    linear = life.submit(BOB, predictions(life.files, "linear"))
    _end_and_pay(life, audit, 0)

    # phase 1: MAE from 70 to 40; alice carries bob's phase-0 model over as a fork of it
    one = _next_phase(life, audit, metric={"name": "mae"}, baseline="70", target="40")
    carried = life.submit(ALICE, predictions(life.files, "linear"), parents=(linear,),
                          weights=(PPM,))  # fmt: skip
    bob_mean = life.submit(BOB, predictions(life.files, "baseline"))
    _end_and_pay(life, audit, one)

    # phase 2: MAE on a new dataset version
    folder, train_v2 = _new_dataset(life, tmp_path)
    data = dict(life.spec_of(one).data.__dict__)
    two = _next_phase(life, audit, folder, metric={"name": "mae"}, baseline="70",
                      target="40", data={"train": train_v2,
                                         "test_features": str(data["test_features"]),
                                         "public": dict(data["public"])})  # fmt: skip
    latest = life.submit(BOB, predictions(life.files, "linear"))
    _end_and_pay(life, audit, two)

    ledger = read_ledger(life.platform)
    challenge = ledger.challenge(cid)
    rules = [(p.higher_is_better, p.baseline, p.target) for p in challenge.phases]
    assert rules == [(False, 84 * WAD, 50 * WAD), (False, 70 * WAD, 40 * WAD),
                     (False, 70 * WAD, 40 * WAD)]  # fmt: skip
    assert life.spec_of(0).metric.name == "rmse" and life.spec_of(1).metric.name == "mae"
    assert life.spec_of(2).data.train == train_v2 != life.spec_of(1).data.train

    # each phase's boards hold only its own submissions, ranked by its own metric
    boards = {p: [e.submission_id for e in private_board(ledger, challenge, p)] for p in (0, 1, 2)}
    assert boards == {0: [linear, mean], 1: [carried, bob_mean], 2: [latest]}
    assert [e.submission_id for e in public_board(ledger, challenge, 1)] == [carried, bob_mean]
    mae = ledger.submissions[carried].private
    rmse = ledger.submissions[linear].private
    assert mae is not None and rmse is not None and mae.score < rmse.score  # MAE ≤ RMSE

    # each phase has its own root, and the fork in phase 1 credits bob for phase 0's model
    roots = sorted((r.phase, r.total) for r in challenge.roots)
    assert [phase for phase, _ in roots] == [0, 1, 2]
    phase1 = life.rewards(1)
    (passed,) = [p for s in phase1.submissions for p in s.passes if p.parent_id == linear]
    assert passed.parent_submitter == address(BOB) and not passed.in_phase and passed.amount > 0

    # the contract's Ladder is per phase too: alice's phase-0 best is not her phase-1 best
    board = life.platform.score_board.functions
    assert (
        board.releasedBest(cid, 0, address(ALICE)).call()[0]
        != (board.releasedBest(cid, 1, address(ALICE)).call()[0])
    )
    audit.travel(WINDOW + 1)
    audit.after("every phase's claims open")
    audit.indexer.close()
