"""API and indexer speed: board and profile latency at scale, catch-up rate from a node.

1. COOP_BENCH_SUBMISSIONS synthetic submissions (default 100,000; issue 18's size is
   1,000,000) by a twentieth as many participants (50,000 at a million) are written into a
   fresh index through the indexer's own apply path (`oracle.indexer.facts.apply_events`)
   from synthetic decoded events, 5,000 at a time: commits, reveals (20% forks), score
   batches of 100 with Ladder releases, reviews. Baseline: the auditor's in-memory replay
   of the first 400,000 of the same events. Then every profile is rendered, as the indexer
   does once it has caught up (`oracle.indexer.profile_answers`); baseline: the time
   applying the events took.
2. `coop api serve --no-follow --workers 2` (uvicorn, two processes for two cores) serves
   that index on loopback; 50 concurrent clients fetch the public leaderboard (half the
   time one of its first ten pages, half the time any page down to the last) and random
   profiles; p50/p95 latency. Baseline: /v1/status under the same load (framework and
   HTTP floor). Target: p95 <= 50 ms; the row's target names the size and the machine's
   load average it ran at. Beside each, the server's CPU time a request (uvicorn's processes,
   from /proc), which other load on the machine does not stretch. `latency_main` runs only
   this part, on a copy of an index part 1 built.
3. Catch-up from a real anvil chain: real transactions (COOP_BENCH_CHAIN_SUBMISSIONS commits
   and reveals, default 1,200, then 2-of-3 signed score batches of 100), then
   `Indexer.rebuild` reads, decodes and writes them all and renders the profiles; events/s,
   best of three. Target >= 5,000 events/s. Baseline: web3's own path, `eth_getLogs`
   through web3 and `ContractEvent.process_log` per log (reading and decoding only, no
   writing), beside the lean path alone (raw `eth_getLogs`, oracle/chain/log_layouts.py).
"""

import asyncio
import itertools
import math
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sized
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from eth_account import Account
from eth_typing import ChecksumAddress
from eth_utils.address import to_checksum_address
from web3 import Web3
from web3.datastructures import AttributeDict
from web3.types import FilterParams, RPCEndpoint

from bench.report import Row, record
from oracle.api.read.profiles import render_pending
from oracle.chain.anvil import ANVIL_KEYS, free_port, start_anvil
from oracle.chain.artifacts import load_artifact
from oracle.chain.attestation import (
    ScoreItem,
    items_as_call_arg,
    ordered_signatures,
    score_batch,
    score_batch_typed_data,
    sign_typed,
)
from oracle.chain.challenges import (
    ChallengeTerms,
    PhaseRules,
    PhaseTerms,
    create_challenge,
    read_phase_judges,
)
from oracle.chain.events import ChainEvent, EventDecoder
from oracle.chain.log_layouts import EventLayout
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import compute_commitment
from oracle.indexer.facts import apply_events
from oracle.indexer.runner import Indexer
from oracle.indexer.schema import create_tables, open_index, write_meta
from oracle.ledger.replay import replay
from oracle.sqlite import transaction
from oracle.types import PPM, WAD

# COOP_BENCH_SUBMISSIONS=1000000 for issue 18's size; `make bench` runs a tenth of it
SUBMISSIONS = int(os.environ.get("COOP_BENCH_SUBMISSIONS", "100000"))
PARTICIPANTS = SUBMISSIONS // 20  # 50,000 at a million submissions
REPLAY_EVENTS = 400_000
BATCH = 100
CLIENTS = 50
WORKERS = 2
REQUESTS = 4_000
ETA = 10**16
TARGET_P95_MS = 50.0
CHAIN_SUBMISSIONS = int(os.environ.get("COOP_BENCH_CHAIN_SUBMISSIONS", "1200"))
TARGET_CATCH_UP = 5_000
ORACLE_KEYS = sorted(ANVIL_KEYS[7:10], key=lambda k: int(Account.from_key(k).address, 16))

# -- 1. synthetic index ---------------------------------------------------------------------


