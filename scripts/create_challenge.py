"""brownie run scripts/create_challenge.py main SPEC LABELS — publish a challenge.

Validates SPEC against oracle/schemas/challenge-spec.v1.json before sending anything, draws
the split salt, uploads the spec to the embedded IPFS store, commits to the holdout labels,
escrows the bounty and prints the challenge id. Settings (env): COOP_DEPLOYMENT,
COOP_DATA_DIR, COOP_BOUNTY (whole tokens, default 1000), COOP_ORACLES (comma-separated,
default anvil accounts 7-9), COOP_QUORUM (default 2), COOP_OWNER_KEY (default: the node's
first unlocked account). The owner is minted the bounty on a dev chain if it lacks it.
"""

import os
from pathlib import Path

from brownie import accounts, web3
from eth_account import Account

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.deployment import Deployment
from oracle.chain.platform import Platform
from oracle.chain.publish import PublishOptions, publish_challenge
from oracle.chain.sender import Sender
from oracle.ipfs.embedded import EmbeddedStore
from oracle.spec import load_spec
from oracle.types import WAD, Address


def main(spec: str, labels: str) -> int:
    load_spec(Path(spec))  # fail before touching the chain
    chain_id = web3.eth.chain_id
    platform = Platform.connect(
        web3,
        Deployment.load(Path(os.environ.get("COOP_DEPLOYMENT", f"deployments/{chain_id}.json"))),
    )
    key = os.environ.get("COOP_OWNER_KEY")
    owner = Sender.from_key(web3, key) if key else Sender(web3, Address(accounts[0].address))
    bounty = int(os.environ.get("COOP_BOUNTY", "1000")) * WAD
    if platform.token.functions.balanceOf(owner.address).call() < bounty:
        owner.transact(platform.token.functions.mint(owner.address, bounty))
    default_oracles = ",".join(Account.from_key(k).address for k in ANVIL_KEYS[7:10])
    oracles = tuple(os.environ.get("COOP_ORACLES", default_oracles).split(","))
    data_dir = Path(os.environ.get("COOP_DATA_DIR", ".coop"))
    quorum = int(os.environ.get("COOP_QUORUM", "2"))
    options = PublishOptions(bounty=bounty, oracles=oracles, quorum=quorum, arbiter=owner.address)
    published = publish_challenge(platform, owner, EmbeddedStore(data_dir / "ipfs"), data_dir,
                                  Path(spec), Path(labels), options)  # fmt: skip
    print(f"Created challenge {published.challenge_id} (spec {published.spec_cid}).")
    print(f"Keep {published.secret_path}: it reveals the holdout at the end.")
    return published.challenge_id
