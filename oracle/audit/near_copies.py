"""Re-deriving each revealed phase's uncredited near-copies, as anyone can once the holdout
is revealed; they feed the rewards recomputation, so a root or report that ignored,
invented or misstated a near-copy does not match."""

from oracle.audit.findings import AuditReport
from oracle.audit.per_phase import derive_per_phase
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

    def derive(phase: int) -> NearCopies:
        spec = phase_spec(store, challenge, phase)
        return phase_near_copies(ledger, challenge.challenge_id, phase, spec, store)

    revealed = (phase.index for phase in challenge.phases if phase.holdout is not None)
    return derive_per_phase(report, "near-copies", revealed, derive, describe)


def describe(copies: NearCopies) -> str:
    if not copies:
        return "no uncredited near-copies"
    return "uncredited near-copies, each rewarded as a fork of its source: " + "; ".join(
        f"#{n.submission_id} near-copy of #{n.source_id}, distance {ppm_text(n.distance_ppm)} "
        f"({n.evidence})"
        for n in copies
    )