def _event(name: str, block: int, index: int, **args: object) -> ChainEvent:
    return ChainEvent("Synthetic", name, args, block, b"\0" * 32, b"\0" * 32, index)


def synthetic_events(seed: int = 7) -> Iterator[ChainEvent]:
    """A lower-is-better challenge and its submissions, batch by batch, in chain order."""
    rng = random.Random(seed)
    people = [to_checksum_address(f"0x{i + 1:040x}") for i in range(PARTICIPANTS)]
    config = {
        "token": people[0], "bounty": 0, "oracles": (people[0],), "quorum": 1,
        "disputeWindow": 3600, "disputeBond": 0, "arbiter": people[0], "noticePeriod": 86400,
        "dailyCap": 0, "commitBond": 0, "parentChallenge": 0, "scoringDeadline": 0,
        "maxOutageExtension": 0,
    }  # fmt: skip
    phase = {"specCid": "bafkspec", "higherIsBetter": False, "baseline": 100 * WAD,
             "target": 40 * WAD, "eta": ETA, "commitStart": 0, "commitEnd": 10**10,
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
                     relayer=people[0], correction=0)  # fmt: skip
        for i, sid in enumerate(ids):
            if rng.random() < 0.1:
                reviewer = people[(sid + 1) % PARTICIPANTS]
                yield _event("Reviewed", block + 3, i, submissionId=sid, challengeId=1,
                             reviewer=reviewer, verdict=1, reviewCid="bafkreview")  # fmt: skip
        block += 4


def build_synthetic_index(path: Path) -> tuple[int, float, float, float]:
    """(events, seconds through apply_events, seconds through the ledger replay, seconds to
    render the profiles, as the indexer does once it has caught up). The events are
    generated and applied 5,000 at a time, so a million submissions fit in memory; the
    replay baseline folds the first REPLAY_EVENTS of them (it holds all it folds)."""
    db = open_index(path)
    with transaction(db):
        create_tables(db)
        write_meta(db, {"schema_version": "1", "chain_id": "31337", "head_block": "0"})
    events, applied, last = 0, 0.0, 0
    stream = synthetic_events()
    while chunk := list(itertools.islice(stream, 5_000)):
        started = time.perf_counter()
        with transaction(db):
            apply_events(db, chunk)
        applied += time.perf_counter() - started
        events, last = events + len(chunk), chunk[-1].block_number
    with transaction(db):
        write_meta(db, {"head_block": str(last), "head_time": "1"})
    started = time.perf_counter()
    rendered = render_pending(db)
    rendering = time.perf_counter() - started
    assert rendered == PARTICIPANTS, rendered
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    folded = list(itertools.islice(synthetic_events(), REPLAY_EVENTS))
    started = time.perf_counter()
    replay(folded, folded[-1].block_number)  # the auditor folds decoded events in memory
    replayed = (time.perf_counter() - started) * events / len(folded)
    return events, applied, replayed, rendering


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
    deadline = time.monotonic() + 180  # a loaded machine takes a while to import the app
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


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    server_cpu_ms: float  # CPU time of the server's processes per request
    load: float  # the machine's 1-minute load average when the run ended


