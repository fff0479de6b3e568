"""The worked example of docs/rewards.md, number for number."""

from oracle.rewards.model import Direction, ParentRef, Review, RewardInputs, SubmissionRecord
from oracle.rewards.rule_v1 import compute_rewards
from oracle.types import Address, ChallengeId, PhaseIndex, SubmissionId, Wad

ANA = Address("0x" + "a" * 40)
BEN = Address("0x" + "b" * 40)
CY = Address("0x" + "c" * 40)
E = 10**16  # 0.01 in WAD


def record(sid: int, who: Address, block: int, score: int, parents=(), weights=()):  # type: ignore[no-untyped-def]
    return SubmissionRecord(SubmissionId(sid), who, ChallengeId(1), block, True,
                            Wad(score * E), parents, weights)  # fmt: skip


def test_worked_example_matches_the_doc() -> None:
    inputs = RewardInputs(
        challenge_id=ChallengeId(1), phase=PhaseIndex(0), bounty=10_000,
        improvement_bps=6000, prize_bps=3000, review_bps=1000,
        prize_ranks_bps=(5000, 3000, 2000), review_cap_per_reviewer=5, fork_share_bps=3000,
        direction=Direction.HIGHER, baseline=Wad(50 * E), target=Wad(90 * E), eta=Wad(E),
        escrow_left=10_000,
        submissions=(
            record(1, ANA, 10, 60),
            record(2, BEN, 11, 58),
            record(3, CY, 12, 70, (ParentRef(SubmissionId(1), ANA),), (1_000_000,)),
            record(4, BEN, 13, 65),
        ),
        reviews=(Review(BEN, SubmissionId(1), 20), Review(ANA, SubmissionId(3), 21)),
    )  # fmt: skip
    report = compute_rewards(inputs)
    by_id = {s.submission_id: s for s in report.submissions}
    assert (report.pools.improvement, report.pools.prize, report.pools.review) == (6000, 3000, 1000)
    assert [by_id[i].improvement_award for i in (1, 2, 3, 4)] == [1500, 0, 1500, 0]
    assert [by_id[i].prize_award for i in (1, 2, 3, 4)] == [600, 0, 1500, 900]
    assert [r.award for r in report.reviews] == [500, 500]
    assert by_id[3].rho_bps == 3000 and by_id[3].passed_to_parents == 900
    assert by_id[3].final == 2100 and by_id[1].final == 3000
    totals = {a.account.lower(): a.total for a in report.accounts}
    assert totals == {ANA: 3500, BEN: 1400, CY: 2100}
    assert report.total == 7000 and sum(leaf.amount for leaf in report.leaves) == 7000
