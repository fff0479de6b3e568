"""API and indexer speed: board and profile latency at 100,000 submissions, catch-up rate.

1. 100,000 synthetic submissions (2,000 participants) are written into a fresh index
   through the indexer's own apply path (`oracle.indexer.facts.apply_events`) from
   synthetic decoded events: commits, reveals (20% forks), score batches of 100 with
   Ladder releases, reviews. Baseline: the auditor's in-memory replay of the same events.
   Then the 2,000 profiles are rendered, as the indexer does once it has caught up
   (`oracle.indexer.profile_answers`); baseline: the time applying the events took.
2. `coop api serve --no-follow --workers 2` (uvicorn, two processes for two cores) serves
   that index on loopback;
   50 concurrent httpx clients fetch the public leaderboard (a random one of its first
   ten pages) and random profiles; p50/p95 latency. Baseline: /v1/status under the same
   load (framework and HTTP floor). Target: p95 <= 50 ms.
3. Catch-up from a real anvil chain: real transactions (commits, reveals, 2-of-3 signed
   score batches), then `Indexer.rebuild` reads them all; events/s. Baseline: the chain
   follower reading and decoding the same steps without writing anything.
"""

import asyncio
import os
import random
import secrets
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from eth_account import Account
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from web3 import Web3
from web3.types import Nonce, Wei

from bench.report import Row, merge_rows
from oracle.api.read.profiles import render_pending
from oracle.chain.anvil import ANVIL_KEYS, free_port, start_anvil
from oracle.chain.attestation import (
    ScoreItem,
    items_as_call_arg,
    ordered_signatures,
    score_batch,
    score_batch_typed_data,
    sign_typed,
)
from oracle.chain.challenges import ChallengeTerms, PhaseTerms, create_challenge, read_phase_judges
from oracle.chain.events import ChainEvent
from oracle.chain.follower import Cursor, Follower
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import compute_commitment
from oracle.indexer.facts import apply_events
from oracle.indexer.runner import Indexer
from oracle.indexer.schema import create_tables, open_index, write_meta
from oracle.ledger.replay import replay
from oracle.sqlite import transaction
from oracle.types import PPM, WAD

SUBMISSIONS = 100_000
PARTICIPANTS = 2_000
BATCH = 100
CLIENTS = 50
WORKERS = 2
REQUESTS = 4_000
ETA = 10**16
TARGET_P95_MS = 50.0
CHAIN_SUBMISSIONS = 1_200
ORACLE_KEYS = sorted(ANVIL_KEYS[7:10], key=lambda k: int(Account.from_key(k).address, 16))

# -- 1. synthetic index ---------------------------------------------------------------------


def _event(name: str, block: int, index: int, **args: object) -> ChainEvent:
    return ChainEvent("Synthetic", name, args, block, b"\0" * 32, b"\0" * 32, index)


