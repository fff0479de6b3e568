"""brownie run scripts/create_challenge.py main SPEC LABELS [DATA] — publish a challenge.

The same library call as `coop challenge create` (oracle/chain/publish.py): the spec, the
labels and the public data (DATA: the folder with the files the spec pins by CID; default
the labels' folder) are checked before anything is sent, the split salt is drawn, the data
and the spec go to the embedded IPFS store, the bounty is escrowed and the challenge id is
printed; the holdout secret stays in COOP_DATA_DIR/holdouts. Settings (env):
COOP_DEPLOYMENT (default COOP_DATA_DIR/deployment.json, `make run`'s), COOP_DATA_DIR,
COOP_IPFS_DIR, COOP_BOUNTY (whole tokens, default 1000), COOP_ORACLES (comma-separated,
default anvil accounts 7-9 on a dev chain), COOP_QUORUM (default 2), COOP_ARBITER (who
decides disputes; default anvil account 6 on a dev chain, required elsewhere: never the
owner by default), COOP_OWNER_KEY (default: the node's first unlocked account). The owner
is minted the bounty on a dev chain if it lacks it.
"""

import os
from pathlib import Path

from brownie import accounts, network
from web3 import Web3

from oracle.chain.deployment import Deployment
from oracle.chain.dev_chains import is_dev_chain
from oracle.chain.platform import Platform
from oracle.chain.publish import (
    PublishOptions,
    dev_arbiter,
    dev_oracles,
    publish_challenge,
)
from oracle.chain.sender import Sender
from oracle.ipfs.embedded import EmbeddedStore
from oracle.settings import load_settings
from oracle.types import WAD, Address


def main(spec: str, labels: str, data: str | None = None) -> int:
    # brownie caches some answers between blocks on a live network (a stale `pending`
    # nonce after a first transaction): send through a plain web3 on the same node.
    web3 = Web3(Web3.HTTPProvider(network.web3.provider.endpoint_uri))  # type: ignore[attr-defined]
    chain_id = web3.eth.chain_id
    settings = load_settings()  # COOP_DEPLOYMENT, COOP_DATA_DIR, COOP_IPFS_DIR (or coop.toml)
    platform = Platform.connect(web3, Deployment.load(settings.deployment))
    key = os.environ.get("COOP_OWNER_KEY")
    owner = Sender.from_key(web3, key) if key else Sender(web3, Address(accounts[0].address))
    bounty = int(os.environ.get("COOP_BOUNTY", "1000")) * WAD
    balance = platform.token.functions.balanceOf(owner.address).call()
    if is_dev_chain(chain_id) and balance < bounty:
        owner.transact(platform.token.functions.mint(owner.address, bounty - balance))
    named = os.environ.get("COOP_ORACLES")
    oracles = tuple(named.split(",")) if named else dev_oracles(chain_id) or ()
    data_dir = settings.data_dir
    quorum = int(os.environ.get("COOP_QUORUM", "2"))
    arbiter = os.environ.get("COOP_ARBITER") or dev_arbiter(chain_id)
    if not arbiter:
        raise SystemExit("set COOP_ARBITER to the address that decides disputes")
    options = PublishOptions(bounty=bounty, oracles=oracles, quorum=quorum, arbiter=arbiter)
    folder = Path(data) if data else Path(labels).parent
    published = publish_challenge(platform, owner, EmbeddedStore(settings.ipfs_path), data_dir,
                                  Path(spec), Path(labels), options, folder, print)  # fmt: skip
    print(f"Created challenge {published.challenge_id} (spec {published.spec_cid}).")
    print(f"Keep {published.secret_path}: it reveals the holdout at the end.")
    return published.challenge_id
