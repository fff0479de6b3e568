"""The runtime package does not hold brownie's pins: eth-brownie is an extra, never imported.

eth-brownie 1.22 pins web3, eth-account, pydantic, pytest and python-dotenv exactly; as a
runtime dependency it fixed those for every oracle and every `pip install`. It is the
`contracts` extra now (contract tests, `brownie compile`, the owner's scripts), and no
runtime module loads it.
"""

import json
import subprocess
import sys
from importlib.metadata import requires

from packaging.requirements import Requirement


def test_brownie_is_only_the_contracts_extra() -> None:
    wanted = [Requirement(r) for r in requires("coopetition") or []]
    brownie = [r for r in wanted if r.name == "eth-brownie"]
    assert brownie, "the contracts extra still names eth-brownie"
    for requirement in brownie:
        assert requirement.marker is not None
        assert requirement.marker.evaluate({"extra": "contracts"})
        assert not requirement.marker.evaluate({"extra": ""})
    names = {r.name for r in wanted if r.marker is None}
    assert {"web3", "eth-account", "pydantic", "requests"} <= names, "declared, not inherited"


def test_no_runtime_command_loads_brownie() -> None:
    modules = "oracle.cli.main, oracle.api.app, oracle.daemon.service, oracle.devnet.platform"
    code = f"import json, sys, {modules}; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(run.stdout)
    assert [m for m in loaded if m == "brownie" or m.startswith("brownie.")] == []
