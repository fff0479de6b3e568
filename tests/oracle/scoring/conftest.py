"""Fixtures for the scoring tests."""

from collections.abc import Callable

import pytest
from scoring_helpers import load_make_data


@pytest.fixture(scope="session")
def example_files() -> Callable[[str], dict[str, bytes]]:
    """The example challenges' files (make_data.build), built once per name."""
    make_data = load_make_data()
    built: dict[str, dict[str, bytes]] = {}

    def files(name: str) -> dict[str, bytes]:
        if name not in built:
            built[name] = make_data.build(name)
        return built[name]

    return files
