"""The indexer shows exactly what the chain holds: a whole challenge life, a reorg, a rebuild."""

import json
from pathlib import Path

from oracle.indexer.runner import Indexer
from oracle.indexer.schema import read_meta, row_count
from oracle.ledger.boards import improvements, private_board, public_board
from oracle.ledger.replay import read_ledger
from oracle.rewards.merkle import verify
from oracle.rewards.model import Leaf
from oracle.status import Status
from oracle.types import PPM, Address
from tests.indexer.story import ALICE, BOB, CAROL, DAVE, address, rewarded, scored
from tests.indexer.tables import dump
from tests.ledger.lifecycle import BOUNTY, Life


def rows(indexer: Indexer, sql: str, *args: object) -> list[tuple[object, ...]]:
    return indexer.db.execute(sql, args).fetchall()


def test_a_challenge_life_lands_in_the_index(life: Life, indexer: Indexer) -> None:
    story = rewarded(life)
    cid = life.challenge_id

    assert indexer.catch_up() > 0

    (challenge,) = rows(indexer, "SELECT owner, spec_cid FROM challenges")
    assert challenge[0] == life.owner.address
    (phase0,) = rows(indexer, "SELECT higher_is_better FROM phases")
    assert phase0 == (0,)  # rmse: lower is better
    assert rows(indexer, "SELECT amount FROM escrows") == [(str(BOUNTY),)]
    assert rows(indexer, "SELECT submission_id, submitter FROM submissions ORDER BY 1") == [
        (story.mean, address(ALICE)), (story.linear, address(BOB)), (story.broken, address(CAROL))
    ]  # fmt: skip
    assert rows(indexer, "SELECT child_id, parent_id, weight_ppm FROM fork_edges") == [
        (story.linear, story.mean, PPM)
    ]
    assert rows(indexer, "SELECT submission_id, reviewer, verdict FROM reviews") == [
        (story.linear, address(DAVE), 1)
    ]
    statuses = dict(rows(indexer, "SELECT submission_id, status FROM scores"))
    assert statuses == {story.mean: Status.VALID, story.linear: Status.VALID,
                        story.broken: Status.WRONG_TYPE}  # fmt: skip
    assert rows(indexer, "SELECT count(*) FROM holdouts") == [(1,)]

    # The boards are the ledger's boards (oracle/ledger/boards.py), entry for entry.
    ledger = read_ledger(life.platform)
    lc = ledger.challenge(cid)
    public = rows(indexer, "SELECT participant, submission_id, score FROM public_board "
                  "ORDER BY rank_key, submission_id")  # fmt: skip
    assert public == [
        (e.participant, e.submission_id, str(e.score)) for e in public_board(ledger, lc, 0)
    ]
    assert [p[0] for p in public] == [address(BOB), address(ALICE)]
    private = rows(indexer, "SELECT participant, submission_id, score FROM private_board "
                   "WHERE phase = 0 ORDER BY rank_key, submission_id")  # fmt: skip
    assert private == [
        (e.participant, e.submission_id, str(e.score)) for e in private_board(ledger, lc, 0)
    ]
    assert rows(indexer, "SELECT submission_id, previous_best, score FROM improvements "
                "ORDER BY block, log_index") == [
        (i.submission_id, str(i.previous_best), str(i.score)) for i in improvements(ledger, lc, 0)
    ]  # fmt: skip

    # The report was fetched, verified, and each leaf carries a proof of the posted root.
    assert story.report is not None
    ((status, detail),) = rows(indexer, "SELECT status, detail FROM reward_reports")
    assert status == "available", detail
    ((root,),) = rows(indexer, "SELECT merkle_root FROM reward_roots")
    leaves = rows(indexer, "SELECT account, amount, proof FROM reward_leaves")
    assert {(a, int(m)) for a, m, _ in leaves} == {
        (leaf.account, leaf.amount) for leaf in story.report.leaves
    }
    for account, amount, proof in leaves:
        assert verify(
            str(root), Leaf(Address(str(account)), int(str(amount))), json.loads(str(proof))
        )
    passes = rows(indexer, "SELECT child_id, parent_id FROM reward_passes")
    assert passes == [(story.linear, story.mean)]


def test_a_claim_with_the_indexed_proof_pays_and_is_recorded(life: Life, indexer: Indexer) -> None:
    rewarded(life)
    indexer.catch_up()
    bob = address(BOB)
    ((amount, proof),) = rows(indexer, "SELECT amount, proof FROM reward_leaves WHERE account = ?",
                              bob)  # fmt: skip
    vault = life.platform.vault
    before = life.platform.token.functions.balanceOf(bob).call()
    life.owner.transact(vault.functions.claim(life.challenge_id, 0, bob, int(str(amount)),
                                              json.loads(str(proof))))  # fmt: skip

    indexer.catch_up()

    assert life.platform.token.functions.balanceOf(bob).call() == before + int(str(amount))
    assert rows(indexer, "SELECT account, amount FROM claims") == [(bob, amount)]


def test_a_reorg_removes_what_the_chain_forgot(
    life: Life, indexer: Indexer, tmp_path: Path
) -> None:
    w3 = life.w3
    life.submit(ALICE, b"id,prediction\n")
    indexer.catch_up()
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]
    story = scored(life)
    indexer.catch_up()
    assert rows(indexer, "SELECT count(*) FROM public_board") == [(2,)]
    assert row_count(indexer.db, "submissions") == 4  # what /v1/status shows
    before_reorg = dump(indexer.db)

    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    life.batches.clear()
    life.submit(CAROL, b"id,prediction\n")  # a different history from the fork point on
    indexer.catch_up()

    ids = [r[0] for r in rows(indexer, "SELECT submission_id FROM submissions ORDER BY 1")]
    assert story.linear not in ids and len(ids) == 2  # the new history reuses id 2
    assert row_count(indexer.db, "submissions") == 2  # the rewind counted down, then up
    assert rows(indexer, "SELECT count(*) FROM scores") == [(0,)]
    assert rows(indexer, "SELECT count(*) FROM public_board") == [(0,)]
    assert rows(indexer, "SELECT count(*) FROM reviews") == [(0,)]
    assert rows(indexer, "SELECT count(*) FROM improvements") == [(0,)]
    assert rows(indexer, "SELECT submitter FROM submissions ORDER BY submission_id") == [
        (address(ALICE),),
        (address(CAROL),),
    ]
    assert dump(indexer.db) != before_reorg

    fresh = Indexer(tmp_path / "fresh.sqlite3", life.platform, life.store, confirmations=0)
    fresh.rebuild()
    assert dump(fresh.db) == dump(indexer.db)


def test_rebuild_from_scratch_gives_identical_tables(
    life: Life, indexer: Indexer, tmp_path: Path
) -> None:
    """Followed step by step as it happened vs read again in one go: the same rows."""
    story = scored(life)
    indexer.catch_up()  # part of the life indexed while it happens…
    life.end_phase()
    life.post_root(life.rewards())
    indexer.catch_up()  # …and the rest later
    followed = dump(indexer.db)
    assert followed["reward_leaves"] and followed["private_board"]

    version = int(read_meta(indexer.db)["version"])
    indexer.rebuild()
    assert dump(indexer.db) == followed
    assert int(read_meta(indexer.db)["version"]) > version, "a reader must see a new version"
    other = Indexer(tmp_path / "other.sqlite3", life.platform, life.store, confirmations=0,
                    max_blocks_per_step=3)  # fmt: skip
    other.catch_up()
    assert dump(other.db) == followed
    assert story.linear in [r[0] for r in followed["reveals"]]
