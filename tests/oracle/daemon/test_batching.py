"""Every honest oracle forms the same batch from the same chain data; posters rotate."""

import random

from oracle.daemon.batching import MAX_ITEMS, RevealedSubmission, batch_members, poster_for


def revealed(
    sub_id: int, phase: int = 0, block: int = 10, challenge: int = 1
) -> RevealedSubmission:
    return RevealedSubmission(challenge, phase, block, sub_id)


def test_same_reveals_in_any_order_give_the_same_members() -> None:
    reveals = [revealed(i, block=5 + i % 7) for i in range(1, 40)]
    shuffled = reveals[:]
    random.Random(7).shuffle(shuffled)
    a = batch_members(reveals, 1, cut_block=9, left_out={3})
    assert a == batch_members(shuffled, 1, cut_block=9, left_out={3})
    phase, ids = a
    assert phase == 0 and list(ids) == sorted(ids) and 3 not in ids
    assert set(ids) == {r.submission_id for r in reveals if r.reveal_block <= 9} - {3}


def test_batch_takes_lowest_phase_other_challenges_and_caps_size() -> None:
    reveals = [revealed(i, phase=1) for i in range(1, 150)] + [revealed(500, phase=0)]
    reveals += [revealed(900, challenge=2)]
    assert batch_members(reveals, 1, cut_block=10, left_out=set()) == (0, (500,))
    phase, ids = batch_members(reveals, 1, cut_block=10, left_out={500})
    assert phase == 1 and len(ids) == MAX_ITEMS and ids[0] == 1


def test_nothing_revealed_by_the_cut_gives_no_members() -> None:
    assert batch_members([revealed(1, block=20)], 1, 10, set()) == (0, ())


def test_poster_rotates_by_seq_and_fails_over_after_timeout() -> None:
    oracles = ["0x" + "0" * 38 + suffix for suffix in ("c3", "A1", "b2")]
    a1, b2, c3 = sorted(oracles, key=lambda a: int(a, 16))
    assert [poster_for(s, oracles, 0, 5) for s in (3, 4, 5)] == [a1, b2, c3]
    assert poster_for(3, oracles, 5.1, 5) == b2
    assert poster_for(3, oracles, 10.5, 5) == c3
