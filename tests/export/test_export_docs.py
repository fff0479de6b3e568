"""docs/export.md stays true: its schema is oracle/export/schema.py's, and every DuckDB query
it shows prints, on the export of the test story, exactly the output shown under it."""

import re
from pathlib import Path

import duckdb
import pytest

from oracle.chain.artifacts import REPO_ROOT
from oracle.export.schema import TABLES
from tests.export.export_story import Story

DOC = REPO_ROOT / "docs" / "export.md"
DUCK_TYPES = {
    "int64": "BIGINT", "int32": "INTEGER", "string": "VARCHAR", "bool": "BOOLEAN",
    "decimal128(38, 18)": "DECIMAL(38,18)", "timestamp[s, tz=UTC]": "TIMESTAMPTZ",
}  # fmt: skip
EXAMPLE = re.compile(r"```sql\n(.*?)```\s*```text\n(.*?)```", re.S)


def test_the_schema_section_lists_every_column_of_every_table() -> None:
    text = DOC.read_text()
    shown: dict[str, list[tuple[str, str, bool, str]]] = {}
    current = None
    for line in text.splitlines():
        if line.startswith("### "):
            current = line[4:].strip()
            shown[current] = []
        elif current and (row := re.match(r"\| `(\w+)` \| ([^|]+) \| (yes)? ?\| (.+) \|$", line)):
            name, duck, null, meaning = row.groups()
            shown[current].append((name, duck.strip(), null == "yes", meaning.strip()))
    expected = {
        table: [(c.name, DUCK_TYPES[str(c.type)], c.nullable, c.meaning) for c in columns]
        for table, columns in TABLES.items()
    }
    assert {t: shown.get(t) for t in expected} == expected


@pytest.fixture(scope="module")
def exported(story: Story, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("docs") / "challenge-1"
    story.coop("export", str(story.life.challenge_id), str(folder))
    return folder


def test_every_query_prints_what_the_page_shows(exported: Path) -> None:
    examples = EXAMPLE.findall(DOC.read_text())
    assert len(examples) >= 5
    con = duckdb.connect()
    for name in TABLES:
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM '{exported / name}.parquet'")
    for sql, shown in examples:
        assert str(con.sql(sql)).strip() == shown.strip(), sql


def test_the_grades_shown_are_the_storys(story: Story) -> None:
    grades = story.coop("export", str(story.life.challenge_id), "--grades").stdout
    section = DOC.read_text().split("## The teacher's view")[1]
    (shown,) = re.findall(r"```text\n(.*?)```", section, re.S)
    assert _without_amounts(grades) == _without_amounts(shown)


def _without_amounts(csv_text: str) -> list[list[str]]:
    """The grades without their token columns: amounts depend on the holdout split, which
    each run of the story draws afresh."""
    return [line.split(",")[:5] for line in csv_text.strip().splitlines()]
