"""Re-deriving each revealed phase's uncredited near-copies, as anyone can once the holdout
is revealed; they feed the rewards recomputation, so a root or report that ignored,
invented or misstated a near-copy does not match."""

from oracle.audit.findings import AuditReport
from oracle.errors import CoopError, IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Challenge, Ledger
from oracle.ledger.near_copies import phase_near_copies
from oracle.ledger.ties import phase_spec
from oracle.rewards.model import NearCopy
from oracle.types import ppm_text

NearCopies = tuple[NearCopy, ...]


def check_near_copies(
    ledger: Ledger, challenge: Challenge, store: ContentStore, report: AuditReport
) -> dict[int, NearCopies]:
    """Each phase's near-copies, recomputed; phases whose holdout is hidden are left out,
    and so are phases whose content was unreachable (as could-not-check)."""
    found: dict[int, NearCopies] = {}
    for phase in challenge.phases:
        if phase.holdout is None:
            continue
        try:
            spec = phase_spec(store, challenge, phase.index)
            copies = phase_near_copies(ledger, challenge.challenge_id, phase.index, spec, store)
        except IpfsError as exc:
            why = f"content unreachable: {exc}"
            report.could_not_check("near-copies", f"phase {phase.index}", why)
            continue
        except CoopError as exc:  # the holdout itself is refused: check_scores says why
            report.could_not_check("near-copies", f"phase {phase.index}", str(exc))
            continue
        report.notes.append(f"phase {phase.index}: {describe(copies)}")
        report.passed("near-copies")
        found[phase.index] = copies
    return found


def describe(copies: NearCopies) -> str:
    if not copies:
        return "no uncredited near-copies"
    return "uncredited near-copies, each rewarded as a fork of its source: " + "; ".join(
        f"#{n.submission_id} near-copy of #{n.source_id}, distance {ppm_text(n.distance_ppm)} "
        f"({n.evidence})"
        for n in copies
    )