def process_tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of `pid` and its children (uvicorn's workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def fields(p: str) -> list[str]:
        return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

    total = 0.0
    for entry in os.listdir("/proc"):
        try:
            stat = fields(entry) if entry.isdigit() else None
        except OSError:  # the process ended meanwhile
            continue
        if stat is not None and (int(entry) == pid or int(stat[1]) == pid):
            total += (int(stat[11]) + int(stat[12])) / tick
    return total


def measure(url: str, paths: list[str], server_pid: int) -> Latency:
    asyncio.run(_load(url, paths[: CLIENTS * 4]))  # warm-up: connections, page cache
    cpu = process_tree_cpu_seconds(server_pid)
    latencies = asyncio.run(_load(url, paths))
    cpu = process_tree_cpu_seconds(server_pid) - cpu
    return Latency(percentile(latencies, 50), percentile(latencies, 95),
                   cpu * 1000 / len(paths), os.getloadavg()[0])  # fmt: skip


# -- 3. catch-up from a real chain ----------------------------------------------------------


BLOCK_TXS = 200  # transactions mined a block: under half of anvil's 30 M gas limit


def _send_all(w3: Web3, txs: list[dict[str, str]]) -> None:
    """Sends anvil-unlocked transactions in JSON-RPC batches (the chain, not the Python
    client, is what this part measures), mining a block after each batch, then blocks until
    all are in. A block stays under half full, so the base fee never rises above the 1 gwei
    they pay: sent all at once, full blocks raised it 12.5% each, the later transactions
    were priced out and never mined, and this waited for ever (from ~2,400 submissions)."""
    for start in range(0, len(txs), BLOCK_TXS):
        answers = w3.provider.make_batch_request(  # type: ignore[attr-defined]
            [(RPCEndpoint("eth_sendTransaction"), [tx]) for tx in txs[start : start + BLOCK_TXS]]
        )
        failed = [a["error"] for a in answers if "error" in a]
        if failed:
            raise RuntimeError(f"{len(failed)} transactions refused, the first: {failed[0]}")
        w3.provider.make_request(RPCEndpoint("evm_mine"), [])
    last_nonce = {tx["from"]: int(tx["nonce"], 16) for tx in txs}
    while any(w3.eth.get_transaction_count(to_checksum_address(who)) <= n
              for who, n in last_nonce.items()):  # fmt: skip
        w3.provider.make_request(RPCEndpoint("evm_mine"), [])


def real_chain_events(url: str, submissions: int) -> Platform:
    """A challenge with `submissions` real commits, reveals and 2-of-3 signed score
    batches (each batch a block of its own)."""
    w3 = Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 120}))
    owner = Sender.from_key(w3, ANVIL_KEYS[0])
    platform = Platform.connect(w3, deploy_platform(owner))
    now = w3.eth.get_block("latest")["timestamp"]
    oracles = tuple(Account.from_key(k).address for k in ORACLE_KEYS)
    terms = ChallengeTerms(token=platform.token.address, bounty=0, oracles=oracles, quorum=2,
                           arbiter=owner.address)  # fmt: skip
    rules = PhaseRules(False, 100 * WAD, 40 * WAD, ETA)
    phase = PhaseTerms("bafkspec", rules, now, now + 10**6, now + 2 * 10**6, b"\1" * 32, 0)
    challenge = create_challenge(platform, owner, terms, "bafkspec", phase)
    people = [w3.to_checksum_address(Account.from_key(k).address) for k in ANVIL_KEYS[1:7]]
    w3.provider.make_request(RPCEndpoint("evm_setAutomine"), [False])
    nonces = {p: int(w3.eth.get_transaction_count(p)) for p in people}

    def tx(who: ChecksumAddress, data: str) -> dict[str, str]:
        nonces[who] += 1
        return {"from": who, "to": platform.book.address, "data": data, "gas": hex(200_000),
                "gasPrice": hex(10**9), "nonce": hex(nonces[who] - 1)}  # fmt: skip

    opened: dict[bytes, tuple[ChecksumAddress, str, bytes]] = {}
    commits = []
    for n in range(submissions):
        who = people[n % len(people)]
        artifact, salt = f"bafkartifact{n}", secrets.token_bytes(32)
        commitment = compute_commitment(w3.eth.chain_id, platform.book.address, challenge, who,
                                        artifact, (), (), salt)  # fmt: skip
        commits.append(tx(who, platform.book.encode_abi("commit", [challenge, commitment])))
        opened[commitment] = (who, artifact, salt)
    _send_all(w3, commits)
    # the node orders a batch its own way: the ids come from the Committed events
    salts = {e["submissionId"]: opened[e["commitment"]]
             for e in EventDecoder(platform).read(0, int(w3.eth.block_number))
             if e.name == "Committed"}  # fmt: skip
    assert len(salts) == submissions, len(salts)
    _send_all(w3, [tx(who, platform.book.encode_abi("reveal", [sid, artifact, [], [], salt]))
                   for sid, (who, artifact, salt) in salts.items()])  # fmt: skip
    w3.provider.make_request(RPCEndpoint("evm_setAutomine"), [True])
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


