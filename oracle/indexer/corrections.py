"""Corrections in the index: a phase's scores set aside when its scorer or labels are corrected.

`scores` and `private_scores` hold each submission's score under its phase's current
correction. A CorrectionPublished moves the phase's rows (and, when the labels were
corrected, its holdout reveal) into `superseded_scores` / `superseded_holdouts`, stamped
with the correction's block; the rescored batches then write fresh rows. A rewind past a
correction's block moves the rows back before anything of the later blocks is deleted
(`restore`), so a reorg loses nothing.
"""

import sqlite3

from oracle.chain.events import ChainEvent
from oracle.indexer.encoding import hex32
from oracle.scoring.commitment import private_commitment
from oracle.types import Wad

_SCORE_COLUMNS = (
    "submission_id, challenge_id, seq, status, public_score, private_commitment, "
    "report_digest, block, log_index, tx_hash, correction"
)


def current(db: sqlite3.Connection, challenge_id: int, phase: int) -> int:
    """The correction a phase's scores are posted under now (0: none published)."""
    (count,) = db.execute(
        "SELECT count(*) FROM corrections WHERE challenge_id = ? AND phase = ?",
        (challenge_id, phase),
    ).fetchone()
    return int(count)


def set_aside(
    db: sqlite3.Connection, challenge_id: int, phase: int, block: int, relabelled: bool
) -> None:
    """Moves the phase's scores, their openings and (if `relabelled`) its holdout reveal out
    of the current tables, as of the correction at `block`."""
    db.execute(
        "INSERT INTO superseded_scores SELECT sc.submission_id, sc.challenge_id, s.phase, "
        "sc.correction, sc.seq, sc.status, sc.public_score, sc.private_commitment, "
        "sc.report_digest, sc.block, sc.log_index, sc.tx_hash, p.score, p.rank_key, p.salt, "
        "p.block, p.log_index, ? FROM scores sc JOIN submissions s USING (submission_id) "
        "LEFT JOIN private_scores p USING (submission_id) "
        "WHERE s.challenge_id = ? AND s.phase = ?",
        (block, challenge_id, phase),
    )
    of_phase = (
        "submission_id IN (SELECT submission_id FROM submissions "
        "WHERE challenge_id = ? AND phase = ?)"
    )
    db.execute(f"DELETE FROM private_scores WHERE {of_phase}", (challenge_id, phase))
    db.execute(f"DELETE FROM scores WHERE {of_phase}", (challenge_id, phase))
    if relabelled:
        db.execute(
            "INSERT INTO superseded_holdouts SELECT challenge_id, phase, labels_cid, "
            "labels_digest, split_salt, block, log_index, revealer, ? FROM holdouts "
            "WHERE challenge_id = ? AND phase = ?",
            (block, challenge_id, phase),
        )
        db.execute(
            "DELETE FROM holdouts WHERE challenge_id = ? AND phase = ?", (challenge_id, phase)
        )


def opens_superseded(db: sqlite3.Connection, e: ChainEvent, rank_key: str) -> bool:
    """Records a PrivateScoreRevealed that opens a set-aside score (its batch was opened
    after the correction); False when it opens the current score."""
    submission_id, score = int(e["submissionId"]), int(e["privateScore"])
    commitment = hex32(private_commitment(submission_id, Wad(score), bytes(e["salt"])))
    return bool(
        db.execute(
            "UPDATE superseded_scores SET private_score = ?, private_rank_key = ?, salt = ?, "
            "opened_block = ?, opened_log_index = ? WHERE submission_id = ? "
            "AND private_commitment = ? AND private_score IS NULL",
            (
                str(score),
                rank_key,
                hex32(e["salt"]),
                e.block_number,
                e.log_index,
                submission_id,
                commitment,
            ),
        ).rowcount  # fmt: skip
    )


def restore(db: sqlite3.Connection, to_block: int) -> None:
    """Moves back what corrections after `to_block` set aside (before the rewind deletes
    the rows of those blocks: a row scored after `to_block` goes with them)."""
    for table in ("scores", "private_scores", "holdouts"):
        db.execute(f"DELETE FROM {table} WHERE block > ?", (to_block,))
    db.execute(
        f"INSERT INTO scores ({_SCORE_COLUMNS}) SELECT submission_id, challenge_id, seq, status, "
        "public_score, private_commitment, report_digest, scored_block, scored_log_index, "
        "tx_hash, correction FROM superseded_scores WHERE block > ? AND scored_block <= ?",
        (to_block, to_block),
    )
    db.execute(
        "INSERT INTO private_scores SELECT submission_id, challenge_id, private_score, "
        "private_rank_key, salt, opened_block, opened_log_index FROM superseded_scores "
        "WHERE block > ? AND opened_block <= ?",
        (to_block, to_block),
    )
    db.execute(
        "INSERT INTO holdouts SELECT challenge_id, phase, labels_cid, labels_digest, "
        "split_salt, revealed_block, revealed_log_index, revealer FROM superseded_holdouts "
        "WHERE block > ? AND revealed_block <= ?",
        (to_block, to_block),
    )
