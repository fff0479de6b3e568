"""Auditing a challenge's mini-grants: every payment against the scores the ledger holds.

A GrantPool pays a participant when its released public best on the phase's Ladder beats the
pool's threshold. Replaying the participant's valid public scores up to the payment (the
Ladder's rule: the first valid score is released, later ones only when better by at least
eta) must give the score the payment names, and that score must beat the threshold; no one
is paid twice, no pool pays more than its slots or other than its amount, and a reclaim
returns exactly the unpaid slots. The public scores themselves are checked by the score
audit (oracle/audit/recompute.py), so a payment stands on recomputed numbers.
"""

from oracle.audit.findings import AuditReport
from oracle.chain.grants import GrantPaid, GrantPoolView, read_payments, read_pools, read_reclaims
from oracle.chain.platform import Platform
from oracle.ledger.model import Challenge, Ledger, Phase
from oracle.types import wad_text


def released_best(ledger: Ledger, challenge_id: int, phase: Phase, participant: str,
                  before: tuple[int, int]) -> int | None:  # fmt: skip
    """The participant's released public best in `phase` as of chain position `before`."""
    scores = sorted(
        (s.score.position, s.score.public_score)
        for s in ledger.submissions_of(challenge_id, phase.index)
        if s.submitter.lower() == participant.lower()
        and s.score is not None
        and s.score.status == 0
        and s.score.position < before
    )
    best: int | None = None
    for _, score in scores:
        if best is None:
            best = score
            continue
        gain = score - best if phase.higher_is_better else best - score
        if gain >= phase.eta:
            best = score
    return best


def _beats(pool: GrantPoolView, score: int) -> bool:
    return score > pool.threshold if pool.higher_is_better else score < pool.threshold


def _check_payment(ledger: Ledger, challenge: Challenge, pool: GrantPoolView, paid: GrantPaid,
                   report: AuditReport) -> None:  # fmt: skip
    subject = f"grant pool {pool.pool_id}, payment to {paid.participant}"
    if paid.amount != pool.amount_each:
        report.fail("grants", subject, f"paid {wad_text(paid.amount)}, the pool pays "
                    f"{wad_text(pool.amount_each)} each")  # fmt: skip
    phase = challenge.phases[pool.phase]
    best = released_best(ledger, challenge.challenge_id, phase, paid.participant, paid.position)
    if best is None:
        report.fail("grants", subject, f"no valid public score in phase {pool.phase} before "
                    f"the payment (block {paid.block_number})")  # fmt: skip
    elif best != paid.score:
        named, replayed = wad_text(paid.score), wad_text(best)
        report.fail("grants", subject, f"the payment names the public best {named}; the "
                    f"ledger's scores give {replayed}")  # fmt: skip
    elif not _beats(pool, best):
        report.fail("grants", subject, f"public best {wad_text(best)} does not beat the "
                    f"threshold {wad_text(pool.threshold)}")  # fmt: skip
    else:
        report.passed("grant payments")


def check_grants(platform: Platform, ledger: Ledger, challenge: Challenge,
                 report: AuditReport) -> None:  # fmt: skip
    """Checks every grant paid from a pool of `challenge` and every reclaim."""
    if platform.grants is None:
        report.notes.append("the deployment names no GrantPool: no grants to check")
        return
    pools = read_pools(platform, challenge.challenge_id)
    payments = read_payments(platform, {p.pool_id for p in pools})
    reclaims = read_reclaims(platform)
    for pool in pools:
        paid = [p for p in payments if p.pool_id == pool.pool_id]
        seen: set[str] = set()
        for payment in paid:
            who = payment.participant.lower()
            if who in seen:
                report.fail("grants", f"grant pool {pool.pool_id}",
                            f"{payment.participant} was paid twice")  # fmt: skip
            seen.add(who)
            _check_payment(ledger, challenge, pool, payment, report)
        subject = f"grant pool {pool.pool_id}"
        if len(paid) > pool.slots or len(paid) != pool.paid:
            report.fail("grants", subject, f"{len(paid)} payments for {pool.slots} slots "
                        f"(the pool counts {pool.paid})")  # fmt: skip
        if pool.pool_id in reclaims:
            unpaid = pool.amount_each * (pool.slots - len(paid))
            if reclaims[pool.pool_id] != unpaid:
                report.fail("grants", subject, f"reclaimed {wad_text(reclaims[pool.pool_id])}, "
                            f"the unpaid slots hold {wad_text(unpaid)}")  # fmt: skip
        report.passed("grant pools")
