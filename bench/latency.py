"""Oracle latency and throughput: three `coop oracle run` processes (quorum 2) on anvil with
1-second blocks and a 10,000-row regression challenge (rmse).

- Latency: 200 submissions, revealed in rounds of ROUND per block while the oracles work;
  for each, the timestamp of the block holding its ScoreRecorded minus that of the block
  holding its Revealed (both mined, so block time is the clock). p50 and p95, against the
  chain's block time. Targets: p50 <= 3 s, p95 <= 6 s.
- Throughput: BURST submissions revealed at once; submissions scored and posted per minute
  from the first reveal block to the block of the last ScoreRecorded, against scoring the
  same files in one process with the engine alone. Target >= 300/min.

Oracle settings: confirmations 1, poll 0.2 s, fail-over 3 s; they share one embedded IPFS
block store directory with the driver (COOP_IPFS_DIR). Rows go to bench/report.json.
"""

import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.cluster import deploy, publish_options, start_oracles, timestamps, wait_scored
from bench.report import Row, record
from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.holdout_secrets import load_secret
from oracle.chain.platform import Platform
from oracle.chain.publish import publish_challenge
from oracle.chain.sender import Sender
from oracle.chain.submissions import compute_commitment
from oracle.daemon.cluster import LocalOracle
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.importer import import_bytes
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import load_holdout
from oracle.spec import load_spec

ROWS = 10_000
SUBMISSIONS = 200
ROUND = 10
BURST = 300
BLOCK_SECONDS = 1
PARTICIPANT_KEYS = list(ANVIL_KEYS[1:6])


def challenge_files(folder: Path, rng: np.random.Generator) -> tuple[Path, Path, np.ndarray]:
    """A synthetic regression challenge: spec, public files and the secret labels."""
    ids = np.arange(ROWS)
    x = rng.normal(size=(ROWS, 2))
    target = x @ np.array([1.5, -0.7]) + rng.normal(0, 0.5, ROWS)

    def csv(header: str, columns: list[np.ndarray]) -> bytes:
        body = "\n".join(
            ",".join(f"{c[i]:.6f}" if c.dtype.kind == "f" else str(c[i]) for c in columns)
            for i in range(ROWS)
        )
        return (header + "\n" + body + "\n").encode()

    files = {
        "train.csv": csv("x0,x1,target", [x[:, 0], x[:, 1], target]),
        "test_features.csv": csv("id,x0,x1", [ids, x[:, 0], x[:, 1]]),
        "sample_submission.csv": csv("id,prediction", [ids, np.full(ROWS, target.mean())]),
        "labels.csv": csv("id,target", [ids, target]),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    cid = {name: str(import_bytes(data).cid) for name, data in files.items()}
    spec = {
        "schema_version": 1,
        "title": "Synthetic regression, 10,000 test rows (oracle benchmark)",
        "description": "Two features, a linear target with noise.",
        "task": "regression",
        "metric": {"name": "rmse"},
        "direction": "lower",
        "columns": {"id": "id", "target": "target", "prediction": ["prediction"]},
        "split": {"public_fraction": "0.3", "salt_hash": "0x" + "00" * 32},
        "baseline": "2",
        "target": "0",
        "eta": "0.001",
        "max_artifact_bytes": 10485760,
        "scorer": {"kind": "builtin"},
        "data": {
            "train": cid["train.csv"],
            "test_features": cid["test_features.csv"],
            "public": {"sample_submission": cid["sample_submission.csv"]},
        },
        "limits": {"daily_cap": 0, "commit_bond_wei": 0},
        "rewards": {
            "improvement_bps": 6000,
            "prize_bps": 3000,
            "review_bps": 1000,
            "prize_ranks_bps": [5000, 3000, 2000],
            "review_cap_per_reviewer": 5,
            "fork_share_bps": 3000,
        },
    }
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec, indent=2))
    return spec_path, folder / "labels.csv", target


