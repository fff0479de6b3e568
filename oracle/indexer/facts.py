"""One row per platform event: `apply_events` writes each decoded event into its fact table.

Rows are written in chain order inside the caller's transaction. The leaderboards and
improvements that an event moves are updated right after its row (boards.py), and the
profiles the events change are marked pending (profile_answers.py). Events the index has
no table for (token transfers, bond bookkeeping) are skipped.
"""

import json
import sqlite3
from collections.abc import Callable, Iterable
from typing import Any

from oracle.chain.events import ChainEvent
from oracle.indexer import boards, corrections, profile_answers
from oracle.indexer.encoding import hex32, rank_key

Handler = Callable[[sqlite3.Connection, ChainEvent], None]


def apply_events(db: sqlite3.Connection, events: Iterable[ChainEvent]) -> int:
    """Writes every event the index knows, and marks the profiles they change pending;
    returns how many it wrote."""
    applied = []
    for event in events:
        handler = HANDLERS.get(event.name)
        if handler is not None:
            handler(db, event)
            applied.append(event)
    profile_answers.mark_touched(db, applied)
    return len(applied)


def _place(e: ChainEvent) -> tuple[int, int]:
    return e.block_number, e.log_index


def _insert(db: sqlite3.Connection, table: str, values: tuple[Any, ...]) -> None:
    marks = ",".join("?" * len(values))
    db.execute(f"INSERT INTO {table} VALUES ({marks})", values)


def _challenge_created(db: sqlite3.Connection, e: ChainEvent) -> None:
    c: Any = e["config"]
    _insert(db, "challenges", (
        int(e["challengeId"]), e["owner"], c["token"], int(c["disputeWindow"]),
        str(c["disputeBond"]), c["arbiter"], int(c["dailyCap"]), str(c["commitBond"]),
        int(c["parentChallenge"]), str(e["specCid"]), *_place(e), hex32(e.tx_hash),
        int(c["noticePeriod"]), int(c["scoringDeadline"]), int(c["maxOutageExtension"]),
    ))  # fmt: skip


def _phase_added(db: sqlite3.Connection, e: ChainEvent) -> None:
    c: Any = e["config"]
    _insert(db, "phases", (
        int(e["challengeId"]), int(e["phase"]), str(c["specCid"]),
        int(bool(c["higherIsBetter"])), str(c["baseline"]), str(c["target"]), str(c["eta"]),
        int(c["commitStart"]),
        int(c["commitEnd"]), int(c["revealEnd"]), hex32(c["holdoutCommitment"]),
        str(c["bounty"]), str(e["topUp"]), *_place(e),
    ))  # fmt: skip


def _holdout_revealed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "holdouts", (
        int(e["challengeId"]), int(e["phase"]), str(e["labelsCid"]),
        hex32(e["labelsDigest"]), hex32(e["splitSalt"]), *_place(e), e["revealer"],
    ))  # fmt: skip


def _oracles_rotated(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "oracle_sets", (
        int(e["challengeId"]), int(e["configVersion"]), json.dumps(list(e["oracles"])),
        int(e["quorum"]), hex32(e["configDigest"]), *_place(e), e["arbiter"],
        int(e["activeFrom"]),
    ))  # fmt: skip


def _phase_extended(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "phase_extensions", (
        int(e["challengeId"]), int(e["phase"]), int(e["waitingSubmissionId"]),
        int(e["revealedAt"]), int(e["outage"]), int(e["extension"]), int(e["commitEnd"]),
        int(e["revealEnd"]), *_place(e),
    ))  # fmt: skip


def _quota_released(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "quota_releases", (
        int(e["submissionId"]), int(e["challengeId"]), e["submitter"], int(e["committedAt"]),
        int(bool(e["slotFreed"])), *_place(e),
    ))  # fmt: skip


def _team_proposed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "teams", (
        int(e["teamId"]), int(e["challengeId"]), e["proposer"], json.dumps(list(e["members"])),
        json.dumps([int(s) for s in e["sharesPpm"]]), *_place(e),
    ))  # fmt: skip


