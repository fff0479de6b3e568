"""bench/report.json: rows of {name, value, unit, baseline_name, baseline_value, ratio, target}."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

REPORT = Path(__file__).with_name("report.json")


@dataclass(frozen=True)
class Row:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float
    target: str = ""

    @property
    def ratio(self) -> float:
        return round(self.value / self.baseline_value, 3) if self.baseline_value else 0.0

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "ratio": self.ratio}


def merge_rows(rows: list[Row], path: Path = REPORT) -> None:
    """Replaces rows with the same name where they stand, appends new ones, keeps the others
    (other benchmarks' rows), so a re-run changes only its own lines of the file."""
    existing = json.loads(path.read_text()) if path.exists() else []
    fresh = {r.name: r.as_json() for r in rows}
    merged = [fresh.pop(r["name"], r) for r in existing] + list(fresh.values())
    path.write_text(json.dumps(merged, indent=2) + "\n")


def record(rows: list[Row], path: Path = REPORT) -> None:
    """merge_rows, then each row printed as JSON (what every bench ends with)."""
    merge_rows(rows, path)
    for row in rows:
        print(row.as_json())
