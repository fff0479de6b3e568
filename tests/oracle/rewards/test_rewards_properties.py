"""Properties of reward rule v1 on random phases: money is conserved, never negative, order-free."""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oracle.errors import RewardsExceedEscrow
from oracle.rewards import (
    Direction,
    ParentRef,
    Review,
    RewardInputs,
    SubmissionRecord,
    build_tree,
    compute_rewards,
    verify,
)
from oracle.types import BPS, PPM, WAD, Address, ChallengeId, PhaseIndex, SubmissionId, Wad

ADDRESSES = [Address("0x" + f"{n:040x}") for n in (1, 2, 3, 0xABC, 0xFFFF)]
OUTSIDER = Address("0x" + "9" * 40)

addresses = st.sampled_from(ADDRESSES)


@st.composite
def weights(draw: st.DrawFn, count: int) -> tuple[int, ...]:
    cuts = sorted(draw(st.lists(st.integers(0, PPM), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, PPM]
    return tuple(high - low for low, high in itertools.pairwise(bounds))


@st.composite
def reward_inputs(draw: st.DrawFn) -> RewardInputs:
    direction = draw(st.sampled_from(Direction))
    baseline = draw(st.integers(-5 * WAD, 5 * WAD))
    gap = draw(st.integers(1, 2 * WAD))
    target = baseline + gap if direction is Direction.HIGHER else baseline - gap
    eta = draw(st.integers(0, gap // 2))
    scores = st.integers(min(baseline, target) - gap, max(baseline, target) + gap)
    count = draw(st.integers(0, 9))
    ids = sorted(draw(st.lists(st.integers(1, 999), min_size=count, max_size=count, unique=True)))
    records: list[SubmissionRecord] = []
    block = draw(st.integers(0, 100))
    for sid in ids:
        block += draw(st.integers(0, 2))
        valid = draw(st.booleans())
        score = draw(scores) if valid else draw(st.none() | scores)
        parents = (
            [
                ParentRef(earlier.submission_id, earlier.submitter, earlier.private_score)
                for earlier in draw(st.lists(st.sampled_from(records), max_size=3, unique_by=id))
            ]
            if records
            else []
        )
        if draw(st.booleans()):
            outside = draw(st.none() | scores)
            outside_score = None if outside is None else Wad(outside)
            parents.append(ParentRef(SubmissionId(5_000 + sid), OUTSIDER, outside_score))
        records.append(
            SubmissionRecord(
                submission_id=SubmissionId(sid),
                submitter=draw(addresses),
                challenge_id=ChallengeId(3),
                commit_block=block,
                valid=valid,
                private_score=None if score is None else Wad(score),
                parents=tuple(parents),
                weights_ppm=draw(weights(len(parents))) if parents else (),
            )
        )
    reviewed = st.sampled_from([*ids, 4_242])
    reviews = draw(
        st.lists(
            st.builds(Review, addresses, reviewed, st.integers(0, 120), st.integers(0, 3)),
            max_size=12,
        )
    )
    improvement_bps = draw(st.integers(0, BPS))
    prize_bps = draw(st.integers(0, BPS - improvement_bps))
    ranks = draw(st.lists(st.integers(0, 4_000), max_size=4).filter(lambda r: sum(r) <= BPS))
    bounty = draw(st.integers(0, 10**24))
    return RewardInputs(
        challenge_id=ChallengeId(3),
        phase=PhaseIndex(draw(st.integers(0, 3))),
        bounty=bounty,
        improvement_bps=improvement_bps,
        prize_bps=prize_bps,
        review_bps=BPS - improvement_bps - prize_bps,
        prize_ranks_bps=tuple(ranks),
        review_cap_per_reviewer=draw(st.integers(1, 3)),
        fork_share_bps=draw(st.integers(0, BPS)),
        direction=direction,
        baseline=Wad(baseline),
        target=Wad(target),
        eta=Wad(eta),
        escrow_left=bounty,
        submissions=tuple(records),
        reviews=tuple(reviews),
    )


@settings(max_examples=200, deadline=None)
@given(reward_inputs())
def test_everything_paid_is_accounted_for_and_within_the_bounty(inputs: RewardInputs) -> None:
    report = compute_rewards(inputs)
    paid, pools = report.paid, report.pools
    assert pools.improvement + pools.prize + pools.review == inputs.bounty
    assert paid.improvement <= pools.improvement
    assert paid.prize <= pools.prize
    assert paid.review <= pools.review
    assert report.total == paid.improvement + paid.prize + paid.review
    assert report.total == sum(leaf.amount for leaf in report.leaves)
    assert report.total == sum(account.total for account in report.accounts)
    assert report.total + report.unassigned == inputs.bounty
    assert report.total <= inputs.escrow_left
    outside = sum(p.amount for s in report.submissions for p in s.passes if not p.in_phase)
    finals = sum(s.final for s in report.submissions)
    assert finals + outside + sum(r.award for r in report.reviews) == report.total


@settings(max_examples=200, deadline=None)
@given(reward_inputs())
def test_fork_edges_conserve_and_nobody_is_negative(inputs: RewardInputs) -> None:
    report = compute_rewards(inputs)
    aimed_at: defaultdict[int, int] = defaultdict(int)
    for award in report.submissions:
        received = award.improvement_award + award.prize_award + award.received_from_children
        assert award.passed_to_parents == sum(p.amount for p in award.passes)
        assert award.final == received - award.passed_to_parents
        assert award.passed_to_parents <= received * 9_000 // BPS
        if award.passes:
            assert 1_000 <= award.rho_bps <= 9_000
        if not award.valid:
            assert award.improvement_award == award.prize_award == 0
        for parent_pass in award.passes:
            if parent_pass.in_phase:
                aimed_at[parent_pass.parent_id] += parent_pass.amount
        for amount in (award.improvement_award, award.prize_award, award.final, award.rho_bps):
            assert amount >= 0
    for award in report.submissions:
        assert award.received_from_children == aimed_at[award.submission_id]
    assert all(leaf.amount > 0 for leaf in report.leaves)
    assert all(review.award >= 0 for review in report.reviews)


@settings(max_examples=150, deadline=None)
@given(reward_inputs(), st.data())
def test_the_order_of_arrival_changes_nothing(inputs: RewardInputs, data: st.DataObject) -> None:
    shuffled = replace(
        inputs,
        submissions=tuple(data.draw(st.permutations(inputs.submissions))),
        reviews=tuple(data.draw(st.permutations(inputs.reviews))),
    )
    assert compute_rewards(shuffled).to_json() == compute_rewards(inputs).to_json()


@settings(max_examples=60, deadline=None)
@given(reward_inputs())
def test_leaves_prove_on_their_root_and_escrow_bounds_the_total(inputs: RewardInputs) -> None:
    report = compute_rewards(inputs)
    if not report.leaves:
        return
    tree = build_tree(report.leaves)
    for leaf in report.leaves:
        assert verify(tree.root, leaf, tree.proof(leaf.account))
    assert compute_rewards(replace(inputs, escrow_left=report.total)).total == report.total
    with pytest.raises(RewardsExceedEscrow):
        compute_rewards(replace(inputs, escrow_left=report.total - 1))
