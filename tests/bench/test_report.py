"""bench/report.json keeps its order: a re-run replaces its own rows where they stand, so
the file's diff shows only the numbers that changed."""

import json
from pathlib import Path

from bench.report import Row, merge_rows


def test_a_rerun_replaces_its_rows_in_place_and_appends_new_ones(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps([{"name": "a", "value": 1}, {"name": "b", "value": 2}]))
    merge_rows([Row("a", 5, "s", "base", 1, "<= 9"), Row("c", 3, "s", "base", 1, "<= 9")], path)
    rows = json.loads(path.read_text())
    assert [(r["name"], r["value"]) for r in rows] == [("a", 5), ("b", 2), ("c", 3)]
    assert rows[0]["target"] == "<= 9"
