"""Helpers for the scoring tests: example specs (varied), small CSV files, the example data."""

import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from oracle.spec import ChallengeSpec, load_spec

ROOT = Path(__file__).resolve().parents[3]
SPECS = ROOT / "examples" / "specs"
SALT = bytes(range(32))


def spec_json(name: str, **changes: Any) -> dict[str, Any]:
    """An example spec's JSON, with `a__b=value` setting data["a"]["b"]."""
    data: dict[str, Any] = json.loads((SPECS / f"{name}.json").read_text())
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return data


def make_spec(name: str = "diabetes-regression", **changes: Any) -> ChallengeSpec:
    return load_spec(json.dumps(spec_json(name, **changes)).encode())


def csv_bytes(header: str, rows: Sequence[Sequence[object]]) -> bytes:
    return (header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows)).encode()


def load_make_data() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_data", SPECS / "make_data.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
