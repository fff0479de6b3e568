"""Rank intervals and tie groups of a phase's private board, from public data only.

Once a phase's private scores are opened and its holdout revealed, anyone can fetch the
spec, the labels and every board entry's artifact (verified against their CIDs), bootstrap
the private rows with the salt's seed (oracle/scoring/bootstrap.py) and get the same
intervals. Tie groups (docs/rewards.md, "Ties"): walking the board from the top, the first
entry not yet in a group heads a new group, and the entries right below it join that group
while their interval overlaps the head's; the first that does not heads the next group.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from eth_utils.crypto import keccak

from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import BoardEntry, private_board, private_opened
from oracle.ledger.model import Challenge, Ledger
from oracle.scoring.bootstrap import Interval, NoIntervals, private_intervals
from oracle.scoring.labels import load_holdout
from oracle.scoring.predictions import read_predictions
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec
from oracle.types import SubmissionId


@dataclass(frozen=True)
class TiedEntry:
    """A private board entry with its 95% interval and its tie group (1 = tied with the leader)."""

    entry: BoardEntry
    interval: Interval
    tie_group: int


def tie_groups(intervals: Sequence[Interval]) -> list[int]:
    """The tie group (from 1) of each interval, given in board order (best first)."""
    groups: list[int] = []
    head: Interval | None = None
    for interval in intervals:
        if head is None or not interval.overlaps(head):
            head = interval
            groups.append(len(set(groups)) + 1)
        else:
            groups.append(groups[-1])
    return groups


def phase_spec(store: ContentStore, challenge: Challenge, phase: int) -> ChallengeSpec:
    return load_spec(store.cat(challenge.phases[phase].spec_cid, max_bytes=SPEC_MAX_BYTES))


def private_ties(
    ledger: Ledger, challenge: Challenge, phase: int, store: ContentStore
) -> list[TiedEntry]:
    """The phase's private board with intervals and tie groups.

    Raises NoIntervals (with the reason) before the private scores are opened and the
    holdout revealed, or when the spec's scorer cannot be bootstrapped; IpfsError when
    content cannot be fetched."""
    revealed = challenge.phases[phase].holdout
    if not private_opened(ledger, challenge, phase) or revealed is None:
        raise NoIntervals(
            f"phase {phase}: intervals need the opened private scores and the revealed holdout"
        )
    spec = phase_spec(store, challenge, phase)
    if spec.submission.takes_code:
        raise NoIntervals(
            f"phase {phase} takes code submissions: their predictions come from the oracles' "
            "runs, which the bootstrap does not read yet"
        )
    labels = store.cat(revealed.labels_cid, max_bytes=spec.max_uncompressed_bytes)
    if keccak(labels) != revealed.labels_digest:
        raise NoIntervals(f"phase {phase}: the labels do not hash to the revealed digest")
    holdout = load_holdout(
        spec, labels, revealed.split_salt, challenge.phases[phase].holdout_commitment
    )
    board = private_board(ledger, challenge, phase)
    predictions = {}
    for entry in board:
        reveal = ledger.submissions[entry.submission_id].reveal
        assert reveal is not None  # a private score needs a revealed submission
        artifact = store.cat(reveal.artifact_cid, max_bytes=spec.max_artifact_bytes)
        try:
            predictions[entry.submission_id] = read_predictions(spec, artifact, holdout.labels)
        except ArtifactRejected as exc:
            raise NoIntervals(f"submission #{entry.submission_id}: {exc.reason}") from exc
    intervals = private_intervals(spec, holdout, predictions)
    ordered = [intervals[entry.submission_id] for entry in board]
    return [
        TiedEntry(entry, interval, group)
        for entry, interval, group in zip(board, ordered, tie_groups(ordered), strict=True)
    ]


def prize_tie_groups(ties: Sequence[TiedEntry]) -> tuple[tuple[SubmissionId, ...], ...]:
    """The submission ids of each tie group of two or more entries, best group first."""
    grouped: dict[int, list[SubmissionId]] = {}
    for tied in ties:
        grouped.setdefault(tied.tie_group, []).append(SubmissionId(tied.entry.submission_id))
    return tuple(tuple(ids) for _, ids in sorted(grouped.items()) if len(ids) > 1)


def shared_prize_groups(
    ledger: Ledger, challenge_id: int, phase: int, spec: ChallengeSpec, store: ContentStore
) -> tuple[tuple[SubmissionId, ...], ...]:
    """The tie groups whose prizes are shared: none unless the spec says `share_prizes`."""
    if not spec.ties.share_prizes:
        return ()
    ties = private_ties(ledger, ledger.challenges[challenge_id], phase, store)
    return prize_tie_groups(ties)
