"""Specs are validated by the JSON schema and by the rules a schema cannot express; every
refusal names the JSON path and what to change."""

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from oracle.errors import InvalidSpec
from oracle.runtime import RuntimeLock
from oracle.spec import Direction, ScorerKind, Task, load_spec

SPECS = Path(__file__).resolve().parents[2] / "examples" / "specs"
EXAMPLE = SPECS / "diabetes-regression.json"


def variant(name: str = "diabetes-regression", **changes: Any) -> bytes:
    data = json.loads((SPECS / f"{name}.json").read_text())
    for dotted, value in changes.items():
        node = data
        *parents, last = dotted.split("__")
        for key in parents:
            node = node[key]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return json.dumps(data).encode()


DELETE = object()


def test_example_specs_load_as_typed_values() -> None:
    spec = load_spec(EXAMPLE)
    assert (spec.task, spec.direction, spec.metric.name) == (
        Task.REGRESSION,
        Direction.LOWER,
        "rmse",
    )
    assert not spec.higher_is_better and spec.classes == ()
    assert spec.eta == Decimal("0.01") and spec.eta_wad == 10**16
    assert spec.wad(spec.baseline) == 84 * 10**18
    assert spec.split.threshold == (2**64 * 3) // 10
    assert spec.scorer.kind is ScorerKind.BUILTIN and spec.data.train.startswith("bafkrei")
    assert spec.rewards.prize_ranks_bps == (5000, 3000, 2000)
    assert spec.max_uncompressed_bytes == 20 * spec.max_artifact_bytes
    digits = load_spec(SPECS / "digits-multiclass.json")
    assert digits.task is Task.MULTICLASS and len(digits.classes) == len(digits.columns.prediction)
    cancer = load_spec(SPECS / "breast-cancer-binary.json")
    assert cancer.higher_is_better and cancer.commit_bond_wei == 10**15


def test_decimals_as_numbers_or_strings_are_exact_and_raw_republishes() -> None:
    as_number = load_spec(variant(eta=0.01, baseline=84, split__public_fraction=0.3))
    assert as_number.eta == Decimal("0.01") and as_number.eta_wad == 10**16
    assert as_number.split == load_spec(EXAMPLE).split
    again = load_spec(json.dumps(dict(as_number.raw)).encode())  # what publishing uploads
    assert again == as_number


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric__name": "accuracyy"}, "at metric.name: 'accuracyy' is not one of"),
        ({"direction": "sideways"}, "at direction: 'sideways' is not one of"),
        ({"split__public_fraction": "30%"}, "at split.public_fraction: '30%' does not match"),
        ({"split__salt_hash": "0x12"}, "at split.salt_hash: '0x12' does not match"),
        ({"title": DELETE}, "at (top level): 'title' is a required property; add the field"),
        ({"colour": "red"}, "('colour' was unexpected); remove the field or fix its spelling"),
        ({"data__train": "not-a-cid"}, "at data.train: 'not-a-cid' does not match"),
        ({"limits__daily_cap": 7}, "at limits.daily_cap: 7 is greater than the maximum of 6"),
        ({"scorer": {"kind": "builtin", "cpu_seconds": 3}}, "at scorer: {'kind': 'builtin'"),
        ({"scorer": {"kind": "program"}}, "at scorer: 'cid' is a required property"),
        ({"schema_version": 2}, "at schema_version: 1 was expected"),
        ({"rewards__prize_ranks_bps": [5000, "x"]}, "at rewards.prize_ranks_bps[1]"),
        (
            {"near_copies": {"max_distance_ppm": 1_000_001}},
            "at near_copies.max_distance_ppm: 1000001 is greater than the maximum of 1000000",
        ),
        ({"near_copies": {"max_distance": 0.02}}, "('max_distance' was unexpected)"),
    ],
)
def test_schema_errors_name_the_path_and_the_fix(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidSpec, match="does not match the schema") as caught:
        load_spec(variant(**changes))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("name", "changes", "message"),
    [
        ("diabetes-regression", {"target": "90"}, "at target: the target (90) must be below the "
         "baseline (84) when lower is better"),
        ("diabetes-regression", {"eta": "0"}, "at eta: eta must be above 0"),
        ("diabetes-regression", {"eta": "50"}, "larger than the whole baseline-target gap"),
        ("diabetes-regression", {"rewards__prize_bps": 2000}, "pools sum to 9000 bps"),
        ("diabetes-regression", {"rewards__prize_ranks_bps": [5000]}, "ranks sum to 5000 bps"),
        ("diabetes-regression", {"split__public_fraction": "1"}, "1 is not between 0 and 1"),
        ("diabetes-regression", {"classes": ["a", "b"]}, "a regression task has no classes"),
        ("diabetes-regression", {"direction": "higher", "target": "90"},
         'at direction: rmse is better when lower; set "lower"'),
        ("diabetes-regression", {"metric__name": "accuracy"},
         "accuracy does not apply to a regression task; use one of rmse, mae, r2"),
        ("diabetes-regression", {"columns__prediction": ["id"]}, "the id column is also"),
        ("diabetes-regression", {"max_uncompressed_bytes": 10}, "below max_artifact_bytes"),
        ("breast-cancer-binary", {"classes": ["0", "1", "2"]}, "a binary task has 2 classes"),
        ("breast-cancer-binary", {"metric__params": {"average": "weighted"}},
         "'weighted' is not supported; use ['macro']"),
        ("breast-cancer-binary", {"metric__name": "accuracy", "metric__params": {"threshold": 1.5}},
         "not a number in (0, 1)"),
        ("digits-multiclass", {"columns__prediction": ["p0", "p1"]},
         "a multiclass task takes 10 column(s) (one probability column per class"),
        ("digits-multiclass", {"metric__name": "f1", "direction": "higher",
                               "metric__params": {"threshold": 0.5}}, "takes no 'threshold'"),
        ("digits-multiclass", {"classes": DELETE},
         "a multiclass task has 3 or more classes; list them"),
        ("diabetes-regression", {"rewards__compensation_bps": 500},
         "compensation for corrections is reward rule v2's; set rewards.rule_version to 2"),
    ],
)  # fmt: skip
def test_cross_field_rules_name_the_path_and_the_fix(
    name: str, changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidSpec, match="breaks the spec's rules") as caught:
        load_spec(variant(name, **changes))
    assert message in str(caught.value)


