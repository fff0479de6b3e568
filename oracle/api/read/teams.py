"""A challenge's teams as the index saw them (TeamProposed, TeamFormed, TeamMerged)."""

import json
import sqlite3

from oracle.api.models import BoardTeam, Team, TeamMember, Teams
from oracle.api.read.common import challenge_exists


def teams_of(db: sqlite3.Connection, challenge_id: int) -> Teams:
    challenge_exists(db, challenge_id)
    found = []
    for team_id, proposer, members, shares, block, combined, merged_into in db.execute(
        "SELECT t.team_id, t.proposer, t.members, t.shares_ppm, t.block, f.combined_submissions, "
        "m.into_team_id FROM teams t LEFT JOIN team_formations f USING (team_id) "
        "LEFT JOIN team_merges m USING (team_id) "
        "WHERE t.challenge_id = ? ORDER BY t.team_id", (challenge_id,)
    ):  # fmt: skip
        addresses = json.loads(members)
        marks = ",".join("?" * len(addresses))
        work = [r[0] for r in db.execute(
            f"SELECT submission_id FROM submissions WHERE challenge_id = ? AND submitter IN "
            f"({marks}) ORDER BY submission_id", (challenge_id, *addresses))]  # fmt: skip
        found.append(Team(
            team_id=team_id, challenge_id=challenge_id, proposer=proposer,
            members=[TeamMember(address=a, share_ppm=s)
                     for a, s in zip(addresses, json.loads(shares), strict=True)],
            formed=combined is not None, combined_submissions=combined, merged_into=merged_into,
            submission_ids=work, block=block,
        ))  # fmt: skip
    return Teams(challenge_id=challenge_id, teams=found)


def board_teams(db: sqlite3.Connection, challenge_id: int, phase: int) -> dict[str, BoardTeam]:
    """The teams that show once on a phase's boards, by member (lower case): those formed
    by the block the phase's holdout was first revealed in, or every formed one while it
    is hidden (the rule of oracle/ledger/teams.py)."""
    (cut,) = db.execute(
        "SELECT min(b) FROM (SELECT block AS b FROM holdouts WHERE challenge_id = ? AND "
        "phase = ? UNION ALL SELECT revealed_block FROM superseded_holdouts "
        "WHERE challenge_id = ? AND phase = ?)", (challenge_id, phase, challenge_id, phase),
    ).fetchone()  # fmt: skip
    found: dict[str, BoardTeam] = {}
    for team_id, members in db.execute(
        "SELECT t.team_id, t.members FROM teams t JOIN team_formations f USING (team_id) "
        "WHERE t.challenge_id = ? AND (? IS NULL OR f.block <= ?) ORDER BY t.team_id",
        (challenge_id, cut, cut),
    ):
        team = BoardTeam(team_id=team_id, members=json.loads(members))
        found |= {m.lower(): team for m in team.members}
    return found
