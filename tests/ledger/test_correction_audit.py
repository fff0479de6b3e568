"""The audit of a corrected phase (issue 15): the scores a correction set aside are
recomputed with the material of their own correction, the rank changes are re-derived, and
a rule v2 report must compensate exactly those who lost a prize rank.

The owner corrects phase 0's scorer after its root was posted: the corrected program ranks
by the opposite of the RMSE, so the first and the last submission swap ranks (two rank
changes) and the first loses its prize rank. A labels correction's set-aside scores meet
the labels it replaced. Real anvil, real contracts, the corrected scorer run in its
bubblewrap sandbox; the oracles' part is tests/ledger/lifecycle.py's.
"""

import dataclasses
import json
from pathlib import Path

import pytest
from eth_utils.crypto import keccak
from lifecycle import Life, Tamper, diabetes_files, predictions

from oracle.audit.corrections import holdout_under
from oracle.audit.run import audit_challenge
from oracle.chain.attestation import ScoreItem
from oracle.chain.platform import Platform
from oracle.devnet.datasets import spec_path
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import Correction, HoldoutReveal, Phase
from oracle.types import Address

COMPENSATION_BPS = 500
REWARDS_V2 = json.loads(spec_path("diabetes-regression").read_text())["rewards"] | {
    "rule_version": 2, "compensation_bps": COMPENSATION_BPS,
}  # fmt: skip
OPPOSITE_SCORER = (
    b"import numpy as np\n"
    b"def score(y_true, y_pred):\n"
    b"    return -float(np.sqrt(np.mean((y_true - y_pred) ** 2)))\n"
)
REASON = b"The scorer must rank by the opposite of the RMSE."


@pytest.fixture
def life(fast_platform: Platform, tmp_path: Path) -> Life:
    store = EmbeddedStore(tmp_path / "ipfs")
    world = Life(fast_platform, store, tmp_path, diabetes_files(),
                 spec_changes={"rewards": REWARDS_V2})  # fmt: skip
    world.publish()
    return world


def _scored_then_corrected(life: Life, tamper: Tamper = lambda items: items) -> list[int]:
    """Three submissions scored (through `tamper`), the root posted, the scorer corrected
    and the phase scored and opened again; the submission ids, best RMSE first."""
    ids = [life.submit(who, predictions(life.files, model))
           for who, model in ((1, "linear"), (2, "neighbours"), (3, "baseline"))]  # fmt: skip
    life.score_and_post(tamper=tamper)
    life.end_phase()
    life.post_root(life.rewards())
    done = life.correct(REASON, scorer=OPPOSITE_SCORER)
    assert (done.correction, done.voided_root) == (1, True)
    life.score_and_post()
    life.end_phase()
    return ids


def test_an_honest_correction_audits_clean_with_both_boards_and_the_diff(life: Life) -> None:
    linear, neighbours, baseline = _scored_then_corrected(life)
    report = life.rewards()
    assert [(c.submission_id, c.old_prize_rank, c.new_prize_rank)
            for c in report.compensations] == [(linear, 1, 3)]  # fmt: skip
    life.post_root(report)

    steps: list[str] = []
    audit = audit_challenge(life.platform, life.store, life.challenge_id, steps.append)

    assert audit.ok, [str(f) for f in audit.findings]
    assert "recomputing scores set aside by corrections" in steps
    assert "recomputing rank changes" in steps
    assert audit.checked["scores"] == 3, "the current scores, with the corrected scorer"
    assert audit.checked["corrections"] == 3, "the set-aside ones, with the spec's scorer"
    assert audit.checked["rank changes"] == 2, "the view, and the root's compensations"
    (view,) = [n for n in audit.notes if n.startswith("rank changes of phase 0 (correction 1)")]
    assert f"#{linear} rank 1 → 3" in view and f"#{baseline} rank 3 → 1" in view, view
    assert f"#{neighbours}" not in view, "the middle one kept its rank"


