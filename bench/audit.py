"""`coop audit` at scale: recomputing every score of a challenge, its time and peak memory.

What an audit does per scored submission is `oracle.audit.recompute.check_scores`: fetch
the artifact from the content store (every block verified against its CID) and score it
against the revealed holdout; everything else it does is per batch or per root, or the
ledger replay (measured by bench/api.py as catch-up and replay rates). This bench runs the
real `check_scores` (with the progress callback the CLI draws its bar from) over a
ledger of COOP_BENCH_AUDIT_SCORES scored submissions (default 20,000; issue 18's size is
100,000) of the diabetes example challenge: the labels revealed, 200 distinct real
predictions files in an embedded IPFS store, each submission naming one of them with its
honest score. A quarter of the size runs at the same time, so both see the same load and
the rows show whether time and memory grow faster than the count; each in a fresh process
(spawn), so its peak RSS (VmHWM) and CPU time are its own. The rows measure `check_scores`
only; bench/audit_run.py runs every step of the audit at once.
"""

import json
import multiprocessing
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from eth_utils.crypto import keccak

from bench.memory import peak_rss_mib
from bench.report import Row, record
from oracle.audit.findings import AuditReport
from oracle.audit.recompute import Fetcher, check_scores
from oracle.devnet.datasets import example_files, spec_path
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import Challenge, HoldoutReveal, Ledger, Phase, Reveal, Score, Submission
from oracle.scoring.commitment import holdout_commitment
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import Holdout, load_holdout
from oracle.spec import ChallengeSpec, load_spec
from oracle.types import Address

SCORES = int(os.environ.get("COOP_BENCH_AUDIT_SCORES", "20000"))
FILES = 200
TARGET_MINUTES = 10.0
SALT = bytes(range(32))
NOBODY = Address("0x" + "00" * 20)


def _predictions(files: dict[str, bytes], rng: np.random.Generator) -> bytes:
    """The training mean plus noise for every test row: a valid, distinct file."""
    train = np.genfromtxt(files["train.csv"].splitlines(), delimiter=",", skip_header=1)
    test = np.genfromtxt(files["test_features.csv"].splitlines(), delimiter=",", skip_header=1)
    values = train[:, -1].mean() + rng.normal(0, 30, len(test))
    rows = "".join(f"{int(i)},{v:.6f}\n" for i, v in zip(test[:, 0], values, strict=True))
    return ("id,prediction\n" + rows).encode()


@dataclass(frozen=True)
class Material:
    """The diabetes example's files, its spec (split salted with SALT) and its holdout."""

    files: dict[str, bytes]
    spec_bytes: bytes
    spec: ChallengeSpec
    labels: bytes
    holdout: Holdout


def diabetes_material() -> Material:
    files = example_files("diabetes-regression")
    spec_json = json.loads(spec_path("diabetes-regression").read_text())
    spec_json["split"]["salt_hash"] = "0x" + keccak(SALT).hex()
    spec_bytes = json.dumps(spec_json).encode()
    spec = load_spec(spec_bytes)
    labels = files["labels.csv"]
    return Material(files, spec_bytes, spec, labels, load_holdout(spec, labels, SALT))


