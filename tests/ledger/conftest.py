"""A challenge life on a fresh anvil chain for the ledger, audit and board tests."""

from pathlib import Path

import pytest
from lifecycle import Life, diabetes_files

from oracle.chain.platform import Platform
from oracle.ipfs.embedded import EmbeddedStore


@pytest.fixture
def life(fast_platform: Platform, tmp_path: Path) -> Life:
    store = EmbeddedStore(tmp_path / "ipfs")
    world = Life(fast_platform, store, tmp_path, diabetes_files())
    world.publish()
    return world
