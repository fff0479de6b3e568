"""brownie run scripts/deploy.py [main OUT] — deploys the platform and writes its addresses
as JSON to OUT (default: deployments/<chain id>.json).

The deployer is COOP_DEPLOYER_KEY (a private key) when set, else the node's first unlocked
account (anvil's). The chain must outlive the script: brownie's development network
attaches to a node on 127.0.0.1:8545 if one listens, and otherwise starts a throw-away
anvil that stops when the script ends; that case is refused (the file would name
contracts on a chain that is gone). README.md, "Deploying by hand", shows the commands.
"""

import os
import sys
from pathlib import Path

from brownie import accounts, network
from web3 import Web3

from oracle.chain.platform import deploy_platform
from oracle.chain.sender import Sender
from oracle.types import Address


def main(out: str = "") -> Path:
    if network.rpc.is_active() and network.rpc.is_child():
        sys.exit(
            "Error: brownie started this chain itself and stops it when the script ends, so the "
            "deployment would point at nothing. Start a chain that stays up first (`make run`, "
            "or `anvil` in another terminal) and run this against it (README.md, "
            '"Deploying by hand")'
        )
    # brownie caches some answers between blocks on a live network (a stale `pending`
    # nonce after a first transaction): send through a plain web3 on the same node.
    web3 = Web3(Web3.HTTPProvider(network.web3.provider.endpoint_uri))  # type: ignore[attr-defined]
    key = os.environ.get("COOP_DEPLOYER_KEY")
    sender = Sender.from_key(web3, key) if key else Sender(web3, Address(accounts[0].address))
    deployment = deploy_platform(sender)
    path = Path(out or f"deployments/{deployment.chain_id}.json").resolve()
    deployment.save(path)
    print(f"Deployed Coopetition on chain {deployment.chain_id}: addresses in {path}")
    for name in ("token", "registry", "book", "score_board", "vault", "grants"):
        print(f"  {name:12} {getattr(deployment, name)}")
    print(f"Point coop at it: export COOP_DEPLOYMENT={path}")
    return path
