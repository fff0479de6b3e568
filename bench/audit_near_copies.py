"""`coop audit`'s near-copy step at scale: what bounds a whole audit of 100,000 submissions.

Once a phase's private scores are opened and its holdout revealed, the audit re-derives
its uncredited near-copies (oracle/audit/near_copies.py): every valid submission is
compared with each earlier one by another address, n^2 / 2 pairs. This bench runs the real
`check_near_copies` over bench/audit.py's ledger of honestly scored submissions, each from
its own address with its private score opened, at COOP_BENCH_AUDIT_NEAR_COPIES
submissions (default 1,000) and half that, and extrapolates the CPU time to 100,000.
"""

import os
import tempfile
import time
from pathlib import Path

from bench.audit import TARGET_MINUTES, build_ledger
from bench.report import Row, merge_rows
from oracle.audit.findings import AuditReport
from oracle.audit.near_copies import check_near_copies
from oracle.ledger.model import PrivateScore
from oracle.types import Address

SUBMISSIONS = int(os.environ.get("COOP_BENCH_AUDIT_NEAR_COPIES", "1000"))
FULL = 100_000


def near_copies_cpu(count: int) -> float:
    """CPU seconds `check_near_copies` takes over `count` opened, valid submissions."""
    with tempfile.TemporaryDirectory(prefix="coop-bench-near-copies-") as scratch:
        ledger, store = build_ledger(Path(scratch), count)
        for sid, submission in ledger.submissions.items():
            submission.private = PrivateScore(1, b"", 3)  # opened: the step compares it
            submission.submitter = Address(f"0x{sid:040x}")  # each from its own address
        report = AuditReport(1, ledger.last_block)
        started = time.process_time()
        found = check_near_copies(ledger, ledger.challenge(1), store, report)
        seconds = time.process_time() - started
    assert report.ok and report.complete and 0 in found, report.findings + report.unchecked
    return seconds


def main() -> None:
    half = near_copies_cpu(SUBMISSIONS // 2)
    full = near_copies_cpu(SUBMISSIONS)
    per_pair = full / (SUBMISSIONS * (SUBMISSIONS - 1) / 2)
    hours = per_pair * FULL * (FULL - 1) / 2 / 3600
    print(f"  {SUBMISSIONS // 2:,}: {half:.1f} CPU s; {SUBMISSIONS:,}: {full:.1f} CPU s "
          f"({per_pair * 1e6:.0f} µs a pair); {FULL:,}: {hours:.0f} h extrapolated")  # fmt: skip
    verdict = "met" if hours * 60 <= TARGET_MINUTES else "not met"
    rows = [
        Row(f"audit.near_copies_{SUBMISSIONS}_submissions.cpu_seconds", round(full, 1), "s",
            f"audit.near_copies_{SUBMISSIONS // 2}_submissions.cpu_seconds", round(half, 1),
            f"{FULL:,} submissions <= {TARGET_MINUTES:g} min: {verdict} ({hours:.0f} h of CPU "
            f"extrapolated: n^2/2 pairs at {per_pair * 1e6:.0f} µs; ratio 4 for 2x the "
            "submissions is quadratic); docs/scale.md"),
    ]  # fmt: skip
    merge_rows(rows)
    for row in rows:
        print(row.as_json())


if __name__ == "__main__":
    main()