def test_a_wrong_score_set_aside_by_the_correction_is_named(life: Life) -> None:
    def flatter_the_last(items: list[ScoreItem]) -> list[ScoreItem]:
        first, second, last = items
        return [first, second, dataclasses.replace(last, public_score=first.public_score)]

    _, _, baseline = _scored_then_corrected(life, tamper=flatter_the_last)
    life.post_root(life.rewards())

    audit = audit_challenge(life.platform, life.store, life.challenge_id)

    assert not audit.ok
    (finding,) = audit.findings
    assert finding.check == "corrections"
    assert finding.subject == f"submission #{baseline}, as posted under correction 0"
    posted = life.batches[0][1][2].public_score
    assert finding.detail.startswith(f"public score on chain {posted}, recomputed "), finding
    assert audit.checked["scores"] == 3, "the current scores are right"
    assert any("rank changes of phase 0 (correction 1): not derived" in n for n in audit.notes)


def test_a_report_that_compensates_nobody_is_named(life: Life) -> None:
    linear, _, _ = _scored_then_corrected(life)
    honest = life.rewards()
    life.post_root(dataclasses.replace(honest, compensations=()), leaves=honest.leaves)

    audit = audit_challenge(life.platform, life.store, life.challenge_id)

    assert not audit.ok
    (finding,) = [f for f in audit.findings if f.check == "rank changes"]
    assert finding.subject == "compensations of rewards root of phase 0 (seq 2)"
    lost = honest.compensations[0].lost
    assert finding.detail == (
        f"the report compensates nobody; by the recomputed scores #{linear} (prize rank 1 → 3, "
        f"lost {lost}) lost a prize rank"
    )


def test_after_a_labels_correction_set_aside_scores_meet_the_labels_they_replaced(
    life: Life,
) -> None:
    """The last submission's public score was flattered before the labels were corrected
    (every target one unit higher): only it is named, so the first, honest one was scored
    against the replaced labels, not the corrected ones."""

    def flatter_the_last(items: list[ScoreItem]) -> list[ScoreItem]:
        first, last = items
        return [first, dataclasses.replace(last, public_score=first.public_score)]

    first = life.submit(1, predictions(life.files, "linear"))
    last = life.submit(2, predictions(life.files, "baseline"))
    life.score_and_post(tamper=flatter_the_last)
    life.end_phase()
    life.post_root(life.rewards())
    lines = life.files["labels.csv"].decode().splitlines()
    shifted = [f"{row.rsplit(',', 1)[0]},{float(row.rsplit(',', 1)[1]) + 1.0!r}"
               for row in lines[1:]]  # fmt: skip
    life.correct(REASON, labels="\n".join([lines[0], *shifted, ""]).encode())
    life.score_and_post()
    life.end_phase()  # opens the new scores and reveals the corrected labels
    life.post_root(life.rewards())

    audit = audit_challenge(life.platform, life.store, life.challenge_id)

    assert [(f.check, f.subject) for f in audit.findings] == [
        ("corrections", f"submission #{last}, as posted under correction 0")
    ], [str(f) for f in audit.findings]
    assert audit.checked["corrections"] == 1, f"#{first} matched the replaced labels"
    assert audit.checked["scores"] == 2, "the current scores match the corrected labels"


def _reveal(name: str) -> HoldoutReveal:
    return HoldoutReveal(name, keccak(text=name), bytes(32), 0, Address("0x" + "00" * 20))


def _correction(number: int, scorer: str = "", relabel_of: HoldoutReveal | None = None,
                relabelled: bool = False) -> Correction:  # fmt: skip
    commitment = b"\1" * 32 if relabelled or relabel_of else bytes(32)
    return Correction(number, scorer, commitment, "reason", 0, relabel_of)


def test_each_correction_s_scores_are_recomputed_with_the_material_then_in_force() -> None:
    first, second = _reveal("labels as published"), _reveal("labels of correction 2")
    phase = Phase(0, "spec", False, 0, 0, 0, 0, 0, 0, b"\1" * 32, 0, 0, holdout=None)
    phase.corrections = [
        _correction(1, scorer="scorer-1"),  # the scorer only: the labels stand
        _correction(2, relabel_of=first),  # new labels, the published ones revealed first
        _correction(3, relabelled=True),  # new labels again, those of correction 2 never revealed
        _correction(4, scorer="scorer-4"),
    ]
    phase.holdout = _reveal("labels of correction 3")
    scorers = [phase.scorer_cid_under(k) for k in range(5)]
    assert scorers == ["", "scorer-1", "scorer-1", "scorer-1", "scorer-4"]
    holdouts = [holdout_under(phase, k) for k in range(5)]
    assert holdouts == [first, first, None, phase.holdout, phase.holdout]
    assert second not in holdouts, "replaced before anyone revealed it: nothing to score with"