class Driver:
    """Participants sending commits and reveals many per block (anvil's unlocked accounts)."""

    def __init__(
        self, platform: Platform, store: EmbeddedStore, challenge_id: int, target: np.ndarray
    ) -> None:
        self.platform = platform
        self.store = store
        self.challenge_id = challenge_id
        self.target = target
        self.people = [Sender.from_key(platform.w3, k).address for k in PARTICIPANT_KEYS]
        self.count = 0
        self.rng = np.random.default_rng(5)
        self.artifacts: dict[int, bytes] = {}

    def artifact(self) -> bytes:
        noisy = self.target + self.rng.normal(0, 0.1 + self.rng.random(), ROWS)
        rows = "\n".join(f"{i},{v:.6f}" for i, v in enumerate(noisy))
        return ("id,prediction\n" + rows + "\n").encode()

    def wave(self, n: int) -> list[tuple[int, int]]:
        """Commits n submissions (in one block if the node allows), then reveals them all;
        returns (submission id, reveal block)."""
        w3, book = self.platform.w3, self.platform.book
        chain_id = w3.eth.chain_id
        planned = []
        hashes = []
        for _ in range(n):
            who = self.people[self.count % len(self.people)]
            self.count += 1
            data = self.artifact()
            cid = str(self.store.add_bytes(data).cid)
            salt = os.urandom(32)
            commitment = compute_commitment(
                chain_id, book.address, self.challenge_id, who, cid, (), (), salt
            )
            planned.append((who, cid, salt, data))
            hashes.append(
                book.functions.commit(self.challenge_id, commitment).transact(
                    {"from": who, "gas": 300_000}
                )
            )
        ids = []
        for tx in hashes:
            receipt = w3.eth.wait_for_transaction_receipt(tx, timeout=120, poll_latency=0.1)
            (event,) = book.events.Committed().process_receipt(receipt)
            ids.append(int(event["args"]["submissionId"]))
        reveals = []
        for sid, (who, cid, salt, data) in zip(ids, planned, strict=True):
            self.artifacts[sid] = data
            reveals.append(
                book.functions.reveal(sid, cid, [], [], salt).transact(
                    {"from": who, "gas": 400_000}
                )
            )
        out = []
        for sid, tx in zip(ids, reveals, strict=True):
            receipt = w3.eth.wait_for_transaction_receipt(tx, timeout=120, poll_latency=0.1)
            assert receipt["status"] == 1, f"reveal of {sid} failed"
            out.append((sid, int(receipt["blockNumber"])))
        return out


def main() -> None:
    rows: list[Row] = []
    anvil = start_anvil(block_time=BLOCK_SECONDS)
    oracles: list[LocalOracle] = []
    try:
        with tempfile.TemporaryDirectory(prefix="coop-bench-latency-") as scratch:
            base = Path(scratch)
            bench = deploy(base, anvil)
            w3, owner, platform, store = bench.w3, bench.owner, bench.platform, bench.store
            folder = base / "challenge"
            folder.mkdir()
            spec_path, labels_path, target = challenge_files(folder, np.random.default_rng(3))
            bounty = 1000 * 10**18
            owner.transact(platform.token.functions.mint(owner.address, bounty))
            published = publish_challenge(
                platform,
                owner,
                store,
                base / "owner",
                spec_path,
                labels_path,
                publish_options(w3, owner, bounty),
                public_data=folder,
            )
            oracles = start_oracles(base, anvil)
            driver = Driver(platform, store, published.challenge_id, target)
            print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

            revealed: dict[int, int] = {}
            for _ in range(SUBMISSIONS // ROUND):
                revealed.update(driver.wave(ROUND))
            scored = wait_scored(platform, set(revealed), oracles, 300)
            stamp = timestamps(w3, set(revealed.values()) | set(scored.values()))
            latencies = sorted(stamp[scored[s]] - stamp[b] for s, b in revealed.items())
            p50 = statistics.median(latencies)
            p95 = latencies[int(0.95 * (len(latencies) - 1))]
            print(
                f"latency over {len(latencies)} submissions: p50 {p50} s, p95 {p95} s "
                f"(min {latencies[0]}, max {latencies[-1]})"
            )
            rows.append(
                Row("oracle.latency.p50_s", p50, "s", "block_time_s", BLOCK_SECONDS, "<= 3")
            )
            rows.append(
                Row("oracle.latency.p95_s", p95, "s", "block_time_s", BLOCK_SECONDS, "<= 6")
            )

            burst = driver.wave(BURST)
            ids = {s for s, _ in burst}
            scored = wait_scored(platform, ids, oracles, 600)
            first = min(b for _, b in burst)
            last = max(scored[s] for s in ids)
            stamp = timestamps(w3, {first, last})
            seconds = max(1, stamp[last] - stamp[first])
            rate = BURST / seconds * 60
            baseline = _scoring_only_rate(
                store, published.spec_cid, published.secret_path, driver, ids
            )
            print(
                f"throughput: {BURST} submissions scored and posted in {seconds} s "
                f"({rate:.0f}/min); the engine alone scores {baseline:.0f}/min"
            )
            rows.append(
                Row(
                    "oracle.throughput_per_min_10k_rows",
                    round(rate),
                    "submissions/min",
                    "engine_alone_per_min",
                    round(baseline),
                    ">= 300",
                )
            )
    finally:
        for oracle in oracles:
            oracle.stop()
        anvil.stop()
    record(rows)


def _scoring_only_rate(
    store: EmbeddedStore, spec_cid: str, secret_path: Path, driver: Driver, ids: set[int]
) -> float:
    """Submissions per minute the engine scores in this process (no chain, no peers)."""
    spec = load_spec(store.cat(spec_cid))
    secret = load_secret(secret_path)
    holdout = load_holdout(spec, secret.labels(secret_path.parent), secret.salt_bytes)
    sample = sorted(ids)[:50]
    started = time.perf_counter()
    for sid in sample:
        score_submission(spec, holdout, driver.artifacts[sid])
    return len(sample) / (time.perf_counter() - started) * 60


if __name__ == "__main__":
    main()
