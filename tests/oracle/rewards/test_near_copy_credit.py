"""Reward rule step 5 for uncredited near-copies: rewarded exactly as a declared fork of
their source at the near-copy share, with the evidence in the report."""

import json

import pytest
from test_rewards_rule import A, B, C, by_id, owed, parent, run, sub

from oracle.errors import InvalidRewardInputs
from oracle.rewards.model import NearCopy, NearCopyEvidence
from oracle.types import Address, SubmissionId


def near(sid: int, source: int, who: Address, ppm: int = 4_000) -> NearCopy:
    return NearCopy(SubmissionId(sid), SubmissionId(source), who, ppm, NearCopyEvidence.PREDICTIONS)


def test_an_uncredited_near_copy_pays_its_source_as_if_it_had_declared_it() -> None:
    source = sub(1, A, 1, 600)
    declared = run([source, sub(2, B, 2, 605, [parent(1, A)], [1_000_000])])
    undeclared = run([source, sub(2, B, 2, 605)], near_copies=(near(2, 1, A),))
    assert by_id(undeclared)[2].rho_bps == 9_000
    assert by_id(undeclared)[2].passes == by_id(declared)[2].passes
    assert owed(undeclared) == owed(declared)
    uncredited = run([source, sub(2, B, 2, 605)])
    assert owed(uncredited)[B] > owed(undeclared)[B]  # what the rule takes from a copier


def test_the_near_copy_share_applies_even_when_the_copy_scores_better_by_eta() -> None:
    """A copy with a lucky noise may beat its source by eta: it still passes 90%, where a
    declared fork that truly improves passes the clamped declared share (20% here)."""
    source = sub(1, A, 1, 600)
    declared = by_id(run([source, sub(2, B, 2, 650, [parent(1, A)], [1_000_000])]))
    undeclared = by_id(run([source, sub(2, B, 2, 650)], near_copies=(near(2, 1, A),)))
    assert (declared[2].rho_bps, undeclared[2].rho_bps) == (2_000, 9_000)


def test_a_near_copy_naming_other_parents_is_credited_to_what_it_copied() -> None:
    records = [sub(1, A, 1, 600), sub(2, C, 2, 550), sub(3, B, 3, 601, [parent(2, C)], [1_000_000])]
    report = run(records, near_copies=(near(3, 1, A),))
    (only,) = by_id(report)[3].passes
    assert (only.parent_id, only.parent_submitter) == (1, A)
    assert by_id(report)[2].received_from_children == 0


def test_the_report_shows_the_evidence_and_reports_without_near_copies_are_unchanged() -> None:
    records = [sub(1, A, 1, 600), sub(2, B, 2, 605)]
    plain = run(records)
    assert "near_copies" not in json.loads(plain.to_json())
    flagged = json.loads(run(records, near_copies=(near(2, 1, A, 1_234),)).to_json())
    assert flagged["near_copies"] == [
        {"submission_id": "2", "source_id": "1", "source_submitter": A,
         "distance_ppm": "1234", "evidence": "predictions"}
    ]  # fmt: skip
    assert flagged["inputs_digest"] != plain.inputs_digest


@pytest.mark.parametrize(
    ("records", "copy", "wrong"),
    [
        ([sub(1, A, 1, 600), sub(2, B, 2, 605)], near(1, 2, B), "committed before its source"),
        ([sub(1, A, 1, 600), sub(2, A, 2, 605)], near(2, 1, A), "same submitter"),
        ([sub(1, A, 1, 600), sub(2, B, 2, 605)], near(2, 1, C), "the record says"),
        ([sub(1, A, 1, 600)], near(2, 1, A), "both must be submissions of the phase"),
    ],
)  # fmt: skip
def test_near_copies_that_cannot_be_are_refused(
    records: list[object], copy: NearCopy, wrong: str
) -> None:
    with pytest.raises(InvalidRewardInputs, match=wrong):
        run(records, near_copies=(copy,))  # type: ignore[arg-type]
