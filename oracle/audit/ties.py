"""Re-deriving each phase's rank intervals and tie groups, as anyone can once the holdout is
revealed; the tie groups feed the rewards recomputation when the spec shares prizes."""

from oracle.audit.findings import AuditReport
from oracle.audit.per_phase import derive_per_phase
from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import private_opened, score_text
from oracle.ledger.model import Challenge, Ledger
from oracle.ledger.ties import TiedEntry, private_ties, prize_tie_groups
from oracle.scoring.bootstrap import NoIntervals
from oracle.types import SubmissionId

TieGroups = tuple[tuple[SubmissionId, ...], ...]


def check_ties(
    ledger: Ledger, challenge: Challenge, store: ContentStore, report: AuditReport
) -> dict[int, TieGroups]:
    """Each phase's prize tie groups, recomputed; phases without intervals are left out
    (with a note saying why, or as could-not-check when content was unreachable)."""

    def derive(phase: int) -> list[TiedEntry] | None:
        try:
            return private_ties(ledger, challenge, phase, store)
        except NoIntervals as exc:
            report.notes.append(f"phase {phase}: no rank intervals: {exc}")
            return None

    ready = (
        phase.index
        for phase in challenge.phases
        if private_opened(ledger, challenge, phase.index) and phase.holdout is not None
    )
    found = derive_per_phase(report, "ties", ready, derive, _describe)
    return {phase: prize_tie_groups(entries) for phase, entries in found.items()}


def _describe(ties: list[TiedEntry]) -> str:
    parts = [
        f"#{t.entry.submission_id} [{score_text(t.interval.low)}, "
        f"{score_text(t.interval.high)}] group {t.tie_group}"
        for t in ties
    ]
    return "private board's 95% intervals and tie groups: " + "; ".join(parts)
