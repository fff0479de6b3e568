"""`make bench`'s gas part runs end to end on a real anvil: every row it reports is there,
measured from a mined transaction. (The numbers and their targets are the bench's job,
docs/gas.md; this only keeps the bench from breaking unseen, as it once did at import.)"""

import pytest

from bench import gas

pytestmark = pytest.mark.chain

ROWS = {
    "gas.commit", "gas.reveal", "gas.commit_plus_reveal", "gas.reveal_with_2_parents",
    "gas.post_scores_per_item.batch_1", "gas.post_scores_per_item.batch_10",
    "gas.post_scores_per_item.batch_100", "gas.reveal_private_scores_per_item.batch_100",
    "gas.post_rewards", "gas.claim.first_to_new_holder", "gas.claim.later_to_holder",
    "gas.claim.returning_claimant.proof_5", "gas.claim.returning_claimant.proof_4",
    "gas.claim.returning_claimant.proof_11", "gas.dispute",
}  # fmt: skip


def test_the_gas_bench_measures_every_step() -> None:
    measured = gas.measure()
    rows = {row.name: row for row in measured.rows}
    assert set(rows) == ROWS
    for row in rows.values():
        assert row.value > 0 and row.baseline_value > 0, row
    # each slot written from zero shows: new holder > holder's first claim > returning claim
    new_holder, holder = rows["gas.claim.first_to_new_holder"], rows["gas.claim.later_to_holder"]
    assert new_holder.value > holder.value > rows["gas.claim.returning_claimant.proof_5"].value
    for name, trace in measured.breakdowns.items():  # the kinds add up (per-item: rounded)
        assert abs(sum(trace.by_kind.values()) - trace.gas_used) <= len(trace.by_kind), name
