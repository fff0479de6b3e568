"""Fixtures shared by the whole test suite."""

from collections.abc import Iterator

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil, start_anvil
from oracle.chain.geth import Geth, start_geth
from oracle.chain.local_node import LocalNode
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.ipfs.kubo_daemon import KuboDaemon, find_kubo_binary, start_kubo


@pytest.fixture
def anvil() -> Iterator[Anvil]:
    """A fresh anvil chain for one test, stopped (by its pid) afterwards."""
    chain = start_anvil()
    try:
        yield chain
    finally:
        chain.stop()


@pytest.fixture(scope="module")
def geth() -> Iterator[Geth]:
    """One `geth --dev` chain (1-second blocks) shared by a test module, stopped afterwards.

    Fails, never skips, when geth is not built: `make setup` builds it."""
    chain = start_geth()
    try:
        yield chain
    finally:
        chain.stop()


@pytest.fixture(params=["anvil", "geth"])
def dev_node(request: pytest.FixtureRequest) -> LocalNode:
    """The test's chain on each client in turn: a fresh anvil, then the module's geth."""
    node: LocalNode = request.getfixturevalue(request.param)
    return node


@pytest.fixture
def any_platform(dev_node: LocalNode) -> Platform:
    """The platform freshly deployed on `dev_node` (anvil or geth) by key 0."""
    w3 = Web3(Web3.HTTPProvider(dev_node.url, request_kwargs={"timeout": 30}))
    return Platform.connect(w3, deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0])))


@pytest.fixture
def fast_platform(anvil: Anvil) -> Platform:
    """The platform deployed on this test's anvil straight from Python (deployer: key 0)."""
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    return Platform.connect(w3, deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0])))


@pytest.fixture(scope="session")
def kubo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KuboDaemon]:
    """A throw-away offline kubo daemon (own repo, loopback API and gateway), one per run.

    Fails, never skips, when no kubo binary is found (COOP_KUBO_BIN, .tools/bin/ipfs, or
    PATH): `make setup` builds it, and a suite that silently left kubo out would lie.
    """
    binary = find_kubo_binary()
    if binary is None:
        pytest.fail("kubo not found: run `make setup` (it builds .tools/bin/ipfs)")
    daemon = start_kubo(tmp_path_factory.mktemp("kubo") / "repo", binary)
    try:
        yield daemon
    finally:
        daemon.stop()