def build_ledger(folder: Path, count: int) -> tuple[Ledger, EmbeddedStore]:
    """A ledger of `count` honestly scored submissions, its phase's holdout revealed."""
    store = EmbeddedStore(folder / "ipfs")
    material = diabetes_material()
    files, spec_bytes, spec = material.files, material.spec_bytes, material.spec
    labels, holdout = material.labels, material.holdout
    rng = np.random.default_rng(5)
    artifacts = []
    for _ in range(FILES):
        data = _predictions(files, rng)
        result = score_submission(spec, holdout, data)
        assert result.valid and result.public_wad is not None, result.reason
        artifacts.append((str(store.add_bytes(data).cid), int(result.status), result.public_wad))
    reveal = HoldoutReveal(str(store.add_bytes(labels).cid), keccak(labels), SALT, 3, NOBODY)
    phase = Phase(0, str(store.add_bytes(spec_bytes).cid), False, 0, 0, 1, 0, 0, 0,
                  holdout_commitment(labels, SALT), 0, 1, reveal)  # fmt: skip
    challenge = Challenge(1, NOBODY, "", 0, 0, NOBODY, 0, 0, 0, phase.spec_cid, 1, 0,
                          phases=[phase])  # fmt: skip
    ledger = Ledger(last_block=3, challenges={1: challenge})
    for sid in range(1, count + 1):
        cid, status, public = artifacts[sid % FILES]
        ledger.submissions[sid] = Submission(
            sid, 1, NOBODY, 0, b"", 0, 2, reveal=Reveal(cid, (), (), 2),
            score=Score(sid // 100, status, public, b"", b"", 2, b""),
        )  # fmt: skip
    return ledger, store


def audit_scores(count: int) -> tuple[float, float, float, int]:
    """(seconds check_scores took, its CPU seconds, peak RSS in MiB, scores checked) in this
    process; the CPU seconds do not depend on how loaded the machine is."""
    with tempfile.TemporaryDirectory(prefix="coop-bench-audit-") as scratch:
        ledger, store = build_ledger(Path(scratch), count)
        report = AuditReport(1, ledger.last_block)
        ticks = []
        started, cpu = time.perf_counter(), time.process_time()
        check_scores(ledger, ledger.challenge(1), Fetcher(store, report),
                     lambda done, _: ticks.append(done) if done % 1000 == 0 else None)  # fmt: skip
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert report.ok and report.complete, report.findings[:3] + report.unchecked[:3]
    assert ticks[-1] == count - count % 1000, ticks[-3:]
    return seconds, cpu, peak_rss_mib(), report.checked["scores"]


def main() -> None:
    sizes = (SCORES // 4, SCORES)
    load_before = os.getloadavg()[0]
    # Both sizes at once, each in a fresh process: they see the same load, so their rates
    # compare, and each peak RSS (VmHWM) is its own process's.
    context = multiprocessing.get_context("spawn")
    pools = [ProcessPoolExecutor(1, mp_context=context) for _ in sizes]
    futures = [pool.submit(audit_scores, count) for pool, count in zip(pools, sizes, strict=True)]
    results = dict(zip(sizes, (f.result() for f in futures), strict=True))
    for pool in pools:
        pool.shutdown()
    load = f"load average {load_before:.0f} to {os.getloadavg()[0]:.0f}"
    for count, (seconds, cpu, peak, checked) in results.items():
        assert checked == count, (checked, count)
        print(
            f"  {count:,} scores recomputed in {seconds:.1f} s ({count / seconds:.0f}/s), "
            f"CPU {cpu:.1f} s ({cpu / count * 1000:.2f} ms each), peak RSS {peak:.0f} MiB"
        )
    print(f"  {load}")
    small, full = results[sizes[0]], results[SCORES]
    minutes = full[0] / SCORES * 100_000 / 60
    verdict = "met" if minutes <= TARGET_MINUTES else "not met"
    at = "" if SCORES == 100_000 else " at this rate"
    rows = [
        Row(f"audit.recompute_{SCORES}_scores.seconds", round(full[0], 1), "s",
            f"audit.recompute_{sizes[0]}_scores.seconds", round(small[0], 1),
            f"100,000 scores <= {TARGET_MINUTES:g} min (check_scores only: every artifact "
            f"fetched, verified and scored; {load}): {verdict} ({minutes:.1f} min{at})"),
        Row(f"audit.recompute_{SCORES}_scores.cpu_seconds", round(full[1], 1), "s",
            f"audit.recompute_{sizes[0]}_scores.cpu_seconds", round(small[1], 1),
            "report only: CPU time of all threads, whatever the load; linear when the "
            "ratio is 4"),
        Row(f"audit.recompute_{SCORES}_scores.peak_rss_mib", round(full[2], 1), "MiB",
            f"audit.recompute_{sizes[0]}_scores.peak_rss_mib", round(small[2], 1),
            "bounded: the ratio shows the growth for 4x the scores"),
    ]  # fmt: skip
    record(rows)


if __name__ == "__main__":
    main()
