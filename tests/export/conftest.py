"""Fixtures of the export tests: the story played once per module (export_story.py)."""

from tests.export.export_story import story  # noqa: F401  (fixture)
