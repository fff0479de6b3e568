"""Property: whatever JSON (or bytes) a spec holds, load_spec gives a usable spec or an
InvalidSpec whose every line is bounded, escaped and says what to do, within a deadline per
spec (issue 20, point 5)."""

import json
from pathlib import Path
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from oracle.errors import InvalidSpec
from oracle.runtime.lock import RuntimeLock
from oracle.spec import MAX_LINE_CHARS, load_spec
from tests.hostile_settings import HOSTILE as HOSTILE_INPUT

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples/specs/diabetes-regression.json").read_text())
LOCK = RuntimeLock.parse((ROOT / "examples/runtimes/scikit-learn.lock").read_text())
CODE = {  # a valid code submission section, to spoil one field at a time
    "kind": "both",
    "runtime": {"python": LOCK.python, "packages": LOCK.pins, "digest": LOCK.digest},
    "limits": {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024},
}
CODE_FIELDS = [("kind",), *((part, key) for part in ("runtime", "limits") for key in CODE[part])]
HOSTILE = settings(HOSTILE_INPUT, max_examples=300)
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
    + [("metric", "params"), ("classes",), ("scorer", "cid"), ("submission",), ("new_field",)]
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
    kind = draw(st.sampled_from(["value", "literal", "code", "delete", "bytes", "cut"]))
    if kind == "value":
        return json.dumps(changed(draw(paths), draw(json_values))).encode()
    if kind == "code":  # the submission section: runtime pins, digest and run limits
        section: dict[str, Any] = json.loads(json.dumps(CODE))
        *parents, last = draw(st.sampled_from(CODE_FIELDS))
        node = section[parents[0]] if parents else section
        node[last] = draw(json_values | st.sampled_from([1e-300, 0.0, -1, 10**30, "3.99"]))
        return json.dumps(changed(("submission",), section)).encode()
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
