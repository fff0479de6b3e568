"""Reproducibility by quorum: how the oracles compare their own runs of a code submission.

Every oracle runs a code submission itself and keeps its run's outcome (the predictions'
CID, or the status of a run that wrote none). A proposal carries, beside each code item,
the poster's outcome, or for a NOT_REPRODUCIBLE item the outcomes it lists (`runs`):
- a peer whose own outcome differs from the poster's, or is missing from a
  NOT_REPRODUCIBLE item's list, does not sign: it answers with its outcome (`Mismatch`);
- the poster then turns its item into NOT_REPRODUCIBLE, listing its own outcome and every
  differing one it was told (`widened`), and proposes again;
- a peer signs a NOT_REPRODUCIBLE item when its own outcome is in the list and the list
  holds more than one: it rebuilds the item (`not_reproducible_record`, the same bytes on
  every oracle) and keeps it as its own score.
An oracle cannot check another's run, so one lying oracle and one honest one can make a
submission NOT_REPRODUCIBLE (never give it a score); the receipt names every outcome, and
`coop audit` reruns it (docs/oracle.md).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from oracle.chain.attestation import ScoreItem
from oracle.coderun.score import not_reproducible_reason
from oracle.daemon.jobs import OwnRun, ScoreRecord
from oracle.daemon.scorer import ScoringKeys, score_record
from oracle.scoring.engine import ScoreResult
from oracle.scoring.score_report import ScoreReport
from oracle.status import Status


@dataclass(frozen=True)
class Mismatch:
    """A peer's own outcome for a submission, which the proposal does not account for."""

    submission_id: int
    outcome: str


def item_runs(item: ScoreItem, own: OwnRun | None) -> list[str]:
    """What a proposal carries beside `item`: the outcomes behind it (none for a file)."""
    if own is None:
        return []
    if item.status == Status.NOT_REPRODUCIBLE and own.receipt.outcomes:
        return list(own.receipt.outcomes)
    return [own.outcome]


def review_runs(
    proposed: Iterable[tuple[ScoreItem, list[str]]], own: Mapping[int, OwnRun]
) -> tuple[list[Mismatch], dict[int, tuple[str, ...]]]:
    """The proposed runs that our own outcome contradicts, and the NOT_REPRODUCIBLE items
    we can sign (submission id → their outcomes)."""
    mismatches, agreed = [], {}
    for item, runs in proposed:
        mine = own.get(item.submission_id)
        if mine is None or not runs:
            continue  # not run here yet (the review says so), or a file
        if item.status == Status.NOT_REPRODUCIBLE:
            if mine.outcome in runs and len(set(runs)) > 1:
                agreed[item.submission_id] = tuple(runs)
                continue
        elif runs[0] == mine.outcome:
            continue
        mismatches.append(Mismatch(item.submission_id, mine.outcome))
    return mismatches, agreed


def widened(current: ScoreItem, own: OwnRun, theirs: Iterable[str]) -> tuple[str, ...] | None:
    """The outcomes a NOT_REPRODUCIBLE item should list once peers reported `theirs`;
    None when they change nothing."""
    listed = set(own.receipt.outcomes) if current.status == Status.NOT_REPRODUCIBLE else set()
    after = listed | {own.outcome} | set(theirs)
    return tuple(sorted(after)) if len(after) > 1 and after != listed else None


def record_item(submission_id: int, record: ScoreRecord) -> ScoreItem:
    return ScoreItem(submission_id, record.status, record.public_wad, record.commitment,
                     record.report_digest)  # fmt: skip


def not_reproducible_record(
    keys: ScoringKeys,
    challenge_id: int,
    phase: int,
    submission_id: int,
    own: OwnRun,
    outcomes: Iterable[str],
) -> tuple[ScoreRecord, bytes]:
    """The NOT_REPRODUCIBLE score and report every oracle listing `outcomes` writes alike."""
    receipt = own.receipt.not_reproducible(outcomes)
    result = ScoreResult(Status.NOT_REPRODUCIBLE, not_reproducible_reason(receipt.outcomes))
    report = ScoreReport(challenge_id, phase, submission_id, receipt.code_cid,
                         result.status, result.reason, None, receipt)  # fmt: skip
    return score_record(keys, report, result, 0.0, own.outcome), report.to_bytes()