def test_every_broken_rule_is_listed_at_once() -> None:
    with pytest.raises(InvalidSpec) as caught:
        load_spec(variant(eta="0", rewards__prize_bps=0, split__public_fraction="0"))
    assert str(caught.value).count("\n  at ") == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"eta": "0.0000000000000000001"}, "at eta: 0.0000000000000000001 has more than 18"),
        ({"baseline": "1" + "0" * 60}, "does not fit an int256 WAD"),
    ],
)
def test_numbers_must_be_exact_wads(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        load_spec(variant(**changes))
    assert message in str(caught.value)


def test_a_program_scorer_names_its_own_metric_and_limits() -> None:
    cid = "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq"
    program = {"kind": "program", "cid": cid, "cpu_seconds": 30, "memory_mb": 512,
               "wall_seconds": 60}  # fmt: skip
    spec = load_spec(variant(scorer=program, metric={"name": "pinball", "params": {"q": 0.9}}))
    assert spec.scorer.kind is ScorerKind.PROGRAM and spec.scorer.memory_mb == 512
    assert spec.metric.params["q"] == 0.9 and isinstance(spec.metric.params["q"], float)
    with pytest.raises(InvalidSpec, match="wall-clock limit is below the CPU limit"):
        load_spec(variant(scorer={**program, "wall_seconds": 10}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"{nope", "not valid JSON"),
        (b'{"title": "a", "title": "b"}', "the key 'title' appears twice"),
        (EXAMPLE.read_bytes().replace(b'"0.01"', b"NaN"), "NaN is not a JSON number"),
        (b"[1, 2]", "the top level must be an object"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_malformed_json_is_refused_clearly(text: bytes, message: str) -> None:
    with pytest.raises(InvalidSpec, match=message):
        load_spec(text)


def test_missing_file_is_clear(tmp_path: Path) -> None:
    with pytest.raises(InvalidSpec, match="no spec file"):
        load_spec(tmp_path / "absent.json")


def test_direction_says_how_much_a_score_improves() -> None:
    assert Direction.LOWER.gain(84, 80) == 4 and Direction.LOWER.gain(80, 84) == -4
    assert Direction.HIGHER.gain(5, 9) == 4 and Direction.HIGHER.gain(9, 5) == -4
    assert load_spec(EXAMPLE).direction is Direction.LOWER and Direction("higher").gain(0, 1) == 1


def literal(name: str = "diabetes-regression", **literals: str) -> bytes:
    """An example spec's JSON with fields set to JSON text as written (`1e-400`, deep nests)."""
    text = variant(name, **{key: f"@{key}@" for key in literals}).decode()
    for key, value in literals.items():
        text = text.replace(f'"@{key}@"', value)
    return text.encode()


PROGRAM = {"kind": "program", "cid": "bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq",
           "cpu_seconds": 30, "memory_mb": 512, "wall_seconds": 60}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [  # each crashed the validator or passed it wrongly (issue 20, point 5)
        (literal(metric='{"name": "rmse", "params": ' + "[" * 100_000 + "]" * 100_000 + "}"),
         "nests arrays or objects too deeply to parse; a spec nests at most 16 levels"),
        (literal(metric='{"name": "rmse", "params": {"a": ' + "[" * 900 + "]" * 900 + "}}"),
         "at metric.params.a[0][0]"),
        (literal(baseline="1e999999999"), "at baseline: 1E+999999999 does not fit an int256 WAD"),
        (literal(baseline="1e9999999999999999999"), "exponent is out of range; write plain"),
        (literal(target="1e-1000000000"), "at target: 1E-1000000000 has more than 18 decimals"),
        (literal(eta="1e-1000000000"), "at eta: 1E-1000000000 has more than 18 decimals; round"),
        (literal(eta="1.00000000000000000000000000001e-2"), "at eta: 0.01000000000000000000000"),
        (literal(max_artifact_bytes="9" * 5000), "an integer of 5000 digits is longer than"),
        (variant("breast-cancer-binary", metric={"name": "f1", "params": {"average": {}}}),
         "at metric.params.average: {} is not supported; use ['binary', 'macro']"),
        (variant(scorer={**PROGRAM, "cpu_seconds": 1e-300}),
         "at scorer.cpu_seconds: 1E-300 s is too short; give at least 1 s"),
        (variant(title="\x1b]0;pwned\x07" + "x" * 300_000), "at title: '\\x1b]0;pwned\\x07xxx"),
    ],
    ids=["deep", "nested", "overflow", "exponent", "tiny-target", "tiny-eta", "rounded-eta",
         "long-int", "unhashable-param", "tiny-cpu", "escapes"],
)  # fmt: skip
def test_hostile_specs_get_a_refusal_that_says_what_to_do(text: bytes, message: str) -> None:
    with pytest.raises(InvalidSpec) as caught:
        load_spec(text)
    refusal = str(caught.value)
    assert message in refusal
    assert len(refusal) < 2000 and "\x1b" not in refusal and "\x07" not in refusal


def test_every_refusal_line_names_the_path_the_problem_and_the_fix() -> None:
    broken = variant(title="", classes=["a", "a"], max_artifact_bytes=0, split__salt_hash="0x1",
                     direction=1)  # fmt: skip
    with pytest.raises(InvalidSpec) as caught:
        load_spec(broken)
    schema_lines = str(caught.value).splitlines()[1:]
    rules = variant(eta="0", rewards__prize_bps=0, rewards__prize_ranks_bps=[1],
                    split__public_fraction="0", columns__prediction=["a", "b"])  # fmt: skip
    with pytest.raises(InvalidSpec) as caught:
        load_spec(rules)
    rule_lines = str(caught.value).splitlines()[1:]
    assert len(schema_lines) == 5 and len(rule_lines) == 5
    for line in schema_lines + rule_lines:
        assert re.fullmatch(r"  at [\w.\[\]()]+: .+; \w.+", line), line


def test_a_decimal_of_many_digits_is_an_exact_wad() -> None:
    spec = load_spec(variant(baseline="12345678901234567890.123456789012345678"))
    assert spec.wad(spec.baseline) == 12345678901234567890_123456789012345678


HIDDEN = "0x" + "ab" * 32
BARE = RuntimeLock.of("3.11", [])
CODE = {
    "kind": "code",
    "runtime": {"python": "3.11", "packages": [], "digest": BARE.digest},
    "limits": {"cpu_seconds": 10, "wall_seconds": 20, "memory_mb": 256},
}


def test_hidden_test_features_are_a_commitment_and_take_code_only() -> None:
    spec = load_spec(variant(data__test_features=DELETE, data__hidden_test_features=HIDDEN,
                             submission=CODE))  # fmt: skip
    assert spec.data.features_hidden and spec.data.hidden_test_features == HIDDEN
    assert spec.data.test_features is None
    with pytest.raises(InvalidSpec, match="hidden test features take code only"):
        load_spec(variant(data__test_features=DELETE, data__hidden_test_features=HIDDEN))
    with pytest.raises(InvalidSpec, match="give either test_features .* not both or neither"):
        load_spec(variant(data__hidden_test_features=HIDDEN, submission=CODE))
    with pytest.raises(InvalidSpec, match="not both or neither"):
        load_spec(variant(data__test_features=DELETE))


def test_the_near_copy_threshold_defaults_to_two_percent_and_may_be_set() -> None:
    assert load_spec(variant()).near_copies.max_distance_ppm == 20_000
    chosen = load_spec(variant(near_copies={"max_distance_ppm": 5_000}))
    assert chosen.near_copies.max_distance_ppm == 5_000


def test_rule_v2_with_a_compensation_share_is_read_from_the_rewards() -> None:
    rewards = load_spec(variant(rewards__rule_version=2, rewards__compensation_bps=500)).rewards
    assert (rewards.rule_version, rewards.compensation_bps) == (2, 500)
    assert (
        load_spec(variant()).rewards.rule_version,
        load_spec(variant()).rewards.compensation_bps,
    ) == (1, 0)