def web3_read_and_decode(platform: Platform) -> list[AttributeDict[str, Any]]:
    """The baseline: `eth_getLogs` through web3 and each log decoded by web3's
    `ContractEvent.process_log`, the path the follower took before oracle/chain/log_layouts.py."""
    # the contracts the follower decodes (oracle/chain/events.py), by artifact name
    named = {"CoopToken": platform.token, "ChallengeRegistry": platform.registry,
             "SubmissionBook": platform.book, "ScoreBoard": platform.score_board,
             "RewardVault": platform.vault}  # fmt: skip
    contracts = list(named.values())
    by_topic = {}
    for name, contract in named.items():
        for abi in load_artifact(name).abi:
            if abi.get("type") == "event":
                layout = EventLayout.from_abi(name, abi)
                by_topic[(contract.address, layout.topic)] = contract.events[abi["name"]]()
    w3 = platform.w3
    logs = w3.eth.get_logs(FilterParams(fromBlock=platform.deployment.block, toBlock="latest",
                                        address=[c.address for c in contracts]))  # fmt: skip
    return [by_topic[(log["address"], bytes(log["topics"][0]))].process_log(log) for log in logs]


def lean_read_and_decode(platform: Platform) -> list[ChainEvent]:
    """What the follower does now: raw `eth_getLogs`, each log through its EventLayout."""
    return EventDecoder(platform).read(platform.deployment.block, int(platform.w3.eth.block_number))


def _best_seconds(action: Callable[[], Sized], repeats: int = 3) -> tuple[int, float, float]:
    """(items the action returned, its best wall time of `repeats`, that run's CPU time)."""
    best, cpu, count = math.inf, math.inf, 0
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        count = len(action())
        if (wall := time.perf_counter() - started) < best:
            best, cpu = wall, time.process_time() - started_cpu
    return count, best, cpu


@dataclass(frozen=True)
class CatchUp:
    events: int
    indexed_s: float  # Indexer.rebuild: read, decode, write, render the profiles
    lean_s: float  # read and decode only, the lean path
    web3_s: float  # read and decode only, web3's path
    indexed_cpu_s: float  # CPU time of this process in the best rebuild (anvil's not counted)
    web3_cpu_s: float


def catch_up_rate(folder: Path, submissions: int) -> CatchUp:
    anvil = start_anvil()
    try:
        platform = real_chain_events(anvil.url, submissions)
        count, web3_s, web3_cpu = _best_seconds(lambda: web3_read_and_decode(platform))
        lean_count, lean_s, _ = _best_seconds(lambda: lean_read_and_decode(platform))
        assert lean_count == count, (lean_count, count)
        indexers = iter(range(3))

        def rebuild() -> list[int]:
            indexer = Indexer(folder / f"chain{next(indexers)}.sqlite3", platform, None,
                              confirmations=0, render_answers=render_pending)  # fmt: skip
            try:
                return [0] * indexer.rebuild()  # one item per event written
            finally:
                indexer.close()

        written, indexed, indexed_cpu = _best_seconds(rebuild)
        return CatchUp(written, indexed, lean_s, web3_s, indexed_cpu, web3_cpu)
    finally:
        anvil.stop()


