"""Re-deriving each corrected phase's rank changes and checking the compensations a rule v2
report pays for them.

Once both versions of a phase's scores are recomputed as posted (the set-aside ones by
oracle/audit/corrections.py, the current ones by recompute.py), the rank-changes view is
derived from them with the ledger's rule (oracle/ledger/rank_changes.py) and noted. A live
rewards root of the phase under rule v2 must compensate exactly the submissions that lost a
prize rank through the correction, each with its old and new prize rank and what it lost:
the compensations of the report `check_rewards` recomputed for the root (the one
`phase_rewards` the oracles use, rule_v2.py's `prize_losses` within it). The awards are
checked with the whole root by `check_rewards`; this check names who was left out or
added.
"""

import json
from collections.abc import Mapping

from oracle.audit.findings import AuditReport
from oracle.audit.recompute import Fetcher
from oracle.ledger.boards import score_text
from oracle.ledger.model import Challenge, Ledger, Phase, RewardRootPosted, RootStanding
from oracle.ledger.rank_changes import RankChanges, ledger_changes
from oracle.rewards.report import REPORT_MAX_BYTES, RewardReport, to_jsonable


def check_rank_changes(
    ledger: Ledger,
    challenge: Challenge,
    fetch: Fetcher,
    set_aside_clean: set[int],
    recomputed: Mapping[int, RewardReport],
) -> None:
    """Notes each corrected phase's recomputed rank changes and checks its live rule v2
    roots' compensations; `set_aside_clean` are the phases whose set-aside scores recomputed
    as posted (check_corrections), `recomputed` the reports check_rewards recomputed, by
    root seq."""
    report = fetch.report
    for phase in challenge.phases:
        if phase.correction == 0:
            continue
        subject = f"rank changes of phase {phase.index} (correction {phase.correction})"
        unsure = _why_not_derived(ledger, challenge, phase, report, set_aside_clean)
        if unsure:
            report.notes.append(f"{subject}: not derived, {unsure}")
            continue
        view = ledger_changes(ledger, challenge, phase.index)
        report.notes.append(f"{subject}: {_describe(view)}")
        report.passed("rank changes")
        for root in challenge.roots:
            if root.phase == phase.index and root.state is not RootStanding.VOIDED:
                _check_compensations(challenge, root, fetch, recomputed.get(root.seq))


def _why_not_derived(ledger: Ledger, challenge: Challenge, phase: Phase, report: AuditReport,
                     set_aside_clean: set[int]) -> str:  # fmt: skip
    """Why the phase's two versions of scores are not both known to be as posted ("" when
    they are): check_corrections recomputed the set-aside ones, check_scores the current."""
    if phase.holdout is None:
        return "the corrected labels are not revealed yet: the current scores wait for them"
    subjects = {f"holdout of phase {phase.index}", f"phase {phase.index}"} | {
        f"submission #{s.submission_id}"
        for s in ledger.submissions_of(challenge.challenge_id, phase.index)
    }
    if phase.index not in set_aside_clean or any(
        f.check == "scores" and f.subject in subjects for f in [*report.findings, *report.unchecked]
    ):
        return ("the scores of one version were not all recomputed as posted (see the scores "
                "and corrections checks)")  # fmt: skip
    return ""


def _describe(view: RankChanges) -> str:
    if not view.changes:
        return f"no rank or status changed (ranked by {view.by} score)"
    parts = []
    for c in view.changes:
        old = "-" if c.old_rank is None else c.old_rank
        new = "-" if c.new_rank is None else c.new_rank
        scores = f"{_score(c.old_score)} → {_score(c.new_score)}"
        parts.append(f"#{c.submission_id} rank {old} → {new} ({scores})")
    return f"ranked by {view.by} score: " + "; ".join(parts)


def _score(wad: int | None) -> str:
    return "-" if wad is None else score_text(wad)


def _check_compensations(challenge: Challenge, root: RewardRootPosted, fetch: Fetcher,
                         ours: RewardReport | None) -> None:  # fmt: skip
    report = fetch.report
    subject = f"compensations of rewards root of phase {root.phase} (seq {root.seq})"
    spec = fetch.spec(challenge.phases[root.phase])
    if spec is None or spec.rewards.rule_version != 2:
        return  # rule v1 compensates nobody; an unreadable spec is check_rewards' finding
    if ours is None:
        report.could_not_check("rank changes", subject, "the root's rewards not recomputed "
                               "(see the rewards check)")  # fmt: skip
        return
    published = fetch.get(root.report_cid, REPORT_MAX_BYTES, f"report of {subject}")
    if published is None:
        return
    try:
        posted = json.loads(published)["compensations"]
    except (ValueError, KeyError, TypeError) as exc:
        report.fail("rank changes", subject, f"the report holds no readable compensations: {exc}")
        return
    expected = [_lost(to_jsonable(c)) for c in ours.compensations]
    got = [_lost(c) for c in posted] if isinstance(posted, list) else posted
    if got != expected:
        report.fail("rank changes", subject,
                    f"the report compensates {_losers(got)}; by the recomputed scores "
                    f"{_losers(expected)} lost a prize rank")  # fmt: skip
        return
    report.passed("rank changes")


def _lost(compensation: object) -> dict[str, object]:
    """What a compensation says about the loss (its award is the rewards check's)."""
    if not isinstance(compensation, dict):
        return {}
    keys = ("submission_id", "old_prize_rank", "new_prize_rank", "lost")
    return {k: compensation.get(k) for k in keys}


def _losers(losses: object) -> str:
    if not isinstance(losses, list) or not losses:
        return "nobody"
    return ", ".join(
        f"#{c.get('submission_id')} (prize rank {c.get('old_prize_rank')} → "
        f"{c.get('new_prize_rank') or 'none'}, lost {c.get('lost')})"
        for c in losses
    )
