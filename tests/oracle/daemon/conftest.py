"""The `world` fixture: anvil + platform + a seeded challenge dir, stopped afterwards."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.oracle.daemon.world import World


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    started = World.start(tmp_path)
    try:
        yield started
    finally:
        started.stop()
