"""A correction in the index (issue 15): the phase's scores and openings are set aside (the
boards empty until the rescore), the correction is a row, and a reorg that forgets the
correction brings every set-aside row back, as a rebuild of the new chain has it."""

from pathlib import Path

from oracle.chain.corrections import correct_phase
from oracle.indexer.runner import Indexer
from tests.indexer.story import scored
from tests.indexer.tables import dump
from tests.ledger.lifecycle import Life


def _count(indexer: Indexer, table: str) -> int:
    return int(indexer.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_correction_sets_scores_aside_and_a_reorg_past_it_restores_them(
    life: Life, indexer: Indexer, tmp_path: Path
) -> None:
    scored(life)
    life.end_phase()
    indexer.catch_up()
    before = dump(indexer.db)
    scores, opened = _count(indexer, "scores"), _count(indexer, "private_scores")
    assert scores == 3 and opened == 3 and _count(indexer, "private_board") == 2

    w3 = life.w3
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    correct_phase(life.platform, life.owner, life.store, life.data_dir, life.challenge_id, 0,
                  b"The scorer divided by the wrong row count.", scorer=b"# v2\n")  # fmt: skip
    indexer.catch_up()
    assert _count(indexer, "corrections") == 1
    assert _count(indexer, "scores") == 0 and _count(indexer, "private_scores") == 0
    assert _count(indexer, "superseded_scores") == scores
    assert _count(indexer, "public_board") == 0 and _count(indexer, "private_board") == 0
    opened_aside = indexer.db.execute(
        "SELECT count(*) FROM superseded_scores WHERE private_score IS NOT NULL"
    ).fetchone()[0]
    assert opened_aside == opened, "the openings are kept with the scores they open"

    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    indexer.catch_up()
    assert _count(indexer, "corrections") == 0
    assert dump(indexer.db)["scores"] == before["scores"]
    assert dump(indexer.db)["private_board"] == before["private_board"]
    fresh = Indexer(tmp_path / "fresh.sqlite3", life.platform, life.store, confirmations=0)
    fresh.rebuild()
    assert dump(fresh.db) == dump(indexer.db)
