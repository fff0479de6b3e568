"""What the oracle benchmarks share: a fresh platform on anvil, three `coop oracle run`
processes (quorum 2) on it, and waiting for their ScoreRecorded events."""

import time
from dataclasses import dataclass
from pathlib import Path

from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.publish import PublishOptions
from oracle.chain.sender import Sender
from oracle.daemon.cluster import LocalOracle, oracle_group
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.replay import read_events

ORACLE_KEYS = list(ANVIL_KEYS[7:10])


@dataclass(frozen=True)
class BenchPlatform:
    w3: Web3
    owner: Sender
    platform: Platform
    store: EmbeddedStore  # BASE/ipfs, shared with the oracles


def deploy(base: Path, anvil: Anvil) -> BenchPlatform:
    """The contracts on `anvil`, deployment.json and the block store under `base`."""
    w3 = Web3(Web3.HTTPProvider(anvil.url, request_kwargs={"timeout": 60}))
    owner = Sender.from_key(w3, ANVIL_KEYS[0])
    deployment = deploy_platform(owner)
    deployment.save(base / "deployment.json")
    return BenchPlatform(w3, owner, Platform.connect(w3, deployment), EmbeddedStore(base / "ipfs"))


def publish_options(w3: Web3, owner: Sender, bounty: int) -> PublishOptions:
    return PublishOptions(
        bounty=bounty,
        oracles=tuple(Sender.from_key(w3, k).address for k in ORACLE_KEYS),
        quorum=2,
        arbiter=owner.address,
        commit_seconds=10**6,
        reveal_seconds=10**5,
    )


def start_oracles(base: Path, anvil: Anvil, **settings: str) -> list[LocalOracle]:
    """Three oracles serving what `deploy` made (the owner's holdouts in BASE/owner),
    started and healthy; `settings` become COOP_* variables."""
    env = {
        "COOP_RPC_URL": anvil.url,
        "COOP_DEPLOYMENT": str(base / "deployment.json"),
        "COOP_IPFS_DIR": str(base / "ipfs"),
        "COOP_HOLDOUT_DIR": str(base / "owner" / "holdouts"),
        "COOP_ORACLE_SHARED_KEY": "bench",
        "COOP_POLL_SECONDS": "0.2",
        "COOP_CONFIRMATIONS": "1",
        "COOP_FAILOVER_SECONDS": "3",
        **{f"COOP_{k.upper()}": v for k, v in settings.items()},
    }
    oracles = oracle_group(base / "oracles", ORACLE_KEYS, env)
    try:
        for oracle in oracles:
            oracle.start()
        for oracle in oracles:
            oracle.wait_healthy(120)
    except BaseException:
        for oracle in oracles:
            oracle.kill()
        raise
    return oracles


def wait_scored(
    platform: Platform, ids: set[int], oracles: list[LocalOracle], timeout: float
) -> dict[int, int]:
    """submission id → block of its ScoreRecorded, once every id has one."""
    deadline = time.monotonic() + timeout
    while True:
        found = {
            int(e["submissionId"]): e.block_number
            for e in read_events(platform)
            if e.name == "ScoreRecorded"
        }
        if ids <= set(found):
            return found
        if time.monotonic() > deadline:
            tails = "\n".join(o.tail(10) for o in oracles)
            raise TimeoutError(f"{len(ids - set(found))} submissions not scored:\n{tails}")
        time.sleep(0.5)


def timestamps(w3: Web3, blocks: set[int]) -> dict[int, int]:
    return {b: int(w3.eth.get_block(b)["timestamp"]) for b in blocks}
