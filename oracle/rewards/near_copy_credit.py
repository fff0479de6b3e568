"""Reward rule step 5 for uncredited near-copies: each is rewarded as a fork of its source.

A near-copy (found by oracle/ledger/near_copies.py from public data) is treated exactly as
if it had declared the earliest submission it copies as its only parent, with weight 100%,
and passes the near-copy share (forks.NEAR_COPY_RHO_BPS, 90%) of what it received to it.
Its source's own parents are credited through the source, as for any declared fork.
"""

from dataclasses import replace

from oracle.rewards.model import ParentRef, RewardInputs
from oracle.types import PPM, SubmissionId


def credit_near_copies(inputs: RewardInputs) -> RewardInputs:
    """The inputs with each near-copy's parents replaced by its source (weight 100%)."""
    if not inputs.near_copies:
        return inputs
    by_id = {record.submission_id: record for record in inputs.submissions}
    sources = {near.submission_id: near for near in inputs.near_copies}
    records = []
    for record in inputs.submissions:
        near = sources.get(record.submission_id)
        if near is not None:
            source = by_id[near.source_id]
            parent = ParentRef(near.source_id, near.source_submitter, source.private_score)
            record = replace(record, parents=(parent,), weights_ppm=(PPM,))
        records.append(record)
    return replace(inputs, submissions=tuple(records))


def is_near_copy(inputs: RewardInputs, submission_id: SubmissionId) -> bool:
    """Whether the submission is an uncredited near-copy (it passes the near-copy share)."""
    return any(near.submission_id == submission_id for near in inputs.near_copies)
