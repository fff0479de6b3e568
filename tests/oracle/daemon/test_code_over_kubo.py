"""Code submissions fetched over a real kubo node: three `coop oracle run` processes, each
with its own empty embedded block store and the one kubo node (shared by this module)
behind it, as an operator runs them (COOP_IPFS_BACKEND=kubo). The participants' folders are
added to the kubo node only, so each oracle fetches the code over kubo's RPC before it runs
it in bubblewrap; the reports come back through kubo too. Reproducibility by quorum holds
(an honest model VALID with one predictions CID, a clock/urandom program NOT_REPRODUCIBLE
with each oracle's outcome) and a bad program gets its status with the oracles going on."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.devnet.seed import code_spec
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.ipfs.store import replicate
from oracle.scoring.score_report import ScoreReport, read_report, score_report_cid
from oracle.status import Status
from tests.oracle.daemon.test_code_submissions import LIMITS, PROGRAMS, RIDGE, RUNTIMES
from tests.oracle.daemon.world import World, wait_for

pytestmark = pytest.mark.kubo


@pytest.fixture(scope="module")
def node(kubo: KuboDaemon) -> Iterator[KuboStore]:
    with KuboStore(kubo.api_url) as store:
        yield store


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, kubo: KuboDaemon,
          node: KuboStore) -> Iterator[World]:  # fmt: skip
    base = tmp_path_factory.mktemp("code-kubo")
    started = World.start(base)
    try:
        started.publish(3, 2, code_spec("diabetes-regression", base / "spec.json", LIMITS))
        for cid in started.store.pins():  # the owner's spec and public data, on the node too
            replicate(started.store, node, cid)
        own_stores = {
            i: {"COOP_IPFS_DIR": str(base / f"oracle-{i}-blocks")} for i in range(3)
        }  # nothing shared but the kubo node
        started.make_oracles(3, own_stores, runtime_dir=str(RUNTIMES), ipfs_backend="kubo",
                             kubo_api=kubo.api_url)  # fmt: skip
        started.start_oracles()
        yield started
    finally:
        started.stop()


def submit_on_kubo(world: World, node: KuboStore, name: str, source: str | Path) -> tuple[int, str]:
    """Adds the folder to the kubo node only (never to an embedded store); commits and
    reveals it. Returns the submission id and the folder's CID."""
    if isinstance(source, Path):
        folder = source
    else:
        folder = world.base / "programs" / name
        folder.mkdir(parents=True)
        (folder / "main.py").write_text(source)
    cid = str(node.add_path(folder).cid)
    node.pin(cid)
    assert not world.store.has(cid)
    return world.submit_cid(cid), cid


def report(world: World, node: KuboStore, submission_id: int) -> ScoreReport:
    """The report the posted score names, read back from the kubo node."""
    wait_for(f"submission {submission_id}'s score", lambda: submission_id in world.scored_ids(),
             120, world.oracles)  # fmt: skip
    score = world.ledger().submissions[submission_id].score
    assert score is not None
    return read_report(node.cat(score_report_cid(score.report_digest)))


def oracle_blocks(world: World, index: int) -> EmbeddedStore:
    return EmbeddedStore(world.base / f"oracle-{index}-blocks")


def test_the_quorum_reproduces_an_honest_model_and_not_a_noisy_one(
    world: World, node: KuboStore
) -> None:
    honest, code = submit_on_kubo(world, node, "ridge", RIDGE)
    noisy, _ = submit_on_kubo(world, node, "noisy", PROGRAMS["noisy"])
    got = report(world, node, honest)
    assert got.status is Status.VALID and got.receipt is not None
    assert got.receipt.code_cid == code and got.receipt.predictions_cid is not None
    expected = world.expected(node.cat(got.receipt.predictions_cid))
    assert got.public_score == int(expected.public_wad or 0)
    # Every oracle fetched the folder from kubo into its own store (none was given it).
    signed = [i for i in range(3) if oracle_blocks(world, i).has(code)]
    assert len(signed) >= 2, "at least the quorum's oracles fetched the code over kubo"

    differs = report(world, node, noisy)
    assert differs.status is Status.NOT_REPRODUCIBLE, differs
    assert differs.receipt is not None and differs.receipt.predictions_cid is None
    assert len(differs.receipt.outcomes) >= 2
    assert all(o in differs.reason for o in differs.receipt.outcomes)


def test_a_syntax_error_fetched_over_kubo_is_run_failed_and_the_next_is_scored(
    world: World, node: KuboStore
) -> None:
    broken, _ = submit_on_kubo(world, node, "syntax", PROGRAMS["syntax"])
    again = "# again\n" + (RIDGE / "main.py").read_text()
    after, _ = submit_on_kubo(world, node, "ridge-again", again)
    crashed = report(world, node, broken)
    assert crashed.status is Status.RUN_FAILED and "(SyntaxError)" in crashed.reason
    assert crashed.receipt is not None and crashed.receipt.exception == "SyntaxError"
    assert report(world, node, after).status is Status.VALID
    for oracle in world.oracles:
        assert oracle.running, oracle.tail()