def synthetic_events(seed: int = 7) -> Iterator[ChainEvent]:
    """A lower-is-better challenge and its submissions, batch by batch, in chain order."""
    rng = random.Random(seed)
    people = [to_checksum_address(f"0x{i + 1:040x}") for i in range(PARTICIPANTS)]
    config = {
        "token": people[0], "higherIsBetter": False, "baseline": 100 * WAD, "target": 40 * WAD,
        "eta": ETA, "disputeWindow": 3600, "disputeBond": 0, "arbiter": people[0],
        "dailyCap": 0, "commitBond": 0, "parentChallenge": 0, "noticePeriod": 86400,
    }  # fmt: skip
    phase = {"specCid": "bafkspec", "commitStart": 0, "commitEnd": 10**10,
             "revealEnd": 2 * 10**10, "holdoutCommitment": b"\1" * 32, "bounty": 0}  # fmt: skip
    yield _event("ChallengeCreated", 1, 0, challengeId=1, owner=people[0], config=config,
                 specCid="bafkspec")  # fmt: skip
    yield _event("PhaseAdded", 1, 1, challengeId=1, phase=0, config=phase, topUp=0)
    best: dict[str, int] = {}
    block = 2
    for start in range(1, SUBMISSIONS + 1, BATCH):
        ids = range(start, min(start + BATCH, SUBMISSIONS + 1))
        for i, sid in enumerate(ids):
            yield _event("Committed", block, i, submissionId=sid, challengeId=1,
                         submitter=people[sid % PARTICIPANTS], phase=0,
                         commitment=b"\2" * 32, bond=0)  # fmt: skip
        for i, sid in enumerate(ids):
            parents = (rng.randrange(1, start),) if start > 1 and rng.random() < 0.2 else ()
            yield _event("Revealed", block + 1, i, submissionId=sid, challengeId=1,
                         submitter=people[sid % PARTICIPANTS], artifactCid=f"bafkartifact{sid}",
                         parents=parents, weightsPpm=(PPM,) * len(parents))  # fmt: skip
        index = 0
        for sid in ids:
            who = people[sid % PARTICIPANTS]
            valid = rng.random() > 0.05
            score = rng.randrange(4_000, 10_000) * ETA if valid else 0
            yield _event("ScoreRecorded", block + 2, index, submissionId=sid, challengeId=1,
                         seq=start // BATCH + 1, status=0 if valid else 1, publicScore=score,
                         privateCommitment=b"\3" * 32, reportDigest=b"\0" * 32)  # fmt: skip
            index += 1
            if valid and (who not in best or best[who] - score >= ETA):
                best[who] = score
                yield _event("BestReleased", block + 2, index, challengeId=1, participant=who,
                             submissionId=sid, score=score)  # fmt: skip
                index += 1
        yield _event("ScoresPosted", block + 2, index, challengeId=1, phase=0,
                     seq=start // BATCH + 1, itemsHash=b"\4" * 32, itemCount=len(ids),
                     relayer=people[0])  # fmt: skip
        for i, sid in enumerate(ids):
            if rng.random() < 0.1:
                reviewer = people[(sid + 1) % PARTICIPANTS]
                yield _event("Reviewed", block + 3, i, submissionId=sid, challengeId=1,
                             reviewer=reviewer, verdict=1, reviewCid="bafkreview")  # fmt: skip
        block += 4


def build_synthetic_index(path: Path) -> tuple[int, float, float, float]:
    """(events, seconds through apply_events, seconds through the ledger replay, seconds to
    render the profiles, as the indexer does once it has caught up)."""
    events = list(synthetic_events())
    db = open_index(path)
    with transaction(db):
        create_tables(db)
        write_meta(db, {"schema_version": "1", "chain_id": "31337", "head_block": "0"})
    started = time.perf_counter()
    for start in range(0, len(events), 5_000):
        with transaction(db):
            apply_events(db, events[start : start + 5_000])
    applied = time.perf_counter() - started
    last = events[-1].block_number
    with transaction(db):
        write_meta(db, {"head_block": str(last), "head_time": "1"})
    started = time.perf_counter()
    rendered = render_pending(db)
    rendering = time.perf_counter() - started
    assert rendered == PARTICIPANTS, rendered
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    started = time.perf_counter()
    replay(events, last)  # the auditor folds the same decoded events in memory
    replayed = time.perf_counter() - started
    return len(events), applied, replayed, rendering


# -- 2. latency under load ------------------------------------------------------------------