def catch_up_rows(chain: CatchUp) -> list[Row]:
    print(f"catch-up: {chain.events} events from anvil, indexed in {chain.indexed_s:.2f} s "
          f"({chain.indexed_cpu_s:.2f} s CPU); read and decoded in {chain.lean_s:.2f} s "
          f"(web3's path {chain.web3_s:.2f} s); load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    size = f"{chain.events} events, {CHAIN_SUBMISSIONS} submissions"
    return [
        Row("indexer.catch_up_anvil", round(chain.events / chain.indexed_s), "events/s",
            "web3_read_and_decode", round(chain.events / chain.web3_s),
            f">= {TARGET_CATCH_UP:g} ({size})"),
        Row("indexer.catch_up_anvil.per_cpu_second", round(chain.events / chain.indexed_cpu_s),
            "events/CPU-s", "web3_read_and_decode", round(chain.events / chain.web3_cpu_s),
            "report only: the indexer process's CPU time, which other load on the machine "
            "does not stretch"),
        Row("chain.read_and_decode_logs", round(chain.events / chain.lean_s), "events/s",
            "web3_read_and_decode", round(chain.events / chain.web3_s),
            "report only: eth_getLogs and decoding alone"),
    ]  # fmt: skip


def catch_up_main() -> None:
    """Only part 3: `python -c "from bench.api import catch_up_main; catch_up_main()"`."""
    with tempfile.TemporaryDirectory(prefix="coop-bench-catch-up-") as scratch:
        rows = catch_up_rows(catch_up_rate(Path(scratch), CHAIN_SUBMISSIONS))
    record(rows)


def latency_rows(db: Path, folder: Path) -> list[Row]:
    """Part 2 on the index at `db`: the board and profile rows, each beside /v1/status."""
    rows: list[Row] = []
    process, url = start_server(db, folder, WORKERS)
    try:
        rng = random.Random(11)
        people = [to_checksum_address(f"0x{i + 1:040x}") for i in range(PARTICIPANTS)]
        # half the first pages, half anywhere down the board (every participant has one)
        pages = [rng.randrange(10) if rng.random() < 0.5 else rng.randrange(PARTICIPANTS // 50)
                 for _ in range(REQUESTS)]  # fmt: skip
        board = [f"/v1/challenges/1/leaderboard/public?limit=50&cursor={50 * p}" if p else
                 "/v1/challenges/1/leaderboard/public?limit=50" for p in pages]  # fmt: skip
        profiles = [f"/v1/profiles/{rng.choice(people)}" for _ in range(REQUESTS)]
        floor = measure(url, ["/v1/status"] * REQUESTS, process.pid)
        size = f"{SUBMISSIONS} submissions, {PARTICIPANTS} participants, {CLIENTS} clients"
        for name, paths in (("leaderboard", board), ("profile", profiles)):
            run = measure(url, paths, process.pid)
            print(f"{name}: p50 {run.p50_ms:.1f} ms, p95 {run.p95_ms:.1f} ms ({CLIENTS} "
                  f"clients), {run.server_cpu_ms:.2f} ms server CPU a request, "
                  f"load average {run.load:.1f}")  # fmt: skip
            rows.append(Row(f"api.{name}.p50_ms", round(run.p50_ms, 2), "ms",
                            "api.status.p50_ms", round(floor.p50_ms, 2)))  # fmt: skip
            met = "met" if run.p95_ms <= TARGET_P95_MS else "not met"
            target = f"<= {TARGET_P95_MS:g} ({size}; load {run.load:.1f}): {met}"
            rows.append(Row(f"api.{name}.p95_ms", round(run.p95_ms, 2), "ms",
                            "api.status.p95_ms", round(floor.p95_ms, 2), target))  # fmt: skip
            rows.append(Row(f"api.{name}.server_cpu_ms", round(run.server_cpu_ms, 3), "ms",
                            "api.status.server_cpu_ms", round(floor.server_cpu_ms, 3),
                            "report only: the workers' CPU time a request, which other "
                            "load on the machine does not stretch"))  # fmt: skip
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    return rows


def latency_main() -> None:
    """Only part 2, on a copy of an index part 1 built (a million takes a quarter of an hour):
    `COOP_BENCH_SUBMISSIONS=1000000 python -c "from bench.api import latency_main;
    latency_main()" /tmp/index-copy.sqlite3`."""
    with tempfile.TemporaryDirectory(prefix="coop-bench-api-") as scratch:
        rows = latency_rows(Path(sys.argv[1]), Path(scratch))
    record(rows)


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
        rows += latency_rows(db, folder)
        rows += catch_up_rows(catch_up_rate(folder, CHAIN_SUBMISSIONS))
    record(rows)


if __name__ == "__main__":
    main()
