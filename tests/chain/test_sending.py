"""Sending transactions on real nodes: fees from the node's EIP-1559 answers, a dropped
transaction resent with higher fees, a transaction replaced from another wallet (cast)
reported in plain words.

anvil_dropTransaction and evm_setAutomine are the fault injectors here (a node that
forgets a transaction, blocks only when the test says); on geth the replacement is
timed right after a block, with 4-second blocks leaving room to replace.
"""

import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import pytest
from eth_account import Account
from web3 import Web3
from web3.types import TxReceipt

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.fees import REPLACEMENT_BUMP_PERCENT
from oracle.chain.geth import start_geth
from oracle.chain.local_node import LocalNode
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.devnet.faucet import fund
from oracle.errors import TransactionReplaced

PAYMENT = 10**15


def rpc(w3: Web3, method: str, *params: Any) -> Any:
    return w3.provider.make_request(method, list(params))["result"]  # type: ignore[arg-type]


def pending_of(w3: Web3, address: str, other_than: str = "") -> dict[str, Any]:
    """The pending transaction from `address` in the node's pool (not `other_than`)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        pool = rpc(w3, "txpool_content")["pending"]
        mine = next((txs for a, txs in pool.items() if a.lower() == address.lower()), {})
        found = [tx for tx in mine.values() if tx["hash"] != other_than]
        if found:
            (tx,) = found
            return dict(tx)
        time.sleep(0.05)
    raise AssertionError(f"no pending transaction from {address} within 60 s")


def cast_send(node: LocalNode, key: str, *args: str) -> None:
    binary = shutil.which("cast")
    assert binary, "cast is not on PATH: run through `make test` (it installs it from npm)"
    cmd = [binary, "send", "--async", "--rpc-url", node.url, "--private-key", key, *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def pay(pool: ThreadPoolExecutor, sender: Sender, to: str) -> "Future[TxReceipt]":
    """Sends PAYMENT to `to` in the background, as `coop` would, returning its receipt."""
    return pool.submit(sender.send, {"from": sender.address, "to": to, "value": PAYMENT,
                                     "gas": 21_000})  # fmt: skip


def test_fees_follow_the_nodes_eip1559_answers(any_platform: Platform) -> None:
    w3 = any_platform.w3
    stranger = Account.create().address
    funded = fund(any_platform, stranger, PAYMENT, 0)  # `coop account fund`'s transfer
    assert funded.eth_balance == PAYMENT
    (tx_hash,) = w3.eth.get_block(w3.eth.block_number, full_transactions=True)["transactions"]
    tx = dict(tx_hash)  # type: ignore[arg-type]
    assert tx["type"] == 2, "an EIP-1559 transaction, not a legacy gas price"
    assert tx["maxPriorityFeePerGas"] == w3.eth.max_priority_fee
    block = int(tx["blockNumber"])
    base_fees = {int(w3.eth.get_block(n)["baseFeePerGas"]) for n in range(block - 2, block + 1)}
    assert tx["maxFeePerGas"] - tx["maxPriorityFeePerGas"] in {2 * b for b in base_fees}


@pytest.fixture
def quiet_anvil(anvil: Anvil) -> Iterator[Web3]:
    """This test's anvil mining only when the test calls evm_mine."""
    w3 = Web3(Web3.HTTPProvider(anvil.url))
    rpc(w3, "evm_setAutomine", False)
    yield w3


def test_a_dropped_transaction_is_resent_with_higher_fees(quiet_anvil: Web3) -> None:
    w3 = quiet_anvil
    sender = Sender.from_key(w3, ANVIL_KEYS[1])
    payee = Account.create().address
    with ThreadPoolExecutor(1) as pool:
        receipt = pay(pool, sender, payee)
        first = pending_of(w3, sender.address)
        rpc(w3, "anvil_dropTransaction", first["hash"])  # the node forgets it
        resent = pending_of(w3, sender.address, other_than=first["hash"])
        rpc(w3, "evm_mine")
        mined = receipt.result(timeout=60)
    assert "0x" + bytes(mined["transactionHash"]).hex() == resent["hash"] != first["hash"]
    assert resent["nonce"] == first["nonce"]
    bump = 100 + REPLACEMENT_BUMP_PERCENT
    assert int(resent["maxFeePerGas"], 16) >= int(first["maxFeePerGas"], 16) * bump // 100
    assert w3.eth.get_balance(payee) == PAYMENT, "the payment went through after all"


@pytest.mark.parametrize("client", ["anvil", "geth"])
def test_a_transaction_replaced_from_another_wallet_is_reported(
    client: str, request: pytest.FixtureRequest
) -> None:
    if client == "anvil":
        node: LocalNode = request.getfixturevalue("anvil")
        w3 = request.getfixturevalue("quiet_anvil")
    else:
        node = start_geth(block_period=4)
        request.addfinalizer(node.stop)
        w3 = Web3(Web3.HTTPProvider(node.url))
        start = w3.eth.block_number
        while w3.eth.block_number == start:  # right after a block: 4 s to replace in
            time.sleep(0.05)
    key = ANVIL_KEYS[2]
    sender = Sender.from_key(w3, key)
    payee, other = Account.create().address, Account.create().address
    with ThreadPoolExecutor(1) as pool:
        receipt = pay(pool, sender, payee)
        ours = pending_of(w3, sender.address)
        fee_cap, tip = int(ours["maxFeePerGas"], 16), int(ours["maxPriorityFeePerGas"], 16)
        cast_send(node, key, "--nonce", str(int(ours["nonce"], 16)), "--gas-price",
                  str(3 * fee_cap), "--priority-gas-price", str(3 * tip + 1), other,
                  "--value", "1")  # fmt: skip
        if client == "anvil":
            pending_of(w3, sender.address, other_than=ours["hash"])
            rpc(w3, "evm_mine")
        with pytest.raises(TransactionReplaced) as raised:
            receipt.result(timeout=120)
    message = str(raised.value)
    assert ours["hash"][2:] in message and f"same nonce ({int(ours['nonce'], 16)})" in message
    assert "did not run" in message and "another wallet" in message
    assert w3.eth.get_balance(payee) == 0 and w3.eth.get_balance(other) == 1
