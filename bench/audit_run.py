"""`coop audit` of a phase of 100,000 scored submissions in one run (issue 18).

Two parts, each measured in a fresh process (spawn) for its own peak RSS and CPU time:

1. `audit_ledger`, everything `coop audit` checks from the replayed ledger and the content
   store, in one call with the progress callbacks the CLI draws from, over a synthetic but
   consistent ledger of COOP_BENCH_AUDIT_RUN submissions (default 1,000; issue 18's size
   is 100,000) of the diabetes example: each from its own address with its own predictions
   file (distinct, so no near-copies and no CID met twice) in an embedded store, honestly
   scored, its private score opened against its commitment, the holdout revealed and the
   rewards root formed by the oracles' own `form_root` (its report in the store). Built
   beforehand (not timed) and handed to the auditing process as a pickle, as `read_ledger`
   would hand it over. The audit must find everything in order (report.ok, complete).
2. What `coop audit` reads from the chain: the replay (`read_ledger`), the score batches'
   signatures from their transactions and the grant payments, on a real anvil holding
   COOP_BENCH_AUDIT_RUN_CHAIN (default 600) real commits, reveals and 2-of-3 signed score
   batches of 100 (bench/api.py's `real_chain_events`), scaled to the ledger's size by
   events and batches when the two sizes differ (at 100,000 both: docs/scale.md).

The whole audit at 100,000 is part 1's one run plus part 2 scaled; the row says which is
which and the load it ran at.
"""

import json
import math
import multiprocessing
import os
import pickle
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
from eth_utils.crypto import keccak

from bench.api import real_chain_events
from bench.audit import NOBODY, SALT, TARGET_MINUTES, diabetes_material
from bench.memory import peak_rss_mib
from bench.report import REPORT, Row, record
from oracle.audit.findings import AuditReport
from oracle.audit.grants import check_grants
from oracle.audit.run import audit_ledger
from oracle.audit.signatures import check_signatures
from oracle.chain.anvil import start_anvil
from oracle.daemon.phase_end import form_root
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import (
    Challenge,
    EscrowMove,
    HoldoutReveal,
    Ledger,
    OracleSet,
    Phase,
    PrivateScore,
    Reveal,
    RewardRootPosted,
    Score,
    ScoreBatchPosted,
    Submission,
)
from oracle.ledger.replay import read_ledger
from oracle.scoring.commitment import holdout_commitment, private_commitment
from oracle.scoring.engine import score_submission
from oracle.status import Status
from oracle.types import WAD, Address

SUBMISSIONS = int(os.environ.get("COOP_BENCH_AUDIT_RUN", "1000"))
CHAIN_SUBMISSIONS = int(os.environ.get("COOP_BENCH_AUDIT_RUN_CHAIN", "600"))
# where the built phase is kept and found again (building 100,000 takes minutes); by default
# a temporary folder
KEEP = os.environ.get("COOP_BENCH_AUDIT_RUN_DIR")
BATCH = 100  # score items a batch, as the oracles post them
BOUNTY = 10_000 * WAD
LEDGER = "ledger.pickle"
# the steps' CPU rows measured separately at 100,000 before this bench (bench/audit.py and
# bench/audit_steps.py): what the one run is compared with when they are in the report
SUMMED_BEFORE = (
    "audit.recompute_100000_scores.cpu_seconds",
    "audit.licences_100000_submissions.cpu_seconds",
    "audit.ties_100000_submissions.cpu_seconds",
    "audit.near_copies_100000_submissions.cpu_seconds",
)
SCORE_CHECK_RSS = "audit.recompute_100000_scores.peak_rss_mib"


