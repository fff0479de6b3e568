"""The rank-changes view of a corrected phase: every submission whose rank or status changed.

After a correction of a phase's scorer or labels, each submission of the phase has a
standing under the previous correction and one under the current one. Both are ranked the
same way: the valid submissions of the phase, each on its own, by the score that decides
prizes (the private score, when every valid submission of both versions has one opened;
the public score otherwise, and the view says which), best first, ties by submission id.
A submission not scored under a version has no rank and no status there. `changes` lists
every submission whose rank or status differs, in submission order; the ledger
(`ledger_changes`) and the index (oracle/api/read/rank_changes.py) feed it the same rows.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from oracle.ledger.model import Challenge, Ledger, PrivateScore, Score
from oracle.status import Status
from oracle.types import Address


@dataclass(frozen=True)
class Standing:
    """One submission under one correction: its status and scores (None: not scored or
    not opened under it)."""

    submission_id: int
    participant: Address
    status: int | None
    public_score: int | None
    private_score: int | None


@dataclass(frozen=True)
class RankChange:
    submission_id: int
    participant: Address
    old_rank: int | None  # None: not ranked (not valid, or not scored) under that version
    new_rank: int | None
    old_status: int | None  # None: not scored under that version
    new_status: int | None
    old_score: int | None  # of a valid submission only
    new_score: int | None


@dataclass(frozen=True)
class RankChanges:
    phase: int
    correction: int  # the current one; the view compares it with correction - 1
    by: str  # "private" or "public": the score the ranks are by
    changes: tuple[RankChange, ...]


def _valid(s: Standing) -> bool:
    return s.status == Status.VALID


def _score(s: Standing, by: str) -> int | None:
    return s.private_score if by == "private" else s.public_score


def _ranks(standings: Sequence[Standing], by: str, higher_is_better: bool) -> dict[int, int]:
    sign = -1 if higher_is_better else 1
    ranked = sorted(
        (s for s in standings if _valid(s) and _score(s, by) is not None),
        key=lambda s: (sign * (_score(s, by) or 0), s.submission_id),
    )
    return {s.submission_id: rank for rank, s in enumerate(ranked, start=1)}


def changes(phase: int, correction: int, old: Sequence[Standing], new: Sequence[Standing],
            higher_is_better: bool) -> RankChanges:  # fmt: skip
    """Every submission whose rank or status differs between `old` and `new`."""
    both = [*old, *new]
    opened = all(s.private_score is not None for s in both if _valid(s))
    by = "private" if opened and any(_valid(s) for s in both) else "public"
    old_by = {s.submission_id: s for s in old}
    new_by = {s.submission_id: s for s in new}
    old_ranks = _ranks(old, by, higher_is_better)
    new_ranks = _ranks(new, by, higher_is_better)
    found = []
    for sid in sorted(old_by.keys() | new_by.keys()):
        before, after = old_by.get(sid), new_by.get(sid)
        old_status = before.status if before else None
        new_status = after.status if after else None
        if old_ranks.get(sid) == new_ranks.get(sid) and old_status == new_status:
            continue
        who = (after or before).participant  # type: ignore[union-attr]
        found.append(RankChange(
            sid, who, old_ranks.get(sid), new_ranks.get(sid), old_status, new_status,
            _score(before, by) if before and _valid(before) else None,
            _score(after, by) if after and _valid(after) else None,
        ))  # fmt: skip
    return RankChanges(phase, correction, by, tuple(found))


def _standing(sid: int, who: Address, score: Score | None,
              opened: PrivateScore | None) -> Standing:  # fmt: skip
    if score is None:
        return Standing(sid, who, None, None, None)
    return Standing(sid, who, score.status, score.public_score,
                    opened.score if opened else None)  # fmt: skip


def ledger_changes(ledger: Ledger, challenge: Challenge, phase: int) -> RankChanges:
    """The phase's rank changes between its previous and current correction (none before
    its first correction)."""
    rules = challenge.phases[phase]
    current = rules.correction
    old: list[Standing] = []
    new: list[Standing] = []
    for s in ledger.submissions_of(challenge.challenge_id, phase):
        if s.reveal is None:
            continue
        previous = [(sc, op) for sc, op in s.earlier if sc.correction == current - 1]
        if previous:
            old.append(_standing(s.submission_id, s.submitter, *previous[-1]))
        new.append(_standing(s.submission_id, s.submitter, s.score, s.private))
    if current == 0:
        return RankChanges(phase, 0, "public", ())
    return changes(phase, current, old, new, rules.higher_is_better)
