"""Which chains are development chains, and what differs there: the well-known dev keys may
act (the demo, `coop account fund`, the dev arbiter and oracles), confirmations default to
0 instead of a safe depth, and anvil's own conveniences (evm_mine) may save a wait."""

from web3 import Web3

ANVIL_CHAIN_ID = 31337
GETH_DEV_CHAIN_ID = 1337  # `geth --dev`
DEV_CHAIN_IDS = frozenset({ANVIL_CHAIN_ID, GETH_DEV_CHAIN_ID})
# Blocks a follower stays behind the head on any other chain: deeper than the reorgs seen on
# Ethereum since the merge (1 or 2 blocks) and on OP-stack rollups' unsafe heads; about 2.4 min
# on L1 and 24 s on a 2-second rollup (docs/operator.md, "Confirmations").
SAFE_CONFIRMATIONS = 12


def is_dev_chain(chain_id: int) -> bool:
    """Whether `chain_id` is a throw-away development chain (anvil's or geth --dev's)."""
    return chain_id in DEV_CHAIN_IDS


def default_confirmations(chain_id: int) -> int:
    """0 on a development chain (nothing reorganises it), SAFE_CONFIRMATIONS elsewhere."""
    return 0 if is_dev_chain(chain_id) else SAFE_CONFIRMATIONS


def is_anvil(w3: Web3) -> bool:
    """Whether the node is anvil, whose dev-only RPC methods (evm_mine) may then be used."""
    return str(w3.client_version).lower().startswith("anvil")
