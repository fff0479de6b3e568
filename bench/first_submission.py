"""The first submission of a 2.8 M-row phase: the holdout loaded with it, or ahead of it.

Since the split hashes with hashlib (issue 19), loading a phase's holdout (read the labels,
hash the split) costs about 0.75 s more CPU than it did. The daemon now loads it when the
phase's commit window opens (oracle/daemon/preparing.py), so its first revealed submission
costs what any later one does. Side by side, each in a fresh process, runs alternating,
best of REPEATS, on bench/scoring.py's files:
- before: the first submission loads the holdout itself (`load_holdout` + score);
- now: the holdout was prepared when the phase opened, the first submission only scores;
- the preparation alone (`load_holdout`), paid once per phase off the submissions' path.
"""

import os
import tempfile
from pathlib import Path

from bench.report import Row, merge_rows
from bench.scoring import agree, race, write_files

REPEATS = 3
BEFORE = "first submission loading the holdout itself (load_holdout + score, as before)"
HASHLIB_BEFORE = 1.85  # s CPU, the first submission with the split's SHA-256 in numba


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        print("  writing the 2.8 M-row files ...")
        labels, preds = write_files(Path(tmp))
        print("  first submission: holdout loaded with it / prepared ahead / preparing ...")
        before, now, preparing = race(["cold", "ours", "holdout"], labels, preds, REPEATS)
        agree(now, before)
    name = "scoring.rmse_2817131_rows.first_submission"
    rows = [
        Row(f"{name}.cpu_seconds", round(now.cpu_seconds, 3), "s", BEFORE,
            round(before.cpu_seconds, 3), f"<= {HASHLIB_BEFORE} s: no slower than before the "
            "hashlib split; the holdout prepared when the phase's commits opened"),
        Row(f"{name}.seconds", round(now.seconds, 3), "s", BEFORE, round(before.seconds, 3),
            "report only: wall time (follows the machine's load)"),
        Row("scoring.holdout_2817131_rows.prepare.cpu_seconds", round(preparing.cpu_seconds, 3),
            "s", BEFORE, round(before.cpu_seconds, 3), "report only: once per phase, on the "
            "daemon's prepare thread, before any submission is revealed"),
    ]  # fmt: skip
    merge_rows(rows)
    print(f"  first submission CPU: {now.cpu_seconds:.3f} s prepared ahead, "
          f"{before.cpu_seconds:.3f} s loading the holdout itself "
          f"({now.cpu_seconds / before.cpu_seconds:.3f}x); preparing {preparing.cpu_seconds:.3f}"
          f" s once per phase; wall {now.seconds:.3f} s / {before.seconds:.3f} s; "
          f"load average {os.getloadavg()[0]:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
