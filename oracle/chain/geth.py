"""A throw-away geth development chain (`geth --dev`) on a free loopback port: the second
Ethereum client the platform runs on (`coop up --chain geth`, `coop demo --chain geth`,
the chain tests).


geth's dev mode seals a block every `block_period` seconds at the wall clock's time (it
has no way to move time forward), keeps its state in memory and has one unlocked
developer account holding the chain's ETH. That account funds anvil's well-known
development accounts, so every dev tool (the demo, `coop account fund`, the tests) uses
the same keys on either client. The chain id is geth's dev id, 1337.
"""

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from web3 import Web3
from web3.types import Wei

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.local_node import LocalNode, free_port
from oracle.errors import ConfigError

DEV_ACCOUNT_FUNDS = 10_000 * 10**18  # what each development account gets, as on anvil
DEV_GAS_LIMIT = 30_000_000  # anvil's block gas limit (geth --dev's default is lower)
CHECKOUT_GETH = REPO_ROOT / ".tools" / "bin" / "geth"  # where `make setup` builds it


@dataclass
class Geth(LocalNode):
    """A `geth --dev` process this program started; its log goes to `log_path`."""

    log_path: Path = Path()
    client = "geth"

    def startup_error(self) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-20:])


def find_geth() -> Path | None:
    """COOP_GETH_BIN if set, else the checkout's .tools/bin/geth, else `geth` on PATH."""
    configured = os.environ.get("COOP_GETH_BIN")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    if CHECKOUT_GETH.is_file():
        return CHECKOUT_GETH
    found = shutil.which("geth")
    return Path(found) if found else None


def start_geth(port: int | None = None, block_period: int = 1, log_path: Path | None = None,
               extra_args: tuple[str, ...] = ()) -> Geth:  # fmt: skip
    """Starts `geth --dev` (a block every `block_period` seconds, state in memory, no
    peers, its log in `log_path` or a temporary file), waits until it answers JSON-RPC and
    funds anvil's development accounts."""
    binary = find_geth()
    if binary is None:
        raise ConfigError(
            f"geth is not built: run `make setup` (it builds {CHECKOUT_GETH}), put geth on "
            "PATH or set COOP_GETH_BIN"
        )
    port = port or free_port()
    cmd = [
        str(binary), "--dev", "--dev.period", str(block_period),
        "--dev.gaslimit", str(DEV_GAS_LIMIT), "--http", "--http.addr", "127.0.0.1",
        "--http.port", str(port), "--http.api", "eth,net,web3,txpool,debug",
        "--authrpc.addr", "127.0.0.1", "--authrpc.port", str(free_port()),
        "--nodiscover", "--maxpeers", "0", "--ipcdisable", "--verbosity", "2", *extra_args,
    ]  # fmt: skip
    if log_path is None:
        handle, name = tempfile.mkstemp(prefix="coop-geth-", suffix=".log")
        os.close(handle)
        log_path = Path(name)
    with log_path.open("ab") as log:
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    geth = Geth(port, process, log_path)
    geth.wait_until_answering()
    try:
        fund_dev_accounts(Web3(Web3.HTTPProvider(geth.url, request_kwargs={"timeout": 30})))
    except BaseException:
        geth.stop()
        raise
    return geth


def fund_dev_accounts(w3: Web3, keys: tuple[str, ...] = ANVIL_KEYS) -> None:
    """Sends DEV_ACCOUNT_FUNDS from geth's developer account (the node signs for it) to
    each of `keys`' accounts, all in one block, and waits until they are mined."""
    (developer, *_) = w3.eth.accounts
    sent = [
        w3.eth.send_transaction({"from": developer, "value": Wei(DEV_ACCOUNT_FUNDS),
                                 "to": Account.from_key(key).address})
        for key in keys
    ]  # fmt: skip
    for tx_hash in sent:
        w3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
