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
    """Replaces rows with the same name, keeps the others (other benchmarks' rows)."""
    existing = json.loads(path.read_text()) if path.exists() else []
    names = {r.name for r in rows}
    kept = [r for r in existing if r["name"] not in names]
    path.write_text(json.dumps(kept + [r.as_json() for r in rows], indent=2) + "\n")
