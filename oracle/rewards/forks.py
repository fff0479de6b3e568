"""Reward rule v1, step 5: pass a share of what each submission received up the fork graph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from oracle.rewards.model import RewardInputs, SubmissionRecord
from oracle.rewards.near_copy_credit import is_near_copy
from oracle.rewards.report import ParentPass
from oracle.types import BPS, PPM, SubmissionId

MIN_RHO_BPS = 1_000
MAX_RHO_BPS = 9_000
NEAR_COPY_RHO_BPS = 9_000


@dataclass(frozen=True)
class ForkFlow:
    """What one submission received from its children, passed to its parents, and kept."""

    received_from_children: int
    rho_bps: int
    passes: tuple[ParentPass, ...]
    passed_to_parents: int
    final: int


def best_parent_score(
    inputs: RewardInputs, record: SubmissionRecord, by_id: Mapping[SubmissionId, SubmissionRecord]
) -> int | None:
    """The best known private score among the parents (a parent in these inputs uses its record)."""
    scores: list[int] = []
    for parent in record.parents:
        local = by_id.get(parent.submission_id)
        score = (local.private_score if local.valid else None) if local else parent.private_score
        if score is not None:
            scores.append(score)
    if not scores:
        return None
    return max(scores, key=lambda score: inputs.direction.gain(0, score))


def rho_bps(
    inputs: RewardInputs, record: SubmissionRecord, by_id: Mapping[SubmissionId, SubmissionRecord]
) -> int:
    """The share a submission passes to its parents, in bps (0 when it has no parents).

    The declared fork share clamped to [10%, 90%]; 90% when the child is invalid (it has
    shown no improvement), beats its best parent by less than eta, or is an uncredited
    near-copy (near_copy_credit.py).
    """
    if not record.parents:
        return 0
    if is_near_copy(inputs, record.submission_id):
        return NEAR_COPY_RHO_BPS
    if not record.valid or record.private_score is None:
        return NEAR_COPY_RHO_BPS
    parent_score = best_parent_score(inputs, record, by_id)
    if (
        parent_score is not None
        and inputs.direction.gain(parent_score, record.private_score) < inputs.eta
    ):
        return NEAR_COPY_RHO_BPS
    return min(MAX_RHO_BPS, max(MIN_RHO_BPS, inputs.fork_share_bps))


def propagate(
    inputs: RewardInputs, own_awards: Mapping[SubmissionId, int]
) -> dict[SubmissionId, ForkFlow]:
    """Walk children before parents (latest commit first) and move the passed shares.

    A child passes `floor(received * rho / 10000)`, split by weight with each parent's
    share rounded down; whatever the rounding leaves stays with the child, so every token
    is accounted for exactly once. Parents outside these inputs are credited to their
    submitter and go no further.
    """
    by_id = {record.submission_id: record for record in inputs.submissions}
    from_children: dict[SubmissionId, int] = {
        record.submission_id: 0 for record in inputs.submissions
    }
    flows: dict[SubmissionId, ForkFlow] = {}
    for record in reversed(inputs.submissions):  # a parent is always committed before its child
        sid = record.submission_id
        received = own_awards.get(sid, 0) + from_children[sid]
        rho = rho_bps(inputs, record, by_id)
        to_pass = received * rho // BPS
        passes: list[ParentPass] = []
        for parent, weight in zip(record.parents, record.weights_ppm, strict=True):
            share = to_pass * weight // PPM
            in_phase = parent.submission_id in by_id
            if in_phase:
                from_children[parent.submission_id] += share
            passes.append(ParentPass(parent.submission_id, parent.submitter, in_phase, share))
        passed = sum(item.amount for item in passes)
        flows[sid] = ForkFlow(
            received_from_children=from_children[sid],
            rho_bps=rho,
            passes=tuple(passes),
            passed_to_parents=passed,
            final=received - passed,
        )
    return flows
