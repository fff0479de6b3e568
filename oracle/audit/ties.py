"""Re-deriving each phase's rank intervals and tie groups, as anyone can once the holdout is
revealed; the tie groups feed the rewards recomputation when the spec shares prizes."""

from oracle.audit.findings import AuditReport
from oracle.errors import CoopError, IpfsError
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
    groups: dict[int, TieGroups] = {}
    for phase in challenge.phases:
        opened = private_opened(ledger, challenge, phase.index)
        if not opened or phase.holdout is None:
            continue
        try:
            ties = private_ties(ledger, challenge, phase.index, store)
        except IpfsError as exc:
            report.could_not_check("ties", f"phase {phase.index}", f"content unreachable: {exc}")
            continue
        except NoIntervals as exc:
            report.notes.append(f"phase {phase.index}: no rank intervals: {exc}")
            continue
        except CoopError as exc:  # the holdout itself is refused: check_scores says why
            report.could_not_check("ties", f"phase {phase.index}", str(exc))
            continue
        report.notes.append(f"phase {phase.index}: {_describe(ties)}")
        report.passed("ties")
        groups[phase.index] = prize_tie_groups(ties)
    return groups


def _describe(ties: list[TiedEntry]) -> str:
    parts = [
        f"#{t.entry.submission_id} [{score_text(t.interval.low)}, "
        f"{score_text(t.interval.high)}] group {t.tie_group}"
        for t in ties
    ]
    return "private board's 95% intervals and tie groups: " + "; ".join(parts)