def start_server(db: Path, data_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {**os.environ, "COOP_DATA_DIR": str(data_dir)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from oracle.cli.main import cli; cli(prog_name='coop')",
         "api", "serve", "--no-follow", "--no-access-log",
         "--db", str(db), "--port", str(port), "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/v1/status").raise_for_status()
            return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("coop api serve did not come up")


async def _client(host: str, port: int, paths: Iterator[str], latencies: list[float]) -> None:
    """One keep-alive HTTP/1.1 connection sending requests one after the other.

    A few lines of asyncio instead of an HTTP library: the load tool shares the two cores
    with the server, so it must cost as little as it can.
    """
    reader, writer = await asyncio.open_connection(host, port)
    try:
        for path in paths:
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = _content_length(head)
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
            if not head.startswith(b"HTTP/1.1 200"):
                raise RuntimeError(f"{path}: {head.splitlines()[0].decode()}")
    finally:
        writer.close()


def _content_length(head: bytes) -> int:
    for line in head.lower().split(b"\r\n"):
        if line.startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    raise RuntimeError("a response without Content-Length")


async def _load(url: str, paths: list[str]) -> list[float]:
    """Latencies (ms) of `paths` fetched by CLIENTS concurrent clients."""
    host, port = url.removeprefix("http://").split(":")
    queue = iter(paths)
    latencies: list[float] = []
    await asyncio.gather(*(_client(host, int(port), queue, latencies) for _ in range(CLIENTS)))
    return latencies


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(url: str, paths: list[str]) -> tuple[float, float]:
    asyncio.run(_load(url, paths[: CLIENTS * 4]))  # warm-up: connections, page cache
    latencies = asyncio.run(_load(url, paths))
    return percentile(latencies, 50), percentile(latencies, 95)


# -- 3. catch-up from a real chain ----------------------------------------------------------


def real_chain_events(url: str) -> Platform:
    """A challenge with CHAIN_SUBMISSIONS real commits, reveals and signed score batches."""
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 60}))
    owner = Sender.from_key(w3, ANVIL_KEYS[0])
    platform = Platform.connect(w3, deploy_platform(owner))
    now = w3.eth.get_block("latest")["timestamp"]
    oracles = tuple(Account.from_key(k).address for k in ORACLE_KEYS)
    terms = ChallengeTerms(token=platform.token.address, bounty=0, higher_is_better=False,
                           baseline=100 * WAD, target=40 * WAD, eta=ETA, oracles=oracles,
                           quorum=2, arbiter=owner.address)  # fmt: skip
    phase = PhaseTerms("bafkspec", now, now + 10**6, now + 2 * 10**6, b"\1" * 32, 0)
    challenge = create_challenge(platform, owner, terms, "bafkspec", phase)
    people = [w3.to_checksum_address(Account.from_key(k).address) for k in ANVIL_KEYS[1:7]]
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    salts: dict[int, tuple[ChecksumAddress, str, bytes]] = {}
    nonces = {p: int(w3.eth.get_transaction_count(p)) for p in people}
    for n in range(CHAIN_SUBMISSIONS):
        who = people[n % len(people)]
        artifact, salt = f"bafkartifact{n}", secrets.token_bytes(32)
        commitment = compute_commitment(w3.eth.chain_id, platform.book.address, challenge, who,
                                        artifact, (), (), salt)  # fmt: skip
        tx = platform.book.functions.commit(challenge, commitment).build_transaction(
            {"from": who, "gas": 200_000, "nonce": Nonce(nonces[who]), "gasPrice": Wei(10**9)}
        )
        w3.eth.send_transaction(tx)
        nonces[who] += 1
        salts[n + 1] = (who, artifact, salt)
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    for sid, (who, artifact, salt) in salts.items():
        tx = platform.book.functions.reveal(sid, artifact, [], [], salt).build_transaction(
            {"from": who, "gas": 200_000, "nonce": Nonce(nonces[who]), "gasPrice": Wei(10**9)}
        )
        w3.eth.send_transaction(tx)
        nonces[who] += 1
    w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
    w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]
    rng = random.Random(3)
    digest = read_phase_judges(platform, challenge, 0).config_digest
    ids = sorted(salts)
    for seq, start in enumerate(range(0, len(ids), BATCH), start=1):
        items = [ScoreItem(sid, 0, rng.randrange(4_000, 10_000) * ETA, b"\3" * 32, b"\0" * 32)
                 for sid in ids[start : start + BATCH]]  # fmt: skip
        batch = score_batch(challenge, 0, seq, digest, items)
        typed = score_batch_typed_data(batch, w3.eth.chain_id, platform.score_board.address)
        signatures = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
        owner.transact(platform.score_board.functions.postScores(
            batch.as_call_arg(), items_as_call_arg(items), signatures))  # fmt: skip
    return platform


