"""`coop audit`'s steps besides the scores at scale: what bounds a whole audit of 100,000.

Once a phase's private scores are opened and its holdout revealed, the audit also checks
every submission's licence (oracle/audit/licences.py), recomputes the private board's
bootstrap intervals and tie groups (oracle/audit/ties.py) and re-derives the uncredited
near-copies (oracle/audit/near_copies.py: every valid submission against each earlier
one by another address). This bench runs the real `check_licences`,
`check_ties` and `check_near_copies` over bench/audit.py's ledger of honestly scored
submissions, each from its own address with its private score opened and its batch
posted, at COOP_BENCH_AUDIT_STEPS submissions (default 1,000) and half that, and
extrapolates each step's CPU time to 100,000 by how it grows. All three now grow
linearly at these sizes: the near-copies step reads every predictions file (linear), and
its comparison of all pairs goes through a BLAS screen whose n^2 part is a few
milliseconds here; that part is measured at the full 100,000 by bench/near_copies.py
(the two add up).
"""

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.audit import NOBODY, TARGET_MINUTES, build_ledger
from bench.report import Row, record
from oracle.audit.findings import AuditReport
from oracle.audit.licences import check_licences
from oracle.audit.near_copies import check_near_copies
from oracle.audit.recompute import Fetcher
from oracle.audit.ties import check_ties
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.model import Ledger, PrivateScore, ScoreBatchPosted
from oracle.types import Address

SUBMISSIONS = int(os.environ.get("COOP_BENCH_AUDIT_STEPS", "1000"))
FULL = 100_000
Step = Callable[[Ledger, EmbeddedStore, AuditReport], object]
STEPS: dict[str, tuple[Step, bool]] = {  # name: (the audit's step, whether it goes by pairs)
    "licences": (lambda ledger, store, report: check_licences(
        ledger, ledger.challenge(1), Fetcher(store, report)), False),
    "ties": (lambda ledger, store, report: check_ties(
        ledger, ledger.challenge(1), store, report), False),
    "near_copies": (lambda ledger, store, report: check_near_copies(
        ledger, ledger.challenge(1), store, report), False),  # + bench/near_copies.py
}  # fmt: skip


def steps_cpu(count: int) -> dict[str, float]:
    """CPU seconds each step takes over `count` opened, valid submissions."""
    with tempfile.TemporaryDirectory(prefix="coop-bench-audit-steps-") as scratch:
        ledger, store = build_ledger(Path(scratch), count)
        for sid, submission in ledger.submissions.items():
            submission.private = PrivateScore(1, b"", 3)  # opened: ties and near-copies run
            submission.submitter = Address(f"0x{sid:040x}")  # each from its own address
        ledger.challenge(1).batches = [
            ScoreBatchPosted(1, 0, seq, b"", 100, NOBODY, 2, b"") for seq in range(count // 100 + 1)
        ]  # the batches the bench's scores name (seq = id // 100)
        seconds = {}
        for name, (step, _) in STEPS.items():
            report = AuditReport(1, ledger.last_block)
            started = time.process_time()
            step(ledger, store, report)
            seconds[name] = time.process_time() - started
            assert report.ok and report.complete and report.checked[name.replace("_", "-")], (
                name,
                report,
            )
    return seconds


def main() -> None:
    half, full = steps_cpu(SUBMISSIONS // 2), steps_cpu(SUBMISSIONS)
    rows = []
    for name, (_, by_pairs) in STEPS.items():
        scale = (
            FULL * (FULL - 1) / (SUBMISSIONS * (SUBMISSIONS - 1))
            if by_pairs
            else FULL / SUBMISSIONS
        )
        minutes = full[name] * scale / 60
        verdict = "met" if minutes <= TARGET_MINUTES else "not met"
        growth = "n^2/2 pairs: ratio 4 for 2x" if by_pairs else "linear: ratio 2 for 2x"
        print(f"  {name}: {half[name]:.1f} CPU s at {SUBMISSIONS // 2:,}, {full[name]:.1f} at "
              f"{SUBMISSIONS:,}; {minutes:,.0f} min extrapolated to {FULL:,}")  # fmt: skip
        rows.append(Row(
            f"audit.{name}_{SUBMISSIONS}_submissions.cpu_seconds", round(full[name], 2), "s",
            f"audit.{name}_{SUBMISSIONS // 2}_submissions.cpu_seconds", round(half[name], 2),
            f"{FULL:,} submissions <= {TARGET_MINUTES:g} min: {verdict} ({minutes:,.0f} min of "
            f"CPU extrapolated, {growth}); docs/scale.md",
        ))  # fmt: skip
    record(rows)


if __name__ == "__main__":
    main()
