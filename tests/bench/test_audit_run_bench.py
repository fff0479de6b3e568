"""The phase bench/audit_run.py audits at 100,000 passes `audit_ledger` because it was built
honestly, not because the checks are loose: the same phase with one private score raised, or
its root paying one token more, is named by the audit. (Small here; the sizes are the
bench's job, docs/scale.md.)"""

import dataclasses
import pickle
from pathlib import Path

import pytest

from bench.audit_run import LEDGER, build_phase
from oracle.audit.findings import AuditReport
from oracle.audit.run import audit_ledger
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import Ledger

SIZE = 120  # two score batches, the second part full


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("audit-run")
    build_phase(folder, SIZE)
    return folder


def _audit(folder: Path, ledger: Ledger) -> tuple[AuditReport, list[str], list[int]]:
    report = AuditReport(1, ledger.last_block)
    steps: list[str] = []
    ticks: list[int] = []
    audit_ledger(ledger, ledger.challenge(1), EmbeddedStore(folder / "ipfs"), report,
                 steps.append, lambda done, total: ticks.append(done))  # fmt: skip
    return report, steps, ticks


def _ledger(folder: Path) -> Ledger:
    ledger: Ledger = pickle.loads((folder / LEDGER).read_bytes())
    return ledger


def test_the_built_phase_audits_clean_through_every_step(built: Path) -> None:
    report, steps, ticks = _audit(built, _ledger(built))

    assert report.ok and report.complete, report.findings + report.unchecked
    assert report.checked["scores"] == SIZE and report.checked["licences"] == SIZE
    assert report.checked["ties"] == 1 and report.checked["near-copies"] == 1
    assert report.checked["rewards"] == 1, "the root the oracles' form_root gave matches"
    assert ticks == list(range(SIZE + 1)), "the progress bar hears every score"
    assert steps[0] == "checking licences" and steps[-1] == "recomputing rank changes"
    assert "phase 0: no uncredited near-copies" in report.notes, "every file is distinct"


def test_a_raised_private_score_is_named(built: Path) -> None:
    ledger = _ledger(built)
    cheat = ledger.submissions[SIZE // 2]
    assert cheat.private is not None
    cheat.private = dataclasses.replace(cheat.private, score=cheat.private.score - 10**18)

    report, _, _ = _audit(built, ledger)

    subjects = {(f.check, f.subject) for f in report.findings}
    assert ("scores", f"submission #{SIZE // 2}") in subjects, report.findings


def test_a_root_paying_more_than_the_ledger_gives_is_named(built: Path) -> None:
    ledger = _ledger(built)
    (root,) = ledger.challenge(1).roots
    root.total += 1

    report, _, _ = _audit(built, ledger)

    assert [f.check for f in report.findings] == ["rewards"], report.findings
    assert f"paying {root.total};" in report.findings[0].detail