def _team_formed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "team_formations", (
        int(e["teamId"]), int(e["challengeId"]), int(e["combinedSubmissions"]), *_place(e),
    ))  # fmt: skip


def _team_merged(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "team_merges", (int(e["teamId"]), int(e["intoTeamId"]), *_place(e)))


def _bounty_escrowed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "escrows", (int(e["challengeId"]), e["from"], str(e["amount"]), *_place(e)))


def _committed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "submissions", (
        int(e["submissionId"]), int(e["challengeId"]), int(e["phase"]), e["submitter"],
        hex32(e["commitment"]), str(e["bond"]), *_place(e), hex32(e.tx_hash),
    ))  # fmt: skip
    boards.record_commit(db, int(e["challengeId"]), e["submitter"], e.block_number)


def _revealed(db: sqlite3.Connection, e: ChainEvent) -> None:
    child = int(e["submissionId"])
    _insert(db, "reveals", (child, str(e["artifactCid"]), *_place(e), hex32(e.tx_hash)))
    db.executemany(
        "INSERT INTO fork_edges VALUES (?, ?, ?, ?, ?)",
        [
            (child, int(parent), int(weight), position, e.block_number)
            for position, (parent, weight) in enumerate(
                zip(e["parents"], e["weightsPpm"], strict=True)
            )
        ],
    )


def _reviewed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "reviews", (
        int(e["submissionId"]), e["reviewer"], int(e["challengeId"]), int(e["verdict"]),
        str(e["reviewCid"]), *_place(e),
    ))  # fmt: skip


def _bond_forfeited(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "forfeited_bonds", (int(e["submissionId"]), e["to"], str(e["amount"]), *_place(e)))


def _scores_posted(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "score_batches", (
        int(e["challengeId"]), int(e["seq"]), int(e["phase"]), hex32(e["itemsHash"]),
        int(e["itemCount"]), e["relayer"], *_place(e), hex32(e.tx_hash),
    ))  # fmt: skip


def _score_recorded(db: sqlite3.Connection, e: ChainEvent) -> None:
    submission_id, challenge_id = int(e["submissionId"]), int(e["challengeId"])
    # The ScoreBoard takes a batch only under the phase's current correction.
    correction = corrections.current(db, challenge_id, _phase_of(db, submission_id))
    _insert(db, "scores", (
        submission_id, challenge_id, int(e["seq"]), int(e["status"]),
        str(e["publicScore"]), hex32(e["privateCommitment"]), hex32(e["reportDigest"]),
        *_place(e), hex32(e.tx_hash), correction,
    ))  # fmt: skip
    boards.record_public_score(db, submission_id)


def _higher_is_better(db: sqlite3.Connection, challenge_id: int, phase: int) -> bool:
    """The direction of a phase (each phase has its own)."""
    row = db.execute(
        "SELECT higher_is_better FROM phases WHERE challenge_id = ? AND phase = ?",
        (challenge_id, phase),
    ).fetchone()
    return bool(row[0]) if row else True


def _phase_of(db: sqlite3.Connection, submission_id: int) -> int:
    row = db.execute(
        "SELECT phase FROM submissions WHERE submission_id = ?", (submission_id,)
    ).fetchone()
    return int(row[0]) if row else 0


def _best_released(db: sqlite3.Connection, e: ChainEvent) -> None:
    """The contract's Ladder of a phase, kept as a fact; the boards and their improvements
    follow the same Ladder (boards.record_public_score)."""
    challenge_id, score = int(e["challengeId"]), int(e["score"])
    phase = _phase_of(db, int(e["submissionId"]))
    _insert(db, "releases", (
        challenge_id, phase, e["participant"], int(e["submissionId"]), str(score),
        rank_key(score, _higher_is_better(db, challenge_id, phase)), *_place(e),
    ))  # fmt: skip


