"""Several participants running `coop submit` at once on a chain that mines a block a second
(so commits and reveals share blocks, and cost more than when estimated): none fails; and a
transaction that does run out of gas is explained, with what to do (for a reveal: `coop
reveal`, not a second submit)."""

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil, start_anvil
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.errors import OutOfGas, TransactionReverted
from tests.chain.chain_helpers import dev_challenge

PARTICIPANTS = 4
SUBMITS_EACH = 3


@dataclass
class Chain:
    anvil: Anvil
    platform: Platform
    deployment: Path


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chain]:
    anvil = start_anvil(block_time=1)
    try:
        w3 = Web3(Web3.HTTPProvider(anvil.url))
        owner = Sender.from_key(w3, ANVIL_KEYS[0])
        platform = Platform.connect(w3, deploy_platform(owner))
        deployment = tmp_path_factory.mktemp("chain") / "deployment.json"
        platform.deployment.save(deployment)
        dev_challenge(platform, 100_000, 200_000)
        yield Chain(anvil, platform, deployment)
    finally:
        anvil.stop()


def submit_all(chain: Chain, who: int, folder: Path) -> list[subprocess.CompletedProcess[str]]:
    """One participant's `coop submit` runs, one after the other, as a separate process."""
    env = {
        **os.environ,
        "COOP_RPC_URL": chain.anvil.url,
        "COOP_DEPLOYMENT": str(chain.deployment),
        "COOP_DATA_DIR": str(folder / "data"),
        "COOP_PRIVATE_KEY": ANVIL_KEYS[1 + who],
        "COOP_CONFIG": str(folder / "absent.toml"),
    }
    runs = []
    for n in range(SUBMITS_EACH):
        predictions = folder / f"predictions-{n}.csv"
        predictions.write_text(f"id,prediction\n1,0.{who}{n}1\n2,0.{who}{n}2\n")
        coop = [sys.executable, "-m", "oracle.cli", "submit", "1", str(predictions), "--json"]
        runs.append(subprocess.run(coop, env=env, capture_output=True, text=True, timeout=300))
    return runs


def test_participants_submitting_at_once_all_succeed(chain: Chain, tmp_path: Path) -> None:
    folders = [tmp_path / f"participant-{who}" for who in range(PARTICIPANTS)]
    for folder in folders:
        folder.mkdir()
    with ThreadPoolExecutor(PARTICIPANTS) as pool:
        results = list(pool.map(submit_all, [chain] * PARTICIPANTS, range(PARTICIPANTS), folders))
    failed = [r.stderr.strip()[-500:] for runs in results for r in runs if r.returncode != 0]
    assert failed == []
    revealed = chain.platform.book.events.Revealed().get_logs(from_block=0)
    assert len(revealed) == PARTICIPANTS * SUBMITS_EACH
    committed = chain.platform.book.events.Committed().get_logs(from_block=0)
    blocks = [e["blockNumber"] for e in committed]
    assert len(set(blocks)) < len(blocks)  # some commits did share a block


def test_a_transaction_that_runs_out_of_gas_is_explained(chain: Chain) -> None:
    platform = chain.platform
    sender = Sender.from_key(platform.w3, ANVIL_KEYS[8])
    fn = platform.book.functions.commit(1, b"\x05" * 32)
    tx = dict(fn.build_transaction({"from": sender.address}))
    tx["gas"] = 30_000  # above the intrinsic cost, far below what a commit needs
    with pytest.raises(TransactionReverted) as raised:
        sender.send(tx, "commit")
    message = str(raised.value)
    assert "out of gas" in message and "30000" in message
    assert "try again" in message and "commit" in message
    # a transaction that fails on chain for another reason names the contract's error
    wrong_bond = dict(fn.build_transaction({"from": sender.address}))
    wrong_bond["value"], wrong_bond["gas"] = 1, 500_000
    with pytest.raises(TransactionReverted) as raised:
        sender.send(wrong_bond, "commit", [dict(e) for e in platform.book.abi])
    assert "reverted: WrongCommitBond(sent=0.000000000000000001 ETH, required=0 ETH)" in str(
        raised.value
    )  # amounts in ETH, not wei


class StingySender(Sender):
    """TEST DOUBLE: gives each transaction 30,000 gas, far below what a reveal needs, so
    that the chain really runs it out of gas (the margin makes that rare otherwise)."""

    def _with_margin(self, tx: dict[str, Any]) -> dict[str, Any]:
        return {**tx, "gas": 30_000}


def test_a_reveal_that_runs_out_of_gas_says_coop_reveal_finishes_it(
    chain: Chain, tmp_path: Path
) -> None:
    platform = chain.platform
    sender = Sender.from_key(platform.w3, ANVIL_KEYS[7])
    pending = commit(platform, sender, tmp_path, 1, "bafkreistingy")
    stingy = StingySender(sender.w3, sender.address, sender.private_key)
    with pytest.raises(OutOfGas) as raised:
        reveal(platform, stingy, pending)
    assert "ran out of gas" in str(raised.value)
    assert f"Submission {pending.submission_id} stays committed: `coop reveal`" in str(raised.value)
    assert reveal(platform, sender, pending) == pending.submission_id  # and so it does
