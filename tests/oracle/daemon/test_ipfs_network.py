"""A real IPFS network: the participant's file lives only on the participant's own kubo
node, and the oracle, whose kubo node is connected to it on loopback (no bootstrap, no
DHT, no public network), fetches it over bitswap, scores it and pins it.

The owner's challenge material (spec, data) stays in the world's shared embedded store
as in the other daemon tests; the submissions are in no shared store: nothing but the
IPFS network between the two nodes can deliver them. A file nobody serves becomes
UNREACHABLE after the documented tries (COOP_FETCH_ATTEMPTS, each kubo call tried 4 times
for at most COOP_IPFS_TIMEOUT_SECONDS).
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.ipfs.importer import import_bytes
from oracle.ipfs.kubo_daemon import KuboDaemon, start_kubo
from oracle.status import Status
from tests.oracle.daemon.world import World, wait_for

pytestmark = pytest.mark.kubo


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[KuboDaemon, KuboDaemon]]:
    """The participant's node and the oracle's, each its own repo and ports, connected."""
    participant = start_kubo(tmp_path / "participant-node", online=True)
    try:
        oracle = start_kubo(tmp_path / "oracle-node", online=True)
        try:
            oracle.connect(participant)
            yield participant, oracle
        finally:
            oracle.stop()
    finally:
        participant.stop()


def pinned(node: KuboDaemon, cid: str) -> bool:
    return cid in node.cli("pin", "ls", "--type=recursive", "--quiet")


def test_the_oracle_fetches_over_bitswap_pins_what_it_scored_and_gives_up_on_the_unserved(
    world: World, nodes: tuple[KuboDaemon, KuboDaemon]
) -> None:
    participant, oracle_node = nodes
    world.publish(oracle_count=1, quorum=1)
    (oracle,) = world.make_oracles(
        1, ipfs_backend="kubo", kubo_api=oracle_node.api_url, ipfs_timeout_seconds="3",
        fetch_attempts="2", fetch_retry_seconds="1",
    )  # fmt: skip
    world.start_oracles()

    artifact = world.artifact(1)
    (path := world.base / "predictions.csv").write_bytes(artifact)
    cid = participant.cli("add", "--cid-version=1", "-Q", str(path))  # the participant's node
    assert not world.store.has(cid) and not oracle_node.cli("refs", "local").count(cid)
    served_id = world.submit_cid(cid)
    nobody = str(import_bytes(world.artifact(2) + b"\n").cid)  # added nowhere
    unserved_id = world.submit_cid(nobody)

    ids = {served_id, unserved_id}
    wait_for("both statuses", lambda: ids <= world.scored_ids(), 120, [oracle])
    ledger = world.ledger()
    served, unserved = ledger.submissions[served_id].score, ledger.submissions[unserved_id].score
    assert served is not None and unserved is not None
    assert (served.status, served.public_score) == (
        Status.VALID,
        world.expected(artifact).public_wad,
    )
    assert unserved.status == Status.UNREACHABLE
    assert oracle.metric("coop_oracle_fetch_retries_total") >= 1, "tried again before giving up"

    assert pinned(oracle_node, cid), "the oracle's node keeps what it scored"
    assert world.store.has(cid), "and its embedded store holds a copy"
    assert not pinned(oracle_node, nobody)
    participant.stop()  # the oracle's node now serves the file on its own
    assert oracle_node.cli("cat", cid, "--offline").encode() == artifact.strip()