def _private_revealed(db: sqlite3.Connection, e: ChainEvent) -> None:
    challenge_id, score = int(e["challengeId"]), int(e["privateScore"])
    phase = _phase_of(db, int(e["submissionId"]))
    key = rank_key(score, _higher_is_better(db, challenge_id, phase))
    if corrections.opens_superseded(db, e, key):
        return  # a batch under an earlier correction, opened after the correction
    _insert(db, "private_scores", (
        int(e["submissionId"]), challenge_id, str(score), key, hex32(e["salt"]), *_place(e),
    ))  # fmt: skip
    boards.record_private_score(db, int(e["submissionId"]), score, key, e.block_number)


def _correction_published(db: sqlite3.Connection, e: ChainEvent) -> None:
    challenge_id, phase = int(e["challengeId"]), int(e["phase"])
    _insert(db, "corrections", (
        challenge_id, phase, int(e["correction"]), str(e["scorerCid"]),
        hex32(e["holdoutCommitment"]), str(e["reasonCid"]), *_place(e), hex32(e.tx_hash),
    ))  # fmt: skip
    relabelled = any(bytes(e["holdoutCommitment"]))
    corrections.set_aside(db, challenge_id, phase, e.block_number, relabelled)
    boards.recompute(db)


def _rewards_posted(db: sqlite3.Connection, e: ChainEvent) -> None:
    challenge_id, seq = int(e["challengeId"]), int(e["seq"])
    _insert(db, "reward_roots", (
        challenge_id, seq, int(e["phase"]), hex32(e["merkleRoot"]), str(e["total"]),
        str(e["reportCid"]), int(e["claimableAt"]), *_place(e), hex32(e.tx_hash),
    ))  # fmt: skip
    _insert(db, "reward_reports", (
        challenge_id, seq, "pending", "not fetched yet", 0, None, e.block_number,
    ))  # fmt: skip


def _rewards_disputed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "disputes", (
        int(e["challengeId"]), int(e["phase"]), e["disputer"], str(e["bond"]),
        str(e["reasonCid"]), *_place(e),
    ))  # fmt: skip


def _dispute_resolved(db: sqlite3.Connection, e: ChainEvent) -> None:
    outcome = "upheld" if e["upheld"] else "rejected"
    _insert(db, "resolutions", (
        int(e["challengeId"]), int(e["phase"]), outcome, e["arbiter"], *_place(e),
        int(e["claimableAt"]),
    ))  # fmt: skip


def _dispute_lapsed(db: sqlite3.Connection, e: ChainEvent) -> None:
    """The arbiter did not decide in time: the root stands, the disputer gets the bond back."""
    _insert(db, "resolutions", (
        int(e["challengeId"]), int(e["phase"]), "lapsed", e["disputer"], *_place(e),
        int(e["claimableAt"]),
    ))  # fmt: skip


def _claimed(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "claims", (
        int(e["challengeId"]), int(e["phase"]), e["account"], str(e["amount"]), *_place(e),
        hex32(e.tx_hash),
    ))  # fmt: skip


def _refunded(db: sqlite3.Connection, e: ChainEvent) -> None:
    _insert(db, "refunds", (int(e["challengeId"]), e["owner"], str(e["amount"]), *_place(e)))


HANDLERS: dict[str, Handler] = {
    "ChallengeCreated": _challenge_created,
    "PhaseAdded": _phase_added,
    "CorrectionPublished": _correction_published,
    "HoldoutRevealed": _holdout_revealed,
    "OraclesRotated": _oracles_rotated,
    "PhaseExtended": _phase_extended,
    "QuotaReleased": _quota_released,
    "TeamProposed": _team_proposed,
    "TeamFormed": _team_formed,
    "TeamMerged": _team_merged,
    "BountyEscrowed": _bounty_escrowed,
    "Committed": _committed,
    "Revealed": _revealed,
    "Reviewed": _reviewed,
    "BondForfeited": _bond_forfeited,
    "ScoresPosted": _scores_posted,
    "ScoreRecorded": _score_recorded,
    "BestReleased": _best_released,
    "PrivateScoreRevealed": _private_revealed,
    "RewardsPosted": _rewards_posted,
    "RewardsDisputed": _rewards_disputed,
    "DisputeResolved": _dispute_resolved,
    "DisputeLapsed": _dispute_lapsed,
    "Claimed": _claimed,
    "RemainderRefunded": _refunded,
}