class _Files:
    """Distinct valid predictions files of the diabetes example: the training mean plus
    noise for every test row (the rows' ids and text made once, the values per file)."""

    def __init__(self, files: dict[str, bytes], seed: int) -> None:
        train = np.genfromtxt(files["train.csv"].splitlines(), delimiter=",", skip_header=1)
        test = np.genfromtxt(files["test_features.csv"].splitlines(), delimiter=",",
                             skip_header=1)  # fmt: skip
        self.ids = [str(int(i)) for i in test[:, 0]]
        self.mean = float(train[:, -1].mean())
        self.rng = np.random.default_rng(seed)

    def next(self) -> bytes:
        values = self.mean + self.rng.normal(0, 30, len(self.ids))
        rows = "".join(f"{i},{v:.6f}\n" for i, v in zip(self.ids, values, strict=True))
        return ("id,prediction\n" + rows).encode()


def build_phase(folder: Path, count: int) -> Path:
    """A revealed, opened and rewarded phase of `count` submissions: the store in
    folder/ipfs, the ledger pickled to folder/ledger.pickle (returned)."""
    folder.mkdir(parents=True, exist_ok=True)
    store = EmbeddedStore(folder / "ipfs")
    material = diabetes_material()
    files, spec_bytes, spec = material.files, material.spec_bytes, material.spec
    labels, holdout = material.labels, material.holdout
    spec_cid = str(store.add_bytes(spec_bytes).cid)
    reveal = HoldoutReveal(str(store.add_bytes(labels).cid), keccak(labels), SALT, 5, NOBODY)
    phase = Phase(0, spec_cid, False, spec.wad(spec.baseline), spec.wad(spec.target),
                  spec.eta_wad, 0, 1, 2, holdout_commitment(labels, SALT), BOUNTY, 1,
                  reveal)  # fmt: skip
    judges = OracleSet(1, (NOBODY,), 1, b"\1" * 32, 1, NOBODY, 0)
    challenge = Challenge(1, NOBODY, "", 300, 0, NOBODY, 0, 0, 0, spec_cid, 1, 86_400,
                          oracle_sets=[judges], phases=[phase],
                          escrow_moves=[EscrowMove((1, 0), BOUNTY, "deposit")])  # fmt: skip
    ledger = Ledger(last_block=5, challenges={1: challenge})
    made = _Files(files, seed=5)
    for sid in range(1, count + 1):
        data = made.next()
        result = score_submission(spec, holdout, data)
        assert result.valid and result.public_wad is not None and result.private_wad is not None
        salt = keccak(sid.to_bytes(32, "big"))
        seq = (sid - 1) // BATCH + 1
        ledger.submissions[sid] = Submission(
            sid, 1, Address(f"0x{sid:040x}"), 0, b"", 0, 2,
            reveal=Reveal(str(store.add_bytes(data).cid), (), (), 2),
            score=Score(seq, int(Status.VALID), result.public_wad,
                        private_commitment(sid, result.private_wad, salt), b"\0" * 32, 3, b"",
                        (3, sid)),
            private=PrivateScore(result.private_wad, salt, 4),
        )  # fmt: skip
    challenge.batches = [ScoreBatchPosted(1, 0, seq, b"", BATCH, NOBODY, 3, b"")
                         for seq in range(1, (count - 1) // BATCH + 2)]  # fmt: skip
    proposal = form_root(ledger, 1, 0, spec, store)  # what the oracles post, at block 5
    assert proposal is not None, "the rewards of the bench's phase pay nobody"
    assert str(store.add_bytes(proposal.report).cid) == proposal.report_cid
    root = proposal.root
    challenge.roots.append(RewardRootPosted(1, 0, root.seq, root.merkle_root, root.total,
                                            proposal.report_cid, 306, 6, b"", (6, 0)))  # fmt: skip
    challenge.escrow_moves.append(EscrowMove((6, 0), -root.total, "root posted"))
    ledger.last_block = 7
    path, building = folder / LEDGER, folder / f"{LEDGER}.part"
    building.write_bytes(pickle.dumps(ledger, protocol=pickle.HIGHEST_PROTOCOL))
    return building.rename(path)  # whole or not at all: a kept folder is found again by it


@dataclass
class Timed:
    """Wall and CPU seconds of each named step, from progress callbacks."""

    marks: list[tuple[str, float, float]] = field(default_factory=list)

    def step(self, name: str) -> None:
        self.marks.append((name, time.perf_counter(), time.process_time()))

    def steps(self) -> dict[str, tuple[float, float]]:
        pairs = zip(self.marks[:-1], self.marks[1:], strict=True)
        return {name: (wall2 - wall, cpu2 - cpu) for (name, wall, cpu), (_, wall2, cpu2) in pairs}


@dataclass(frozen=True)
class OneRun:
    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    steps: dict[str, tuple[float, float]]  # name: (wall, CPU) seconds
    checked: dict[str, int]
    last_tick: tuple[int, int]  # the progress bar's last (done, total)
    load: tuple[float, float]  # the 1-minute load average before and after


def audit_once(folder: Path) -> OneRun:
    """`audit_ledger` over the pickled ledger in `folder`, in this (fresh) process."""
    load = os.getloadavg()[0]
    timed = Timed()
    ticks: list[tuple[int, int]] = []
    timed.step("unpickling the ledger")
    ledger: Ledger = pickle.loads((folder / LEDGER).read_bytes())
    store = EmbeddedStore(folder / "ipfs")
    report = AuditReport(1, ledger.last_block)
    timed.step("notes")
    audit_ledger(ledger, ledger.challenge(1), store, report, timed.step,
                 lambda done, total: ticks.append((done, total)))  # fmt: skip
    timed.step("end")
    assert report.ok and report.complete, report.findings[:3] + report.unchecked[:3]
    steps = timed.steps()
    (_, wall, cpu), (_, end_wall, end_cpu) = timed.marks[1], timed.marks[-1]
    return OneRun(end_wall - wall, end_cpu - cpu, peak_rss_mib(), steps, dict(report.checked),
                  ticks[-1], (load, os.getloadavg()[0]))  # fmt: skip


@dataclass(frozen=True)
class ChainReads:
    submissions: int
    batches: int
    replay: tuple[float, float]  # (wall, CPU) seconds of read_ledger
    signatures: tuple[float, float]  # check_signatures
    grants: tuple[float, float]  # check_grants
    load: float


def chain_reads(count: int) -> ChainReads:
    """The audit's chain reads, timed on a real anvil chain of `count` submissions."""
    anvil = start_anvil()
    try:
        platform = real_chain_events(anvil.url, count)
        timed = Timed()
        timed.step("replay")
        ledger = read_ledger(platform)
        challenge = ledger.challenge(1)
        report = AuditReport(1, ledger.last_block)
        timed.step("signatures")
        check_signatures(platform, ledger, challenge, report)
        timed.step("grants")
        check_grants(platform, ledger, challenge, report)
        timed.step("end")
        assert report.ok and report.checked["signatures"] == 2 * len(challenge.batches), report
        steps = timed.steps()
        return ChainReads(count, len(challenge.batches), steps["replay"],
                          steps["signatures"], steps["grants"], os.getloadavg()[0])  # fmt: skip
    finally:
        anvil.stop()


T = TypeVar("T")


def _in_fresh_process(work: Callable[..., T], *args: object) -> T:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(work, *args).result()


def _reported(names: tuple[str, ...]) -> float:
    """The sum of these rows' values in bench/report.json (0 when one is missing)."""
    rows = {r["name"]: r["value"] for r in json.loads(REPORT.read_text())}
    return sum(rows[name] for name in names) if all(n in rows for n in names) else 0.0


def _one_run(folder: Path) -> OneRun:
    """Builds the phase in `folder` unless it holds one already, then audits it."""
    if not (folder / LEDGER).exists():
        started = time.perf_counter()
        _in_fresh_process(build_phase, folder, SUBMISSIONS)
        print(f"  built a phase of {SUBMISSIONS:,} in {time.perf_counter() - started:.0f} s")
    return _in_fresh_process(audit_once, folder)


def main() -> None:
    if KEEP is not None:
        run = _one_run(Path(KEEP) / str(SUBMISSIONS))
    else:
        with tempfile.TemporaryDirectory(prefix="coop-bench-audit-run-") as scratch:
            run = _one_run(Path(scratch))
    for name, (wall, cpu) in run.steps.items():
        print(f"    {name}: {wall:.1f} s, CPU {cpu:.1f} s")
    print(f"  audit_ledger of {SUBMISSIONS:,}: {run.seconds:.1f} s, CPU {run.cpu_seconds:.1f} s, "
          f"peak RSS {run.peak_rss_mib:.0f} MiB, load average {run.load[0]:.1f} to "
          f"{run.load[1]:.1f}; checked {run.checked}")  # fmt: skip
    assert run.checked["scores"] == SUBMISSIONS and run.checked["rewards"] == 1, run.checked
    assert run.last_tick == (SUBMISSIONS, SUBMISSIONS), run.last_tick
    chain = _in_fresh_process(chain_reads, CHAIN_SUBMISSIONS)
    # the replay and the grants go by events (a few per submission), the signatures by batch
    per_submission = (chain.replay[0] + chain.grants[0]) / chain.submissions
    scaled = per_submission * SUBMISSIONS + chain.signatures[0] / chain.batches * math.ceil(
        SUBMISSIONS / BATCH
    )
    print(f"  chain reads at {CHAIN_SUBMISSIONS:,} submissions ({chain.batches} batches, "
          f"load {chain.load:.1f}): replay {chain.replay[0]:.2f} s, "
          f"signatures {chain.signatures[0]:.2f} s, grants {chain.grants[0]:.2f} s; "
          f"scaled to {SUBMISSIONS:,}: {scaled:.1f} s")  # fmt: skip
    whole = (run.seconds + scaled) / 60
    how = "measured on" if CHAIN_SUBMISSIONS == SUBMISSIONS else "scaled from"
    verdict = "met" if whole <= TARGET_MINUTES else "not met"
    load = f"load average {run.load[0]:.1f} to {run.load[1]:.1f}"
    size = f"{SUBMISSIONS}_submissions"
    before = _reported(SUMMED_BEFORE)
    score_check_rss = _reported((SCORE_CHECK_RSS,))
    rows = [
        Row(f"audit.one_run_{size}.seconds", round(run.seconds, 1), "s",
            f"audit.one_run_{size}.cpu_seconds", round(run.cpu_seconds, 1),
            f"whole audit <= {TARGET_MINUTES:g} min: {verdict} ({whole:.1f} min: audit_ledger "
            f"in one run, {load}, plus the chain reads {scaled:.0f} s {how} anvil at "
            f"{CHAIN_SUBMISSIONS} submissions, load {chain.load:.1f})"),
        Row(f"audit.one_run_{size}.cpu_seconds", round(run.cpu_seconds, 1), "s",
            "audit.steps_summed_100000.cpu_seconds", round(before, 1),
            "report only: CPU time of the one run, beside the four steps measured one by one "
            "at 100,000 (scores, licences, ties, near-copies)"),
        Row(f"audit.one_run_{size}.peak_rss_mib", round(run.peak_rss_mib, 1), "MiB",
            SCORE_CHECK_RSS, score_check_rss,
            "bounded: the score check alone at 100,000 is the baseline"),
        Row(f"audit.chain_reads_{CHAIN_SUBMISSIONS}_submissions.seconds",
            round(chain.replay[0] + chain.signatures[0] + chain.grants[0], 2), "s",
            f"audit.chain_reads_{CHAIN_SUBMISSIONS}_submissions.cpu_seconds",
            round(chain.replay[1] + chain.signatures[1] + chain.grants[1], 2),
            f"report only: replay, signatures and grants on anvil (load {chain.load:.1f}); "
            f"{scaled:.0f} s scaled to {SUBMISSIONS:,}"),
    ]  # fmt: skip
    record(rows)


if __name__ == "__main__":
    main()
