"""Every honest oracle forms the same batch from the same chain data; posters rotate."""

import random

from oracle.chain.attestation import ScoreItem, items_hash
from oracle.daemon.batching import MAX_ITEMS, ScoredSubmission, form_items, poster_for, propose

DIGEST = b"\x11" * 32


def scored(sub_id: int, phase: int = 0, block: int = 10, challenge: int = 1) -> ScoredSubmission:
    item = ScoreItem(sub_id, 0, sub_id * 10**15, bytes([sub_id % 256]) * 32, b"\x00" * 32)
    return ScoredSubmission(challenge, phase, block, item)


def test_same_records_in_any_order_give_identical_batch_bytes() -> None:
    records = [scored(i, block=5 + i % 7) for i in range(1, 40)]
    shuffled = records[:]
    random.Random(7).shuffle(shuffled)
    a = propose(records, 1, cut_block=9, posted={3}, last_seq=4, config_digest=DIGEST)
    b = propose(shuffled, 1, cut_block=9, posted={3}, last_seq=4, config_digest=DIGEST)
    assert a is not None and a == b
    assert a.batch.seq == 5 and a.batch.items_hash == items_hash(a.items)
    ids = [i.submission_id for i in a.items]
    assert ids == sorted(ids) and 3 not in ids
    assert all(r.reveal_block <= 9 for r in records if r.submission_id in ids)


def test_batch_takes_lowest_phase_other_challenges_and_caps_size() -> None:
    records = [scored(i, phase=1) for i in range(1, 150)] + [scored(500, phase=0)]
    records += [scored(900, challenge=2)]
    phase, items = form_items(records, 1, cut_block=10, posted=set())
    assert phase == 0 and [i.submission_id for i in items] == [500]
    phase, items = form_items(records, 1, cut_block=10, posted={500})
    assert phase == 1 and len(items) == MAX_ITEMS and items[0].submission_id == 1


def test_nothing_to_post_gives_no_proposal() -> None:
    assert propose([scored(1, block=20)], 1, 10, set(), 0, DIGEST) is None


def test_poster_rotates_by_seq_and_fails_over_after_timeout() -> None:
    oracles = ["0x" + "0" * 38 + suffix for suffix in ("c3", "A1", "b2")]
    a1, b2, c3 = sorted(oracles, key=lambda a: int(a, 16))
    assert [poster_for(s, oracles, 0, 5) for s in (3, 4, 5)] == [a1, b2, c3]
    assert poster_for(3, oracles, 5.1, 5) == b2
    assert poster_for(3, oracles, 10.5, 5) == c3
