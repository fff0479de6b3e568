"""The scoring queue everyone can see: each revealed, unscored submission's place and a wait.

The oracles take revealed submissions oldest reveal first (reveal block, then submission
id), across every challenge they judge, so that is the queue's order. The estimate comes
from the recent past only: over the last RECENT scored submissions, the time from the
earliest of their reveals to the latest of their scores, divided by how many they are, is
the time one submission takes (batching, code runs and idle oracles all included). A
submission at position p then waits about p times that, less what it has waited already
(never below zero). Fewer than two scored submissions give no estimate.
"""

from collections.abc import Sequence
from dataclasses import dataclass

RECENT = 20


@dataclass(frozen=True)
class Pending:
    submission_id: int
    challenge_id: int
    phase: int
    reveal_block: int
    revealed_at: int  # unix time of the reveal's block


@dataclass(frozen=True)
class ScoredTimes:
    revealed_at: int
    scored_at: int  # unix time of the ScoreRecorded block


@dataclass(frozen=True)
class QueuePlace:
    submission_id: int
    challenge_id: int
    phase: int
    position: int  # 1: the next one the oracles take
    waited_seconds: int
    estimate_seconds: int | None  # None: too little history to say


@dataclass(frozen=True)
class ScoringQueue:
    places: tuple[QueuePlace, ...]
    seconds_per_submission: float | None
    based_on: int  # how many recent scores the estimate uses

    def place_of(self, submission_id: int) -> QueuePlace | None:
        return next((p for p in self.places if p.submission_id == submission_id), None)


def seconds_per_submission(recent: Sequence[ScoredTimes]) -> float | None:
    """The recent time one submission takes to be scored, or None with fewer than 2."""
    window = sorted(recent, key=lambda s: s.scored_at)[-RECENT:]
    if len(window) < 2:
        return None
    span = max(s.scored_at for s in window) - min(s.revealed_at for s in window)
    return max(span, 0) / len(window)


def scoring_queue(pending: Sequence[Pending], recent: Sequence[ScoredTimes],
                  now: int) -> ScoringQueue:  # fmt: skip
    """Every pending submission with its place and estimate at unix time `now`."""
    each = seconds_per_submission(recent)
    ordered = sorted(pending, key=lambda p: (p.reveal_block, p.submission_id))
    places = []
    for position, p in enumerate(ordered, 1):
        waited = max(0, now - p.revealed_at)
        estimate = None if each is None else max(0, round(position * each) - waited)
        places.append(QueuePlace(p.submission_id, p.challenge_id, p.phase, position, waited,
                                 estimate))  # fmt: skip
    return ScoringQueue(tuple(places), each, min(len(recent), RECENT))
