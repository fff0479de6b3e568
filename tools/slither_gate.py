"""Runs slither on the contracts and fails on any high or medium finding not triaged.

Triaged findings are (detector, function) pairs in tools/slither-triage.json, each with
the reason it is acceptable; docs/security.md explains them for people.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIAGE = ROOT / "tools" / "slither-triage.json"
GATED = {"High", "Medium"}


def function_of(finding: dict) -> str:
    for element in finding.get("elements", []):
        if element.get("type") == "function":
            parent = element.get("type_specific_fields", {}).get("parent", {}).get("name", "")
            return f"{parent}.{element['name']}"
    return "?"


def main() -> int:
    cmd = [
        str(Path(sys.executable).parent / "slither"), ".",
        "--foundry-out-directory", "build/forge/out",
        "--filter-paths", "node_modules|tests/forge",
        "--exclude-informational", "--exclude-low", "--exclude-optimization",
        "--json", "-",
    ]  # fmt: skip
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stdout[-4000:], run.stderr[-4000:], sep="\n")
        print("slither did not produce a JSON report", file=sys.stderr)
        return 2
    triaged = {(t["detector"], t["function"]) for t in json.loads(TRIAGE.read_text())}
    findings = report.get("results", {}).get("detectors", [])
    open_findings = []
    for finding in findings:
        if finding["impact"] not in GATED:
            continue
        key = (finding["check"], function_of(finding))
        status = "triaged" if key in triaged else "OPEN"
        print(f"[{status}] {finding['impact']} {key[0]} in {key[1]}")
        if key not in triaged:
            open_findings.append(finding["description"].strip())
    if open_findings:
        hint = "fix them, or explain them in tools/slither-triage.json and docs/security.md"
        print(f"\nUntriaged high/medium findings ({hint}):\n" + "\n".join(open_findings))
        return 1
    print(f"slither: {len(findings)} high/medium findings, all triaged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