def follow_only(platform: Platform) -> float:
    """Seconds the follower takes to read and decode every step, writing nothing."""
    follower = Follower(platform, confirmations=0)
    cursor = Cursor(sqlite3.connect(":memory:"), platform.deployment.block)
    started = time.perf_counter()
    while (step := follower.next_step(cursor)) is not None:
        cursor.apply(step)
    return time.perf_counter() - started


def catch_up_rate(folder: Path) -> tuple[int, float, float]:
    """(events, seconds to index them from scratch, seconds to only follow them)."""
    anvil = start_anvil()
    try:
        platform = real_chain_events(anvil.url)
        follow_only(platform)  # warm anvil's caches, so both timings below find them warm
        read_only = follow_only(platform)
        indexer = Indexer(
            folder / "chain.sqlite3", platform, None, confirmations=0, render_answers=render_pending
        )
        started = time.perf_counter()
        written = indexer.rebuild()
        indexed = time.perf_counter() - started
        indexer.close()
        return written, indexed, read_only
    finally:
        anvil.stop()


def main() -> None:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="coop-bench-api-") as scratch:
        folder = Path(scratch)
        db = folder / "index.sqlite3"
        events, applied, replayed, rendering = build_synthetic_index(db)
        print(f"synthetic index: {events} events, {SUBMISSIONS} submissions in {applied:.1f} s; "
              f"{PARTICIPANTS} profiles rendered in {rendering:.1f} s")  # fmt: skip
        print(
            f"load average before the load test: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        )
        rows.append(Row("indexer.apply_synthetic", round(events / applied), "events/s",
                        "ledger_replay_in_memory", round(events / replayed)))  # fmt: skip
        rows.append(Row(f"indexer.render_{PARTICIPANTS}_profiles.seconds", round(rendering, 2),
                        "s", "indexer.apply_synthetic.seconds", round(applied, 2)))  # fmt: skip
        process, url = start_server(db, folder, WORKERS)
        try:
            rng = random.Random(11)
            people = [to_checksum_address(f"0x{i + 1:040x}") for i in range(PARTICIPANTS)]
            board = ["/v1/challenges/1/leaderboard/public?limit=50"
                     + (f"&cursor={50 * rng.randrange(1, 10)}" if rng.random() < 0.5 else "")
                     for _ in range(REQUESTS)]  # fmt: skip
            profiles = [f"/v1/profiles/{rng.choice(people)}" for _ in range(REQUESTS)]
            floor50, floor95 = measure(url, ["/v1/status"] * REQUESTS)
            for name, paths in (("leaderboard", board), ("profile", profiles)):
                p50, p95 = measure(url, paths)
                print(f"{name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({CLIENTS} clients)")
                rows.append(Row(f"api.{name}.p50_ms", round(p50, 2), "ms", "api.status.p50_ms",
                                round(floor50, 2)))  # fmt: skip
                rows.append(Row(f"api.{name}.p95_ms", round(p95, 2), "ms", "api.status.p95_ms",
                                round(floor95, 2), f"<= {TARGET_P95_MS:g}"))  # fmt: skip
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        count, indexed, read_only = catch_up_rate(folder)
        print(
            f"catch-up: {count} events from anvil in {indexed:.2f} s "
            f"(follow only {read_only:.2f} s)"
        )
        rows.append(Row("indexer.catch_up_anvil", round(count / indexed), "events/s",
                        "follower_read_and_decode", round(count / read_only)))  # fmt: skip
    merge_rows(rows)
    for row in rows:
        print(row.as_json())


if __name__ == "__main__":
    main()
