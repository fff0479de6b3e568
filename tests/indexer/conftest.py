"""A challenge life on a fresh anvil chain, and an indexer following it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from oracle.api.read.profiles import render_pending
from oracle.chain.platform import Platform
from oracle.indexer.runner import Indexer
from oracle.ipfs.embedded import EmbeddedStore
from tests.ledger.lifecycle import Life, diabetes_files


@pytest.fixture
def life(fast_platform: Platform, tmp_path: Path) -> Life:
    world = Life(fast_platform, EmbeddedStore(tmp_path / "ipfs"), tmp_path, diabetes_files())
    world.publish()
    return world


@pytest.fixture
def indexer(life: Life, tmp_path: Path) -> Iterator[Indexer]:
    """Follows with no confirmation depth (anvil mines a block per transaction)."""
    found = Indexer(
        tmp_path / "index.sqlite3",
        life.platform,
        life.store,
        confirmations=0,
        render_answers=render_pending,
    )
    try:
        yield found
    finally:
        found.close()
