"""Property: whatever JSON (or bytes) a spec holds, load_spec gives a usable spec or an
InvalidSpec whose every line is bounded, escaped and says what to do, within a deadline per
spec (issue 20, point 5)."""

import json
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from oracle.errors import InvalidSpec
from oracle.spec import MAX_LINE_CHARS, load_spec
from tests.hostile_settings import HOSTILE as HOSTILE_INPUT

EXAMPLE = json.loads(
    (Path(__file__).resolve().parents[2] / "examples/specs/diabetes-regression.json").read_text()
)
HOSTILE = settings(HOSTILE_INPUT, max_examples=150)
NUMBER_LITERALS = [
    "1e999999999", "1e9999999999999999999", "1e-1000000000", "-0", "0e-999999", "1E+400",
    "0.0000000000000000001", "1.00000000000000000000000000001e-2", "9" * 100, "-" + "9" * 79,
    "[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000, "NaN", "Infinity",
]  # fmt: skip
NUMERIC_FIELDS = ["baseline", "target", "eta", "max_artifact_bytes", "max_uncompressed_bytes"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.sampled_from(["\x1b[2J", "0.01", "rmse", "0x" + "ab" * 32]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=12,
)  # fmt: skip
paths = st.sampled_from(
    [(key,) for key in EXAMPLE]
    + [(key, sub) for key, value in EXAMPLE.items() if isinstance(value, dict) for sub in value]
    + [("metric", "params"), ("classes",), ("scorer", "cid"), ("new_field",)]
)


def changed(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(EXAMPLE))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@st.composite
def specs(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["value", "literal", "delete", "bytes", "cut"]))
    if kind == "value":
        return json.dumps(changed(draw(paths), draw(json_values))).encode()
    if kind == "literal":  # JSON text no json.dumps writes: exponents, long digits, nests
        literal = draw(
            st.sampled_from(NUMBER_LITERALS)
            | st.builds("{}e{}".format, st.integers(-9, 9), st.integers(-(10**12), 10**12))
        )
        text = json.dumps(changed((draw(st.sampled_from(NUMERIC_FIELDS)),), "@@"))
        return text.replace('"@@"', literal).encode()
    if kind == "delete":
        data = json.loads(json.dumps(EXAMPLE))
        del data[draw(st.sampled_from(sorted(data)))]
        return json.dumps(data).encode()
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    text = json.dumps(EXAMPLE).encode()
    return text[: draw(st.integers(0, len(text) - 1))]


@HOSTILE
@given(specs())
@example(json.dumps(changed(("classes",), [{"a": n} for n in range(20_000)])).encode())
@example(json.dumps(changed(("baseline",), "@@")).replace('"@@"', "0e1000000000000").encode())
@example(json.dumps(changed(("title",), "\x1b]0;x\x07" + "y" * 300_000)).encode())
def test_any_spec_loads_or_gets_a_bounded_refusal_saying_what_to_do(text: bytes) -> None:
    try:
        spec = load_spec(text)
    except InvalidSpec as exc:
        lines = str(exc).splitlines()
        assert 1 <= len(lines) <= 10
        for line in lines:
            assert len(line) <= MAX_LINE_CHARS + 200 and line.isprintable(), line
            assert "; " in line or ":" in line, line
        if len(lines) == 1 or "... and" not in lines[-1]:
            assert "; " in lines[-1], lines[-1]  # the last (or only) line says what to do
    else:
        assert spec.eta_wad > 0 and spec.wad(spec.baseline) != spec.wad(spec.target)
