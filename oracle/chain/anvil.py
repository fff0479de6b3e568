"""A throw-away anvil chain on a free loopback port, for tests, benchmarks and `make run`."""

import shutil
import subprocess

from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.local_node import LocalNode, free_port, port_is_free
from oracle.errors import ConfigError

__all__ = ["ANVIL_KEYS", "CHECKOUT_TOOLS", "Anvil", "free_port", "port_is_free", "start_anvil"]

# anvil's well-known development keys (from its default mnemonic): never hold real funds.
ANVIL_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
)


# Where `make setup` puts anvil and cast (npm), found even when PATH does not name it.
CHECKOUT_TOOLS = REPO_ROOT / "node_modules" / ".bin"


class Anvil(LocalNode):
    """An anvil process this program started."""

    client = "anvil"


def start_anvil(
    port: int | None = None,
    block_time: float | None = None,
    steps_tracing: bool = False,
    chain_id: int | None = None,
) -> Anvil:
    """Starts anvil (from PATH) and waits until it answers JSON-RPC; `chain_id` other than
    31337 makes it stand in for a chain that is not a development chain.

    `steps_tracing` records every opcode so `debug_traceTransaction` returns geth-style
    struct logs (the gas benchmark's breakdown); it slows anvil down, so it is off by default.
    """
    binary = shutil.which("anvil") or shutil.which("anvil", path=str(CHECKOUT_TOOLS))
    if binary is None:
        raise ConfigError(
            f"anvil is neither on PATH nor in {CHECKOUT_TOOLS}; run `make setup` (it installs "
            "it from npm)"
        )
    port = port or free_port()
    cmd = [binary, "--port", str(port), "--host", "127.0.0.1", "--silent"]
    if block_time is not None:
        cmd += ["--block-time", str(block_time)]
    if steps_tracing:
        cmd.append("--steps-tracing")
    if chain_id is not None:
        cmd += ["--chain-id", str(chain_id)]
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    anvil = Anvil(port, process)
    anvil.wait_until_answering()
    return anvil
