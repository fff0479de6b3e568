"""brownie run scripts/deploy.py — deploys the platform and writes its addresses as JSON.

The deployer is COOP_DEPLOYER_KEY (a private key) when set, else the node's first unlocked
account (anvil's). The file goes to COOP_DEPLOYMENT (default: deployments/<chain id>.json).
"""

import os
from pathlib import Path

from brownie import accounts, web3

from oracle.chain.platform import deploy_platform
from oracle.chain.sender import Sender
from oracle.types import Address


def main() -> Path:
    key = os.environ.get("COOP_DEPLOYER_KEY")
    sender = Sender.from_key(web3, key) if key else Sender(web3, Address(accounts[0].address))
    deployment = deploy_platform(sender)
    path = Path(os.environ.get("COOP_DEPLOYMENT", f"deployments/{deployment.chain_id}.json"))
    deployment.save(path)
    print(f"Deployed Coopetition on chain {deployment.chain_id}: addresses in {path}")
    for name in ("token", "registry", "book", "score_board", "vault"):
        print(f"  {name:12} {getattr(deployment, name)}")
    return path
