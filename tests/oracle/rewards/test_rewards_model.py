"""Reward inputs refuse inconsistent data with a clear error and normalise what they keep."""

from __future__ import annotations

from typing import Any

import pytest

from oracle.errors import InvalidRewardInputs
from oracle.rewards import Direction, ParentRef, Review, RewardInputs, SubmissionRecord
from oracle.types import WAD, Address, ChallengeId, PhaseIndex, SubmissionId, Wad

ALICE = Address("0x" + "ab" * 20)
BOB = Address("0x" + "cd" * 20)


def record(sid: int, block: int, **overrides: Any) -> SubmissionRecord:
    fields: dict[str, Any] = {
        "submission_id": SubmissionId(sid),
        "submitter": ALICE,
        "challenge_id": ChallengeId(1),
        "commit_block": block,
        "valid": True,
        "private_score": Wad(WAD // 2),
    }
    fields.update(overrides)
    return SubmissionRecord(**fields)


def inputs(**overrides: Any) -> RewardInputs:
    fields: dict[str, Any] = {
        "challenge_id": ChallengeId(1),
        "phase": PhaseIndex(0),
        "bounty": 1_000,
        "improvement_bps": 5_000,
        "prize_bps": 4_000,
        "review_bps": 1_000,
        "prize_ranks_bps": (10_000,),
        "review_cap_per_reviewer": 3,
        "fork_share_bps": 2_000,
        "direction": Direction.HIGHER,
        "baseline": Wad(0),
        "target": Wad(WAD),
        "eta": Wad(WAD // 100),
        "escrow_left": 1_000,
    }
    fields.update(overrides)
    return RewardInputs(**fields)


@pytest.mark.parametrize(
    "overrides",
    [
        {"prize_bps": 4_001},
        {"prize_ranks_bps": (6_000, 4_001)},
        {"review_cap_per_reviewer": 0},
        {"fork_share_bps": 10_001},
        {"bounty": -1},
        {"target": Wad(0)},
        {"direction": Direction.LOWER},
        {"eta": Wad(-1)},
        {"submissions": (record(1, 5), record(1, 6))},
        {"submissions": (record(1, 5, challenge_id=ChallengeId(2)),)},
        {
            "submissions": (
                record(1, 9),
                record(2, 5, parents=(ParentRef(SubmissionId(1), ALICE),), weights_ppm=(10**6,)),
            )
        },
        {
            "submissions": (
                record(1, 5),
                record(2, 6, parents=(ParentRef(SubmissionId(1), BOB),), weights_ppm=(10**6,)),
            )
        },
    ],
    ids=[
        "pools-do-not-sum",
        "ranks-over-100pct",
        "zero-review-cap",
        "fork-share-over-100pct",
        "negative-bounty",
        "target-equals-baseline",
        "target-worse-than-baseline",
        "negative-eta",
        "repeated-submission-id",
        "other-challenge",
        "parent-committed-after-child",
        "parent-submitter-mismatch",
    ],
)
def test_inconsistent_inputs_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidRewardInputs):
        inputs(**overrides)


@pytest.mark.parametrize(
    "overrides",
    [
        {"private_score": None},
        {"submitter": "0x1234"},
        {"private_score": Wad(2**255)},
        {"parents": (ParentRef(SubmissionId(1), BOB),), "weights_ppm": (999_999,)},
        {"parents": (ParentRef(SubmissionId(1), BOB),), "weights_ppm": ()},
        {"parents": (ParentRef(SubmissionId(7), BOB),), "weights_ppm": (10**6,)},
        {
            "parents": (ParentRef(SubmissionId(1), BOB), ParentRef(SubmissionId(1), BOB)),
            "weights_ppm": (500_000, 500_000),
        },
    ],
    ids=[
        "valid-without-score",
        "bad-address",
        "score-beyond-int256",
        "weights-not-1e6",
        "weight-missing",
        "own-parent",
        "repeated-parent",
    ],
)
def test_inconsistent_records_are_refused(overrides: dict[str, Any]) -> None:
    with pytest.raises(InvalidRewardInputs):
        record(7, 5, **overrides)


def test_addresses_are_checksummed_and_lists_sorted() -> None:
    lower = "0x" + "ab" * 20
    built = inputs(
        submissions=[record(2, 6, submitter=Address(lower)), record(1, 5)],
        reviews=[Review(BOB, SubmissionId(1), 9), Review(Address(lower), SubmissionId(2), 8)],
    )
    assert [r.submission_id for r in built.submissions] == [1, 2]
    assert built.submissions[1].submitter == "0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB"
    assert [r.block for r in built.reviews] == [8, 9]
