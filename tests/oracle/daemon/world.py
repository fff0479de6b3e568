"""A challenge on a real anvil chain with real `coop oracle run` processes around it.

The chain mines a block every 0.25 s (interval mining), so confirmations work as on a live
chain. IPFS: every process (the test, the owner, the oracles) uses one embedded block store
directory (COOP_IPFS_DIR); blocks are written by atomic rename, so processes share it
safely, and every read is still verified against its CID. The owner's holdout secrets
(holdouts/) are what each oracle gets as COOP_HOLDOUT_DIR.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
from sklearn.linear_model import LinearRegression
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS, Anvil, start_anvil
from oracle.chain.events import ChainEvent
from oracle.chain.holdout_reveal import reveal_stored_holdout
from oracle.chain.holdout_secrets import HoldoutSecret, secret_in
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.publish import PublishOptions
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.daemon.cluster import LocalOracle, oracle_group
from oracle.devnet.datasets import example_files
from oracle.devnet.seed import seed_example
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import Ledger
from oracle.ledger.replay import read_events, read_ledger
from oracle.scoring.engine import ScoreResult, score_submission
from oracle.scoring.labels import Holdout, load_holdout
from oracle.spec import ChallengeSpec, load_spec

ORACLE_KEYS = list(ANVIL_KEYS[7:10])
PARTICIPANT_KEYS = list(ANVIL_KEYS[1:7])  # six participants: 30 commits a day under the cap
OWNER_KEY = ANVIL_KEYS[0]
EXAMPLE = "diabetes-regression"
BLOCK_SECONDS = 0.25
COMMIT_SECONDS = 100_000
REVEAL_SECONDS = 1000

T = TypeVar("T")


def predictions(files: dict[str, bytes], noise: float, seed: int) -> bytes:
    """A linear model's test predictions plus Gaussian noise (each seed its own file)."""
    train = np.genfromtxt(files["train.csv"].splitlines(), delimiter=",", skip_header=1)
    test = np.genfromtxt(files["test_features.csv"].splitlines(), delimiter=",", skip_header=1)
    ids, x_test = test[:, 0].astype(int), test[:, 1:]
    y = LinearRegression().fit(train[:, :-1], train[:, -1]).predict(x_test)
    y = y + np.random.default_rng(seed).normal(0.0, noise, len(y))
    rows = "".join(f"{i},{v!r}\n" for i, v in zip(ids, y.tolist(), strict=True))
    return ("id,prediction\n" + rows).encode()


