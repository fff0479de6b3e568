"""How `coop leaderboard --changes` shows a corrected phase's rank changes (text and JSON)."""

from oracle.ledger.boards import score_text
from oracle.ledger.rank_changes import RankChange, RankChanges
from oracle.status import Status


def _status(code: int | None) -> str:
    return "unscored" if code is None else Status(code).name


def _rank(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def _score(wad: int | None) -> str:
    return "-" if wad is None else score_text(wad)


def changes_text(challenge_id: int, found: RankChanges) -> str:
    title = f"Rank changes, challenge {challenge_id} phase {found.phase}"
    if found.correction == 0:
        return f"{title}\nNo correction of this phase: its scores stand as first posted."
    lines = [f"{title}: correction {found.correction} against {found.correction - 1}, "
             f"ranked by {found.by} score"]  # fmt: skip
    if not found.changes:
        return "\n".join([*lines, "No submission changed rank or status."])
    lines.append(f"{'submission':>10}  {'participant':42}  {'rank':>9}  status / score")
    lines += [_line(c) for c in found.changes]
    return "\n".join(lines)


def _line(c: RankChange) -> str:
    ranks = f"{_rank(c.old_rank)} -> {_rank(c.new_rank)}"
    status = (f"{_status(c.old_status)} -> {_status(c.new_status)}"
              if c.old_status != c.new_status else _status(c.new_status))  # fmt: skip
    return (f"{c.submission_id:>10}  {c.participant:42}  {ranks:>9}  {status}, "
            f"{_score(c.old_score)} -> {_score(c.new_score)}")  # fmt: skip


def changes_json(found: RankChanges) -> dict[str, object]:
    return {
        "phase": found.phase, "correction": found.correction, "ranked_by": found.by,
        "changes": [
            {"submission_id": c.submission_id, "participant": c.participant,
             "old_rank": c.old_rank, "new_rank": c.new_rank,
             "old_status": _status(c.old_status), "new_status": _status(c.new_status),
             "old_score_wad": None if c.old_score is None else str(c.old_score),
             "new_score_wad": None if c.new_score is None else str(c.new_score)}
            for c in found.changes
        ],
    }  # fmt: skip
