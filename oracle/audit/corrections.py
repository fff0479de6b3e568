"""Re-deriving the scores a correction set aside, against the material in force when they
were posted.

A correction of a phase moves every score of the phase to the submission's history
(`Submission.earlier`, each with the correction it was posted under) and the oracles score
the phase again. Rule v2 compensates from the set-aside scores, and the rank-changes view
compares them with the new ones, so they are recomputed too: each with the scorer and the
holdout of its own correction.

- The scorer under correction k: the newest corrected scorer among corrections 1..k, else
  the spec's own (`Phase.scorer_cid_under`, oracle/scoring/correction.py's `corrected_spec`).
- The holdout under correction k: the reveal the first later labels correction replaced
  (`Correction.replaced_holdout`), else the phase's current reveal (the labels stood). Its
  commitment is re-derived from the reveal's digest and salt, which the registry checked
  against the commitment in force when it took the reveal.

Each score is recomputed as oracle/audit/recompute.py recomputes the current ones; what
that finds is reported under the check "corrections", the subject naming the submission
and the correction its score was posted under.
"""

from dataclasses import dataclass, replace

from oracle.audit.findings import AuditReport
from oracle.audit.recompute import Fetcher, _check_one, revealed_inputs
from oracle.ledger.model import Challenge, HoldoutReveal, Ledger, Phase, PrivateScore, Score
from oracle.scoring.commitment import holdout_commitment_of_digest
from oracle.scoring.correction import corrected_spec
from oracle.spec import ScorerKind


@dataclass(frozen=True)
class SetAside:
    """A submission's score posted under an earlier correction of its phase."""

    submission_id: int
    score: Score
    opened: PrivateScore | None


def check_corrections(ledger: Ledger, challenge: Challenge, fetch: Fetcher) -> set[int]:
    """Recomputes every score set aside by a correction; the phases whose set-aside scores
    all recomputed as posted (a corrected phase missing from it has a finding, or content
    or a reveal that could not be had)."""
    clean: set[int] = set()
    for phase in challenge.phases:
        if phase.correction == 0:
            continue
        # every earlier correction is checked, whatever the first ones found
        matched = [_check_under(ledger, challenge, phase, k, fetch)
                   for k in range(phase.correction)]  # fmt: skip
        if all(matched):
            clean.add(phase.index)
    return clean


def set_aside(ledger: Ledger, challenge_id: int, phase: int, correction: int) -> list[SetAside]:
    """The scores of `phase` posted under `correction` and set aside since, by submission."""
    return [
        SetAside(s.submission_id, score, opened)
        for s in ledger.submissions_of(challenge_id, phase)
        for score, opened in s.earlier
        if score.correction == correction
    ]


def holdout_under(phase: Phase, correction: int) -> HoldoutReveal | None:
    """The holdout reveal of the labels in force under `correction` (None: never revealed)."""
    for later in phase.corrections[correction:]:
        if any(later.holdout_commitment):
            return later.replaced_holdout
    return phase.holdout


def _check_under(ledger: Ledger, challenge: Challenge, phase: Phase, correction: int,
                 fetch: Fetcher) -> bool:  # fmt: skip
    """Recomputes the scores of `phase` set aside from `correction`; whether all matched."""
    scores = set_aside(ledger, challenge.challenge_id, phase.index, correction)
    report = fetch.report
    if not scores:
        return True
    where = f"phase {phase.index}, correction {correction}"
    reveal = holdout_under(phase, correction)
    if reveal is None:
        replaced = any(any(c.holdout_commitment) for c in phase.corrections[correction:])
        why = ("a later correction replaced them before anyone revealed them" if replaced
               else "they are not revealed yet")  # fmt: skip
        report.notes.append(
            f"{where}: {len(scores)} set-aside scores not recomputed: the labels they were "
            f"scored with are not public ({why})"
        )
        return False
    spec = fetch.spec(phase)
    if spec is None:
        return False
    spec = corrected_spec(spec, phase.scorer_cid_under(correction))
    # Recomputed through a report of its own: its findings are renamed to name the correction.
    scratch = AuditReport(report.challenge_id, report.last_block)
    inner = Fetcher(fetch.store, scratch)
    then = replace(phase, holdout=reveal,
                   holdout_commitment=holdout_commitment_of_digest(reveal.labels_digest,
                                                                   reveal.split_salt))  # fmt: skip
    revealed = revealed_inputs(then, spec, inner)
    program = inner.scorer_program(spec)
    if revealed is not None and (spec.scorer.kind is not ScorerKind.PROGRAM or program):
        submissions = ledger.submissions
        for item in scores:
            posted = replace(submissions[item.submission_id], score=item.score,
                             private=item.opened)  # fmt: skip
            _check_one(posted, spec, revealed[0], program, inner)
        _note_skipped(scratch, report, where, len(scores))
    _carry_over(scratch, report, correction)
    return revealed is not None and not scratch.findings and not scratch.unchecked


def _note_skipped(scratch: AuditReport, report: AuditReport, where: str, total: int) -> None:
    """Notes the scores recompute.py leaves to other checks (a code submission's rerun, a
    licence status), which are not rerun under an earlier correction."""
    named = [f for f in [*scratch.findings, *scratch.unchecked] if f.subject.startswith("sub")]
    skipped = total - scratch.checked["scores"] - len(named)
    if skipped > 0:
        report.notes.append(
            f"{where}: {skipped} set-aside scores not recomputed: code submissions (rerun "
            "under the current correction only) or refused for their licence"
        )


def _carry_over(scratch: AuditReport, report: AuditReport, correction: int) -> None:
    """The scratch report's counts and findings into `report`, subjects naming the
    correction the scores were posted under."""
    for ours, theirs in (("content", "content"), ("corrections", "scores")):
        if scratch.checked[theirs]:
            report.passed(ours, scratch.checked[theirs])
    suffix = f", as posted under correction {correction}"
    for finding in scratch.findings:
        report.fail("corrections", finding.subject + suffix, finding.detail)
    for finding in scratch.unchecked:
        report.could_not_check("corrections", finding.subject + suffix, finding.detail)
