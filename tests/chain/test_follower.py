"""The chain follower: confirmed events in order, a cursor that survives restarts, reorgs,
and how deep it stays behind the head by default: 0 on a dev chain, 12 elsewhere."""

import sqlite3
from pathlib import Path

from chain_helpers import open_challenge
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.dev_chains import SAFE_CONFIRMATIONS
from oracle.chain.follower import Advance, Cursor, Follower, Rewind, Step
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit


def mine(w3: Web3, blocks: int = 1) -> None:
    for _ in range(blocks):
        w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def drain(follower: Follower, cursor: Cursor) -> list[Step]:
    """Applies steps until the follower is at the confirmed head, as a consumer would."""
    steps: list[Step] = []
    while (step := follower.next_step(cursor)) is not None:
        with cursor.db:
            cursor.apply(step)
        steps.append(step)
    return steps


def names(steps: list[Step]) -> list[str]:
    return [e.name for s in steps if isinstance(s, Advance) for e in s.events]


def test_events_arrive_decoded_in_chain_order(any_platform: Platform, tmp_path: Path) -> None:
    p = any_platform
    challenge = open_challenge(p)
    alice = Sender.from_key(p.w3, ANVIL_KEYS[1])
    pending = commit(p, alice, tmp_path, challenge, "bafkreiartifact")
    cursor = Cursor(sqlite3.connect(":memory:"), p.deployment.block)

    seen = names(drain(Follower(p, confirmations=0), cursor))

    assert seen.index("ChallengeCreated") < seen.index("Committed")
    committed = [
        e
        for s in drain(Follower(p, confirmations=0), Cursor(cursor.db, p.deployment.block))
        if isinstance(s, Advance)
        for e in s.events
    ]
    assert committed == [], "a cursor that reached the head delivers nothing twice"
    fresh = Cursor(sqlite3.connect(":memory:"), p.deployment.block)
    (event,) = [
        e
        for s in drain(Follower(p, confirmations=0), fresh)
        if isinstance(s, Advance)
        for e in s.events
        if e.name == "Committed"
    ]
    assert event.contract == "SubmissionBook"
    assert event["submissionId"] == pending.submission_id
    assert event["submitter"] == alice.address
    assert isinstance(event["commitment"], bytes) and len(event["commitment"]) == 32


def test_unconfirmed_blocks_wait_for_their_depth(fast_platform: Platform, tmp_path: Path) -> None:
    p = fast_platform
    cursor = Cursor(sqlite3.connect(":memory:"), p.deployment.block)
    follower = Follower(p, confirmations=3)
    drain(follower, cursor)
    open_challenge(p)

    assert "ChallengeCreated" not in names(drain(follower, cursor))
    mine(p.w3, 2)
    assert "ChallengeCreated" not in names(drain(follower, cursor))
    mine(p.w3, 1)
    assert "ChallengeCreated" in names(drain(follower, cursor))


def test_cursor_in_a_file_resumes_after_a_restart(any_platform: Platform, tmp_path: Path) -> None:
    p = any_platform
    db_path = tmp_path / "follower.sqlite"
    open_challenge(p)
    first = names(drain(Follower(p, 0), Cursor(sqlite3.connect(db_path), p.deployment.block)))
    open_challenge(p)
    # a new process opens the same database and continues where the last one stopped
    second = names(drain(Follower(p, 0), Cursor(sqlite3.connect(db_path), p.deployment.block)))
    assert first.count("ChallengeCreated") == 1
    assert second.count("ChallengeCreated") == 1


def test_a_reorg_rewinds_to_the_fork_point_and_replays_the_new_chain(
    fast_platform: Platform, tmp_path: Path
) -> None:
    p = fast_platform
    w3 = p.w3
    challenge = open_challenge(p)
    cursor = Cursor(sqlite3.connect(":memory:"), p.deployment.block)
    follower = Follower(p, confirmations=0)
    drain(follower, cursor)
    fork_point = w3.eth.block_number
    snapshot = w3.provider.make_request("evm_snapshot", [])["result"]  # type: ignore[arg-type]

    alice = Sender.from_key(w3, ANVIL_KEYS[1])
    commit(p, alice, tmp_path / "a", challenge, "bafkreialice")
    assert names(drain(follower, cursor)) == ["Committed"]

    # the chain forgets alice's commit; bob's lands instead and the new chain grows longer
    w3.provider.make_request("evm_revert", [snapshot])  # type: ignore[arg-type]
    bob = Sender.from_key(w3, ANVIL_KEYS[2])
    commit(p, bob, tmp_path / "b", challenge, "bafkreibob")
    mine(w3, 2)

    steps = drain(follower, cursor)
    rewind = steps[0]
    assert isinstance(rewind, Rewind)
    assert rewind.to_block <= fork_point
    replayed = [e for s in steps[1:] if isinstance(s, Advance) for e in s.events]
    assert [(e.name, e["submitter"]) for e in replayed] == [("Committed", bob.address)]


def test_a_dev_chain_is_read_to_its_head_by_default(any_platform: Platform) -> None:
    p = any_platform
    cursor = Cursor(sqlite3.connect(":memory:"), p.deployment.block)
    drain(Follower(p), cursor)
    open_challenge(p)
    assert "ChallengeCreated" in names(drain(Follower(p), cursor)), "no block to wait for"


def test_any_other_chain_is_read_a_safe_depth_behind_its_head_by_default() -> None:
    chain = start_anvil(chain_id=10)  # stands in for a public chain (OP mainnet's id)
    try:
        w3 = Web3(Web3.HTTPProvider(chain.url))
        p = Platform.connect(w3, deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0])))
        cursor = Cursor(sqlite3.connect(":memory:"), p.deployment.block)
        follower = Follower(p)
        drain(follower, cursor)
        open_challenge(p)
        mine(w3, SAFE_CONFIRMATIONS - 1)
        assert "ChallengeCreated" not in names(drain(follower, cursor))
        mine(w3, 1)
        assert "ChallengeCreated" in names(drain(follower, cursor))
    finally:
        chain.stop()
