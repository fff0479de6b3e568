"""`brownie run` from a checkout whose path has a directory name with a dot (issue 13, point 8)."""

import subprocess
from collections.abc import Callable
from pathlib import Path


def test_brownie_runs_a_script_under_a_directory_whose_name_has_a_dot(
    brownie_run: Callable[..., subprocess.CompletedProcess[str]], tmp_path: Path
) -> None:
    checkout = tmp_path / "clone.of.coop" / "coop"
    (checkout / "scripts").mkdir(parents=True)
    (checkout / "scripts" / "hello.py").write_text(
        "from brownie import web3\n\n\n"
        "def main():\n    print('connected to chain', web3.eth.chain_id)\n"
    )
    result = brownie_run("scripts/hello.py", cwd=checkout)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "connected to chain 31337" in result.stdout
