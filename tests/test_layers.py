"""Layers point one way: importing a lower layer never loads a higher one.

Each check runs in a fresh interpreter, so what one module pulled in is seen whole (a
module the test process imported earlier cannot hide it). `make lint` checks the same order
statically (lint-imports, pyproject's [tool.importlinter]); these checks see what an
import really loads, the web framework included.
"""

import json
import subprocess
import sys

import pytest


def loaded_by(module: str) -> set[str]:
    """Every module a fresh interpreter holds after `import module`."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(run.stdout))


def loaded_packages(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if any(m == p or m.startswith(p + ".") for p in packages))


@pytest.mark.parametrize(
    "module",
    [
        "oracle.ledger.claims",  # `coop claim`: the participant's way to their tokens
        "oracle.ledger.disputes",
        "oracle.ledger.challenge_status",
        "oracle.indexer.runner",
    ],
)
def test_the_claim_code_and_the_indexer_do_not_load_the_web_api(module: str) -> None:
    loaded = loaded_by(module)
    assert loaded_packages(loaded, "fastapi", "oracle.api", "oracle.daemon", "oracle.cli") == []


def test_the_chain_layer_loads_no_read_model_or_service() -> None:
    loaded = loaded_by(
        "oracle.chain.roots, oracle.chain.refunds, oracle.chain.publish, oracle.chain.submissions"
    )
    above = loaded_packages(
        loaded, "oracle.ledger", "oracle.indexer", "oracle.api", "oracle.daemon", "fastapi"
    )
    assert above == []


def test_the_api_reads_oracle_health_without_loading_the_daemon() -> None:
    loaded = loaded_by("oracle.api.app")
    assert "oracle.api.oracles" in loaded
    assert loaded_packages(loaded, "oracle.daemon", "oracle.audit", "oracle.cli") == []
