"""A submission's quota protection, in words: until when the oracles have to score it, and
whether its cap slot was released (docs/participant.md, "No quota lost")."""

from collections.abc import Callable
from dataclasses import dataclass

from oracle.chain.clock import time_text
from oracle.ledger.model import Ledger, Submission


@dataclass(frozen=True)
class QuotaState:
    submission_id: int
    scoring_deadline: int  # seconds the challenge gives the oracles
    due_by: int | None  # reveal time + deadline; None while unrevealed
    released: bool  # releaseQuota ran
    slot_freed: bool  # and the commit still held a slot then
    releasable: bool  # capped challenge, revealed, unscored, past due_by, not released


def quota_state(ledger: Ledger, sub: Submission,
                block_time: Callable[[int], int]) -> QuotaState | None:  # fmt: skip
    """None when the challenge sets no scoring deadline; `block_time(-1)` is now."""
    challenge = ledger.challenges[sub.challenge_id]
    deadline = challenge.scoring_deadline
    if not deadline:
        return None
    due_by = None if sub.reveal is None else block_time(sub.reveal.block) + deadline
    release = sub.quota_release
    releasable = (challenge.daily_cap > 0 and due_by is not None and sub.score is None
                  and release is None and block_time(-1) > due_by)  # fmt: skip
    return QuotaState(sub.submission_id, deadline, due_by, release is not None,
                      release is not None and release.slot_freed, releasable)  # fmt: skip


def quota_text(q: QuotaState, now: int) -> str:
    if q.released:
        how = "freed its daily-cap slot" if q.slot_freed else "(its commit was over a day old)"
        return f"  quota    released: the oracles missed the scoring deadline; {how}"
    if q.due_by is None:
        return "  quota    once revealed, the oracles have the challenge's scoring deadline"
    if q.releasable:
        return (f"  quota    the oracles missed the scoring deadline "
                f"({time_text(q.due_by, now)}): `coop quota release {q.submission_id}` "
                "frees its cap slot")  # fmt: skip
    return f"  quota    the oracles must score it by {time_text(q.due_by, now)}"
