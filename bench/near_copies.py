"""The audit's (and the oracles') near-copies step at scale: its comparison part.

`oracle.ledger.near_copies.near_copies_among` on synthetic submissions of the diabetes
example: every prediction is the labels plus its own noise (independent models, tens of
percent apart), and one in a hundred is a copy of an earlier one with noise of 0.5% of
its spread, by another address. Reading each predictions file is the audit's
per-submission cost, measured by bench/audit.py; this times what grew as n^2: comparing.
Sizes: COOP_BENCH_NEAR_COPIES (default 10,000; issue 18's size is 100,000) and a tenth of
it, each in a fresh process (spawn) so its peak RSS (VmHWM) is its own. The baseline is
the same count compared pair by pair with the exact distance (`distance_ppm`), timed on
300 pairs and scaled by n^2 / 2.
"""

import json
import multiprocessing
import os
import time

import numpy as np
from eth_utils.address import to_checksum_address
from eth_utils.crypto import keccak

from bench.memory import peak_rss_mib
from bench.report import Row, record
from oracle.devnet.datasets import example_files, spec_path
from oracle.ledger.model import Reveal, Submission
from oracle.ledger.near_copies import Compared, near_copies_among
from oracle.scoring.labels import Holdout, load_holdout
from oracle.scoring.near_copy import distance_ppm
from oracle.spec import load_spec
from oracle.types import Address

SUBMISSIONS = int(os.environ.get("COOP_BENCH_NEAR_COPIES", "10000"))
TARGET_MINUTES = 10.0  # the whole audit's budget at 100,000 submissions (issue 18)
COPY_EVERY = 100
SALT = bytes(range(32))
OWNERS = [Address(to_checksum_address(k.to_bytes(20, "big"))) for k in range(1, 1001)]


def _holdout() -> Holdout:
    files = example_files("diabetes-regression")
    spec_json = json.loads(spec_path("diabetes-regression").read_text())
    spec_json["split"]["salt_hash"] = "0x" + keccak(SALT).hex()
    spec = load_spec(json.dumps(spec_json).encode())
    return load_holdout(spec, files["labels.csv"], SALT)


def synthetic(count: int, holdout: Holdout) -> list[Compared]:
    """`count` submissions in commit order: independent models, one in COPY_EVERY a copy."""
    rng = np.random.default_rng(18)
    truth = holdout.labels.y.astype(np.float64)
    compared: list[Compared] = []
    for sid in range(count):
        if sid % COPY_EVERY == COPY_EVERY - 1:
            source = compared[int(rng.integers(sid))].predictions
            assert source is not None
            values = source + rng.normal(0, 0.005 * source.std(), truth.shape)
        else:
            values = truth + rng.normal(0, rng.uniform(30, 60), truth.shape)
        reveal = Reveal(f"bafy{sid}", (), (), 2)
        owner = OWNERS[sid % len(OWNERS)]
        compared.append(Compared(Submission(sid, 1, owner, 0, b"", 0, sid, reveal), values, None))
    return compared


def compare(count: int) -> tuple[float, float, int, int]:
    """(seconds, peak RSS in MiB, near-copies found, public rows) for `count` submissions."""
    holdout = _holdout()
    compared = synthetic(count, holdout)
    rows = holdout.part_rows["public"]
    limit = 20_000
    started = time.perf_counter()
    found = near_copies_among(compared, rows, limit)
    seconds = time.perf_counter() - started
    return seconds, peak_rss_mib(), len(found), len(rows)


def every_pair_seconds(count: int) -> float:
    """Comparing `count` submissions pair by pair, from the time of 300 exact distances."""
    holdout = _holdout()
    compared = synthetic(30, holdout)
    rows = holdout.part_rows["public"]
    pairs = [(a, b) for b in range(30) for a in range(b)][:300]
    started = time.perf_counter()
    for a, b in pairs:
        one, two = compared[a].predictions, compared[b].predictions
        assert one is not None and two is not None
        distance_ppm(one, two, rows)
    per_pair = (time.perf_counter() - started) / len(pairs)
    return per_pair * count * (count - 1) / 2


def main() -> None:
    context = multiprocessing.get_context("spawn")
    results = {}
    for count in (SUBMISSIONS // 10, SUBMISSIONS):
        with context.Pool(1) as pool:
            results[count] = pool.apply(compare, (count,))
        seconds, peak, found, public_rows = results[count]
        assert found >= count // COPY_EVERY, (found, count)  # every planted copy is caught
        print(f"  {count:,} submissions x {public_rows} public rows compared in {seconds:.1f} s, "
              f"{found} near-copies, peak RSS {peak:.0f} MiB; "
              f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    small, full = results[SUBMISSIONS // 10], results[SUBMISSIONS]
    minutes_100k = full[0] * (100_000 / SUBMISSIONS) ** 2 / 60
    plain = every_pair_seconds(SUBMISSIONS)
    report = [
        Row(f"near_copies.compare_{SUBMISSIONS}.seconds", round(full[0], 1), "s",
            f"near_copies.every_pair_{SUBMISSIONS}.seconds", round(plain, 1),
            f"the audit's near-copies step at 100,000 within the {TARGET_MINUTES:g}-minute "
            f"audit: {minutes_100k:.1f} min at 100,000 by n^2 from this size"),
        Row(f"near_copies.compare_{SUBMISSIONS}.peak_rss_mib", round(full[1], 1), "MiB",
            f"near_copies.compare_{SUBMISSIONS // 10}.peak_rss_mib", round(small[1], 1),
            "bounded: blocks of 2,048 x 2,048; the ratio shows the growth for 10x the count"),
    ]  # fmt: skip
    record(report)


if __name__ == "__main__":
    main()
