"""Specs are validated by the JSON schema and by the rules a schema cannot express."""

import json
from pathlib import Path
from typing import Any

import pytest

from oracle.errors import InvalidSpec
from oracle.spec import load_spec

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "specs" / "diabetes-regression.json"


def variant(**changes: Any) -> bytes:
    data = json.loads(EXAMPLE.read_text())
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for key in parents:
            node = node[key]
        node[last] = value
    return json.dumps(data).encode()


def test_example_spec_loads_with_exact_wad_values() -> None:
    spec = load_spec(EXAMPLE)
    assert spec.metric == "rmse" and not spec.higher_is_better
    assert spec.wad(spec.eta) == 10**16 and spec.wad(spec.baseline) == 77 * 10**18


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric__name": "accuracyy"}, r"at metric/name: 'accuracyy' is not one of"),
        ({"split__public_fraction": 1.5}, r"at split/public_fraction"),
        ({"target": "90"}, r"target \(90\) must be below the baseline \(77.0\)"),
        ({"eta": "0"}, r"eta must be above 0"),
        ({"rewards__prize_bps": 2000}, r"pools sum to 9000 bps"),
        ({"limits__daily_cap": 7}, r"at limits/daily_cap: 7 is greater than the maximum of 6"),
        ({"eta": "0.0000000000000000001"}, r"more than 18 decimals"),
    ],
)
def test_bad_specs_name_the_field_and_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidSpec, match=message):
        load_spec(variant(**changes))


def test_not_json_and_missing_file_are_clear(tmp_path: Path) -> None:
    with pytest.raises(InvalidSpec, match="not valid JSON"):
        load_spec(b"{nope")
    with pytest.raises(InvalidSpec, match="no spec file"):
        load_spec(tmp_path / "absent.json")
