"""`make bench`'s gas part runs end to end on a real anvil: every row it reports is there,
measured from a mined transaction. (The numbers and their targets are the bench's job,
docs/gas.md; this only keeps the bench from breaking unseen, as it once did at import.)"""

import pytest

from bench import gas
from bench.rollup import Prices, l1_data_fee

pytestmark = pytest.mark.chain

ROWS = {
    "gas.commit", "gas.reveal", "gas.commit_plus_reveal", "gas.reveal_with_2_parents",
    "gas.post_scores_per_item.batch_1", "gas.post_scores_per_item.batch_10",
    "gas.post_scores_per_item.batch_100", "gas.reveal_private_scores_per_item.batch_100",
    "gas.post_rewards", "gas.claim.to_new_holder", "gas.claim.to_holder.proof_4",
    "gas.claim.to_holder.proof_5", "gas.claim.to_holder.proof_7", "gas.claim.to_holder.proof_11",
    "gas.claim.to_holder.proof_11.first_in_its_word", "gas.dispute", "gas.grant.fund",
    "gas.grant.claim.to_new_holder", "gas.team.form_pair", "gas.team.merge_two_pairs",
}  # fmt: skip


def test_the_gas_bench_measures_every_step() -> None:
    measured = gas.measure()
    rows = {row.name: row for row in measured.rows}
    assert set(rows) == ROWS
    for row in rows.values():
        assert row.value > 0 and row.baseline_value > 0, row
    # a claim costs more for each slot it writes from zero and each proof hash
    claim = {name.removeprefix("gas.claim."): row.value for name, row in rows.items()}
    assert claim["to_new_holder"] > claim["to_holder.proof_5"]
    proofs = [claim[f"to_holder.proof_{n}"] for n in (4, 5, 7, 11)]
    assert proofs == sorted(proofs)
    assert claim["to_holder.proof_11.first_in_its_word"] > claim["to_holder.proof_11"]
    for name, trace in measured.breakdowns.items():  # the kinds add up (per-item: rounded)
        assert abs(sum(trace.by_kind.values()) - trace.gas_used) <= len(trace.by_kind), name
    # the rollup section: bytes from the mined transactions, priced by the Fjord formula
    data = {d.name: d for d in measured.data}
    assert data["commit"].calldata == 4 + 32 + 32, "commit(challengeId, commitment)"
    assert data["reveal"].calldata > data["commit"].calldata  # the CID string and salt
    for d in measured.data:
        assert d.signed_size > d.calldata // d.items > d.zero_bytes // d.items > 0, d
        rollup = l1_data_fee(d.signed_size, Prices()) + d.gas_used * Prices().l2_gas_price
        assert rollup < d.gas_used * Prices().l1_base_fee / 100, "a rollup is >100x cheaper"


def test_the_fjord_data_fee_follows_the_op_stack_formula() -> None:
    prices = Prices(l1_base_fee=10**9, l1_blob_base_fee=1, base_fee_scalar=10**6,
                    blob_fee_scalar=0)  # fmt: skip
    # a tiny transaction is charged the 100-byte minimum: 100 bytes at 16 gas of 1 gwei
    assert l1_data_fee(50, prices) == 100 * 16 * 10**9
    # 1,000 signed bytes: FastLZ bound 1,019 bytes, estimated 809.8 bytes after the regression
    assert l1_data_fee(1000, prices) == (836_500 * 1019 - 42_585_600) * 16 * 10**9 // 10**6
