"""The rules a challenge's participants committed under, as audit notes: the notice period,
each phase's judges (oracle set and arbiter fixed when its commits opened), and who revealed
each holdout (or that a root was posted without it)."""

from oracle.audit.findings import AuditReport
from oracle.ledger.model import Challenge


def note_rules(challenge: Challenge, report: AuditReport) -> None:
    report.notes.append(
        f"notice period {challenge.notice_period} s: new oracles or a new arbiter judge only "
        "phases whose commits open at least that long after they are announced"
    )
    for phase in challenge.phases:
        judges = challenge.judges_of(phase.index)
        report.notes.append(
            f"phase {phase.index}: judged by oracle set version {judges.version} "
            f"({judges.quorum} of {len(judges.oracles)} sign), arbiter {judges.arbiter}"
        )
        if phase.holdout is not None:
            who = phase.holdout.revealer
            role = (
                "the owner"
                if who.lower() == challenge.owner.lower()
                else (
                    "an oracle"
                    if who.lower() in {o.lower() for o in judges.oracles}
                    else "a third party"
                )
            )
            report.notes.append(f"phase {phase.index}: holdout revealed by {who} ({role})")
        elif any(r.phase == phase.index for r in challenge.roots):
            report.notes.append(
                f"phase {phase.index}: rewards root posted without the holdout (nobody revealed "
                "it by the deadline); its scores cannot be recomputed from public data"
            )
