"""docs/rewards.md, "Teams": the worked example with Alice and Bob as one team (70% / 30%),
number for number: the team ranks once for prizes, a review between team-mates counts for
nothing, and the team's pool is split into the members' leaves by their shares."""

from dataclasses import replace

from oracle.rewards import compute_rewards
from oracle.rewards.model import TeamShares
from oracle.rewards.report import ReviewStatus, TeamPart, TeamPayout
from oracle.rewards.teams import with_teams
from tests.oracle.rewards.test_rewards_worked_example import ALICE, BOB, CAROL, DAVE, EXAMPLE

TEAM = TeamShares(7, (ALICE, BOB), (700_000, 300_000))
WITH_TEAM = replace(EXAMPLE, teams=(TEAM,))


def test_the_team_ranks_once_and_its_members_do_not_review_each_other() -> None:
    report = compute_rewards(WITH_TEAM)
    ranks = {a.submission_id: (a.prize_rank, a.prize_award) for a in report.submissions}
    assert ranks[5] == (1, 12_001)  # Bob's #5, the team's best
    assert ranks[3] == (2, 9_000)  # Carol moves up from nothing to lose
    assert ranks[1] == (None, 0)  # Alice's #1 is the team's too: no second rank
    statuses = [(r.reviewer, r.submission_id, r.status, r.award) for r in report.reviews]
    assert statuses == [
        (DAVE, 3, ReviewStatus.COUNTED, 10_001),
        (ALICE, 5, ReviewStatus.OWN_SUBMISSION, 0),  # Bob's #5 is her team's
        (BOB, 4, ReviewStatus.INVALID_SUBMISSION, 0),
    ]
    assert (report.total, report.unassigned) == (91_008, 9_002)
    assert {a.account: a.total for a in report.accounts} == {
        ALICE: 19_801, BOB: 42_004, CAROL: 19_202, DAVE: 10_001,
    }  # fmt: skip


def test_the_team_pool_is_split_by_the_shares_and_the_report_shows_it() -> None:
    report = with_teams(compute_rewards(WITH_TEAM), WITH_TEAM.teams)
    assert report.teams == (
        TeamPayout(7, 61_805, (TeamPart(ALICE, 700_000, 19_801, 43_264),
                               TeamPart(BOB, 300_000, 42_004, 18_541))),
    )  # fmt: skip
    assert {leaf.account: leaf.amount for leaf in report.leaves} == {
        ALICE: 43_264, BOB: 18_541, CAROL: 19_202, DAVE: 10_001,
    }  # fmt: skip
    assert sum(leaf.amount for leaf in report.leaves) == report.total == 91_008
    shown = report.to_dict()["teams"][0]
    assert shown["pool"] == "61805" and shown["members"][0]["paid"] == "43264"


def test_a_report_without_teams_keeps_its_bytes() -> None:
    plain = compute_rewards(EXAMPLE)
    assert with_teams(plain, ()) == plain and "teams" not in plain.to_dict()
