"""`python -m bench [--only NAME]`: run the benchmarks and write bench/report.json."""

import argparse

from bench import (
    api,
    audit,
    audit_run,
    audit_steps,
    coderuns,
    first_submission,
    gas,
    latency,
    near_copies,
    sandbox,
    scoring,
    scoring_formats,
    ties,
)

BENCHMARKS = {"gas": gas.main, "scoring": scoring.main, "scoring_formats": scoring_formats.main,
              "scoring_shapes": scoring_formats.shapes_main,
              "first_submission": first_submission.main,
              "api": api.main, "latency": latency.main, "sandbox": sandbox.main,
              "coderuns": coderuns.main, "audit": audit.main,
              "audit_steps": audit_steps.main, "audit_run": audit_run.main, "ties": ties.main,
              "near_copies": near_copies.main}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=sorted(BENCHMARKS), help="run one benchmark")
    args = parser.parse_args()
    for name, run in BENCHMARKS.items():
        if args.only in (None, name):
            print(f"== bench: {name}")
            run()


if __name__ == "__main__":
    main()