@dataclass
class World:
    anvil: Anvil
    platform: Platform
    base: Path
    store: EmbeddedStore
    deployment_file: Path
    challenge_id: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    spec: ChallengeSpec | None = None
    oracles: list[LocalOracle] = field(default_factory=list)
    submitted: int = 0

    @property
    def w3(self) -> Web3:
        return self.platform.w3

    @classmethod
    def start(cls, base: Path) -> "World":
        anvil = start_anvil(block_time=BLOCK_SECONDS)
        try:
            w3 = Web3(Web3.HTTPProvider(anvil.url, request_kwargs={"timeout": 30}))
            deployment = deploy_platform(Sender.from_key(w3, OWNER_KEY))
            deployment_file = base / "deployment.json"
            deployment.save(deployment_file)
            store = EmbeddedStore(base / "ipfs")
            return cls(anvil, Platform.connect(w3, deployment), base, store, deployment_file)
        except BaseException:
            anvil.stop()
            raise

    def stop(self) -> None:
        for oracle in self.oracles:
            oracle.kill()
        self.anvil.stop()

    def publish(self, oracle_count: int, quorum: int, spec_file: Path | None = None) -> None:
        owner = Sender.from_key(self.w3, OWNER_KEY)
        oracles = tuple(Sender.from_key(self.w3, k).address for k in ORACLE_KEYS[:oracle_count])
        options = PublishOptions(
            bounty=1000 * 10**18,
            oracles=oracles,
            quorum=quorum,
            arbiter=owner.address,
            commit_seconds=COMMIT_SECONDS,
            reveal_seconds=REVEAL_SECONDS,
            dispute_window=300,
        )
        seeded = seed_example(
            self.platform, owner, self.store, self.base / "owner", EXAMPLE, options, spec_file
        )
        self.challenge_id = seeded.published.challenge_id
        self.files = example_files(EXAMPLE)
        self.spec = load_spec(self.store.cat(seeded.published.spec_cid))

    @property
    def holdout_dir(self) -> Path:
        return self.base / "owner" / "holdouts"

    def make_oracles(
        self, count: int, extra_env: dict[int, dict[str, str]] | None = None, **settings: str
    ) -> list[LocalOracle]:
        env = {
            "COOP_RPC_URL": self.anvil.url,
            "COOP_DEPLOYMENT": str(self.deployment_file),
            "COOP_IPFS_DIR": str(self.base / "ipfs"),
            "COOP_HOLDOUT_DIR": str(self.holdout_dir),
            "COOP_ORACLE_SHARED_KEY": "test oracles' shared key",
            "COOP_POLL_SECONDS": "0.2",
            "COOP_CONFIRMATIONS": "1",
            "COOP_FAILOVER_SECONDS": "2",
            "COOP_PEER_TIMEOUT_SECONDS": "3",
            **{f"COOP_{k.upper()}": v for k, v in settings.items()},
        }
        self.oracles = oracle_group(self.base / "oracles", ORACLE_KEYS[:count], env, extra_env)
        return self.oracles

    def start_oracles(self) -> None:
        for oracle in self.oracles:
            oracle.start()
        for oracle in self.oracles:
            oracle.wait_healthy()

    def add(self, artifact: bytes) -> str:
        return str(self.store.add_bytes(artifact).cid)

    def submit_cid(self, cid: str, who: int | None = None) -> int:
        """Commits and reveals `cid` from the next participant; returns the submission id."""
        key = PARTICIPANT_KEYS[self.submitted % len(PARTICIPANT_KEYS) if who is None else who]
        self.submitted += 1
        sender = Sender.from_key(self.w3, key)
        pending = commit(self.platform, sender, self.base / "participants", self.challenge_id, cid)
        return reveal(self.platform, sender, pending)

    def submit(self, artifact: bytes, who: int | None = None) -> int:
        return self.submit_cid(self.add(artifact), who)

    def artifact(self, seed: int, noise: float = 5.0) -> bytes:
        return predictions(self.files, noise * (1 + seed % 7), seed)

    def ledger(self) -> Ledger:
        return read_ledger(self.platform)

    def events(self, name: str) -> list[ChainEvent]:
        return [e for e in read_events(self.platform) if e.name == name]

    def labels(self) -> bytes:
        """The owner's labels of phase 0, found the way the oracles find them (by the
        holdout's commitment)."""
        return self.holdout_secret()[1].labels(self.holdout_dir)

    def holdout(self) -> Holdout:
        """The owner's holdout of phase 0, as the oracles load it."""
        assert self.spec is not None
        commitment, secret = self.holdout_secret()
        labels = secret.labels(self.holdout_dir)
        return load_holdout(self.spec, labels, secret.salt_bytes, commitment)

    def holdout_secret(self) -> tuple[bytes, HoldoutSecret]:
        commitment = self.ledger().challenges[self.challenge_id].phases[0].holdout_commitment
        found = secret_in(self.holdout_dir, commitment)
        assert found is not None
        return commitment, found[1]

    def expected(self, artifact: bytes) -> ScoreResult:
        """What an honest oracle computes for `artifact`."""
        assert self.spec is not None
        return score_submission(self.spec, self.holdout(), artifact)

    def travel(self, seconds: int) -> None:
        self.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def end_phase(self, oracles: list[LocalOracle]) -> None:
        """Moves chain time past the reveal end and waits for the oracles to open every
        private score."""
        self.travel(COMMIT_SECONDS + REVEAL_SECONDS + 10)
        wait_for(
            "the private scores",
            lambda: all(s.private for s in self.ledger().submissions_of(self.challenge_id)),
            60,
            oracles,
        )

    def settle(self, oracles: list[LocalOracle]) -> Ledger:
        """Ends the phase, has the owner reveal the holdout, and waits for the oracles'
        rewards root; the ledger that holds it."""
        self.end_phase(oracles)
        return self.reveal_and_wait_for_root()

    def reveal_and_wait_for_root(self, timeout: float = 60.0) -> Ledger:
        """The owner reveals phase 0's holdout; waits for the oracles' rewards root and
        returns the ledger holding it."""
        owner = Sender.from_key(self.w3, OWNER_KEY)
        reveal_stored_holdout(self.platform, owner, self.store, self.base / "owner",
                              self.challenge_id)  # fmt: skip
        return wait_for(
            "the rewards root",
            lambda: (led := self.ledger()).challenges[self.challenge_id].roots and led,
            timeout,
            self.oracles,
        )

    def scored_ids(self) -> set[int]:
        return {int(e["submissionId"]) for e in self.events("ScoreRecorded")}


LOAD_MARGIN = 3.0


def wait_for(
    what: str,
    check: Callable[[], T | None],
    timeout: float = 60.0,
    oracles: list[LocalOracle] | None = None,
) -> T:
    """Polls `check` until it returns something truthy; fails naming `what` and the logs.

    The timeout is a bound, not a speed claim (speed is measured in bench/): it is
    stretched by LOAD_MARGIN so a loaded CI machine does not fail a correct oracle."""
    timeout *= LOAD_MARGIN
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            logs = "\n".join(f"== {o.name}\n{o.tail(15)}" for o in oracles or [])
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{logs}")
        time.sleep(0.2)


def jitter(rng: random.Random, low: float, high: float) -> float:
    return rng.uniform(low, high)
