"""The challenge spec as typed, frozen dataclasses, loaded and checked by `load_spec`.

The JSON must satisfy oracle/schemas/challenge-spec.v1.json; `load_spec` then checks what a
schema cannot say (metric vs task and direction, baseline vs target, basis points adding
up). Every refusal is an InvalidSpec naming the JSON path and what to change.
"""

import decimal
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Any

import jsonschema

from oracle.errors import InvalidSpec
from oracle.licences.terms import LicenceTerms, licence_terms
from oracle.submission_spec import SubmissionSpec, submission_spec
from oracle.text import safe_reason
from oracle.types import Cid, Wad

SCHEMA_VERSION = 1
SPEC_MAX_BYTES = 1 << 20  # the most a spec file may hold; readers fetch no more
SCHEMA_FILE = "oracle/schemas/challenge-spec.v1.json"
INT256_MAX = 2**255 - 1
ZERO_HASH = "0x" + "00" * 32
MAX_SPEC_BYTES = 2**20  # the daemon fetches a spec with this limit too
MAX_SPEC_DEPTH = 16  # objects and arrays nested in each other; the schema needs 3
MAX_SPEC_ITEMS = 1000  # items of any one array (the schema's largest maxItems)
MAX_INTEGER_DIGITS = 80  # an int256 has 78; longer integers are refused unparsed
MAX_LINE_CHARS = 300  # each line of a refusal
MIN_SCORER_SECONDS = Decimal("0.01")
MIN_SCORING_DEADLINE_S = 600  # the registry's MIN_SCORING_DEADLINE
# Decimal arithmetic that never rounds and never overflows: for the spec's exact numbers.
EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
WAD_DIGITS = 18


class Task(StrEnum):
    REGRESSION = "regression"
    BINARY = "binary"
    MULTICLASS = "multiclass"


class Direction(StrEnum):
    """Which way a score gets better (the spec's `direction`)."""

    HIGHER = "higher"
    LOWER = "lower"

    def gain(self, old: int, new: int) -> int:
        """How much `new` improves on `old` (negative when it is worse)."""
        return new - old if self is Direction.HIGHER else old - new


class ScorerKind(StrEnum):
    BUILTIN = "builtin"
    PROGRAM = "program"


@dataclass(frozen=True)
class MetricInfo:
    """What a built-in metric accepts: tasks, the direction it improves in, its params."""

    tasks: frozenset[Task]
    direction: Direction
    params: frozenset[str] = frozenset()


_REG = frozenset({Task.REGRESSION})
_CLS = frozenset({Task.BINARY, Task.MULTICLASS})
BUILTIN_METRICS: Mapping[str, MetricInfo] = MappingProxyType(
    {
        "rmse": MetricInfo(_REG, Direction.LOWER),
        "mae": MetricInfo(_REG, Direction.LOWER),
        "r2": MetricInfo(_REG, Direction.HIGHER),
        "accuracy": MetricInfo(_CLS, Direction.HIGHER, frozenset({"threshold"})),
        "balanced_accuracy": MetricInfo(_CLS, Direction.HIGHER, frozenset({"threshold"})),
        "f1": MetricInfo(_CLS, Direction.HIGHER, frozenset({"threshold", "average"})),
        "log_loss": MetricInfo(_CLS, Direction.LOWER),
        "roc_auc": MetricInfo(_CLS, Direction.HIGHER, frozenset({"average", "multi_class"})),
        "average_precision": MetricInfo(_CLS, Direction.HIGHER, frozenset({"average"})),
    }
)


@dataclass(frozen=True)
class MetricSpec:
    name: str
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class ColumnsSpec:
    id: str
    target: str
    prediction: tuple[str, ...]


@dataclass(frozen=True)
class SplitSpec:
    public_fraction: Decimal
    salt_hash: str  # 0x + 64 lowercase hex digits: keccak256 of the 32-byte split salt

    @property
    def threshold(self) -> int:
        """A row is public iff its 64-bit split hash is below this: floor(fraction * 2^64)."""
        return math.floor(Fraction(self.public_fraction) * 2**64)


@dataclass(frozen=True)
class ScorerSpec:
    kind: ScorerKind
    cid: Cid | None = None
    cpu_seconds: float = 0.0
    memory_mb: int = 0
    wall_seconds: float = 0.0


@dataclass(frozen=True)
class DataSpec:
    train: Cid
    test_features: Cid | None  # None when they are hidden
    public: Mapping[str, Cid] = field(default_factory=lambda: MappingProxyType({}))
    hidden_test_features: str | None = None  # 0x keccak256 of the file the oracles get privately

    @property
    def features_hidden(self) -> bool:
        return self.hidden_test_features is not None


@dataclass(frozen=True)
class RewardsSpec:
    improvement_bps: int
    prize_bps: int
    review_bps: int
    prize_ranks_bps: tuple[int, ...]
    review_cap_per_reviewer: int
    fork_share_bps: int  # declared; the rewards engine clamps it to [1000, 9000]
    rule_version: int = 1  # 2: rule v2 (oracle/rewards/rule_v2.py), compensation for corrections
    # rule v2: the share of the phase's bounty set aside, when a correction makes submissions
    # lose a prize rank, to compensate them (docs/rewards.md, "Rule v2")
    compensation_bps: int = 0


DEFAULT_RESAMPLES = 1000


@dataclass(frozen=True)
class TiesSpec:
    """Rank intervals on the private board: bootstrap resamples, and whether tied entries
    share their prizes equally (docs/rewards.md, "Ties")."""

    resamples: int = DEFAULT_RESAMPLES
    share_prizes: bool = False


DEFAULT_NEAR_COPY_PPM = 20_000


@dataclass(frozen=True)
class NearCopiesSpec:
    """How close (in ppm of the earlier predictions' spread, oracle/scoring/near_copy.py) a
    later submission by another address may come before it is an uncredited near-copy."""

    max_distance_ppm: int = DEFAULT_NEAR_COPY_PPM


@dataclass(frozen=True)
class ChallengeSpec:
    title: str
    description: str
    task: Task
    metric: MetricSpec
    direction: Direction
    columns: ColumnsSpec
    classes: tuple[str, ...]  # empty for regression; binary: (negative, positive)
    split: SplitSpec
    baseline: Decimal
    target: Decimal
    eta: Decimal
    max_artifact_bytes: int
    max_uncompressed_bytes: int
    scorer: ScorerSpec
    data: DataSpec
    daily_cap: int
    commit_bond_wei: int
    scoring_deadline_s: int  # 0 = no quota protection (docs/participant.md, "No quota lost")
    max_outage_extension_s: int
    rewards: RewardsSpec
    submission: SubmissionSpec
    ties: TiesSpec
    licences: LicenceTerms
    near_copies: NearCopiesSpec
    raw: Mapping[str, Any]  # the JSON as parsed (floats as float), e.g. to re-publish it

    @property
    def higher_is_better(self) -> bool:
        return self.direction is Direction.HIGHER

    @property
    def salt_hash(self) -> str:
        return self.split.salt_hash

    @property
    def eta_wad(self) -> Wad:
        return self.wad(self.eta)

    def wad(self, value: Decimal) -> Wad:
        """A decimal of the spec as a WAD integer (exact: specs use at most 18 decimals)."""
        return Wad(int(value.scaleb(WAD_DIGITS, context=EXACT)))


@cache
def schema() -> Mapping[str, Any]:
    text = resources.files("oracle").joinpath("schemas/challenge-spec.v1.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load_spec(source: str | PathLike[str] | bytes) -> ChallengeSpec:
    """Parses, validates and types a spec file (a path) or its bytes."""
    where = Path(source).as_posix() if not isinstance(source, bytes) else "spec"
    where = safe_reason(where, MAX_LINE_CHARS)
    try:
        if isinstance(source, bytes):
            text = source
        else:
            with Path(source).open("rb") as handle:
                text = handle.read(MAX_SPEC_BYTES + 1)
    except FileNotFoundError:
        raise InvalidSpec(f"no spec file at {where}; check the path") from None
    except OSError as exc:
        raise InvalidSpec(f"cannot read the spec {where}: {exc.strerror}") from None
    if len(text) > MAX_SPEC_BYTES:
        raise InvalidSpec(
            f"{where} is over {MAX_SPEC_BYTES} bytes, the limit for a spec; shorten the "
            "description (publish long texts as a data file)"
        )
    exact = _parse_json(text, where)
    _check_shape(exact, where)
    _check_schema(exact, where)
    return _build(exact, json.loads(text), where)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"an integer of {len(text)} digits is longer than any spec field takes")
    return int(text)


def _parse_json(text: bytes, where: str) -> dict[str, Any]:
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_int=_bounded_int,
            parse_constant=_no_constant,
            object_pairs_hook=_no_duplicates,
        )
    except RecursionError:
        raise InvalidSpec(
            f"{where} nests arrays or objects too deeply to parse; a spec nests at most "
            f"{MAX_SPEC_DEPTH} levels: fix the file's structure"
        ) from None
    except ArithmeticError:  # decimal: an exponent beyond what any decimal can hold
        raise InvalidSpec(
            f"{where} holds a number whose exponent is out of range; write plain decimals"
        ) from None
    except (UnicodeDecodeError, ValueError) as exc:
        problem = safe_reason(str(exc), MAX_LINE_CHARS)
        raise InvalidSpec(f"{where} is not valid JSON: {problem}; fix the file's syntax") from None
    if not isinstance(data, dict):
        raise InvalidSpec(
            f"{where} is not valid JSON for a spec: the top level must be an object; "
            "start from an example in examples/specs"
        )
    return data


def _check_shape(data: dict[str, Any], where: str) -> None:
    """Refuses nesting deeper than MAX_SPEC_DEPTH or arrays longer than MAX_SPEC_ITEMS before
    the schema sees them (its checks recurse, and uniqueItems is quadratic in an array)."""
    stack: list[tuple[Any, str, int]] = [(data, "(top level)", 1)]
    while stack:
        node, path, depth = stack.pop()
        if depth > MAX_SPEC_DEPTH:
            raise InvalidSpec(
                f"{where}: at {safe_reason(path, MAX_LINE_CHARS)}: nested more than "
                f"{MAX_SPEC_DEPTH} levels deep; a spec's values are flat: remove the nesting"
            )
        if isinstance(node, dict):
            prefix = "" if path == "(top level)" else path + "."
            stack.extend((value, f"{prefix}{key}", depth + 1) for key, value in node.items())
        elif isinstance(node, list):
            if len(node) > MAX_SPEC_ITEMS:
                raise InvalidSpec(
                    f"{where}: at {safe_reason(path, MAX_LINE_CHARS)}: {len(node)} items, over "
                    f"the limit of {MAX_SPEC_ITEMS}; list fewer"
                )
            stack.extend((value, f"{path}[{i}]", depth + 1) for i, value in enumerate(node))


_HINTS = {  # what to do, by the JSON-schema keyword that failed
    "required": "add the field",
    "additionalProperties": "remove the field or fix its spelling",
    "maxProperties": "remove the extra fields",
    "enum": "use one of the listed values",
    "const": "use the value shown",
    "uniqueItems": "remove the repeated items",
    "minItems": "list more items",
    "maxItems": "list fewer items",
    "minLength": "write a longer value",
    "maxLength": "shorten it",
    "minimum": "use a larger value",
    "exclusiveMinimum": "use a larger value",
    "maximum": "use a smaller value",
    "exclusiveMaximum": "use a smaller value",
}
_DESCRIBED_FIRST = frozenset({"type", "pattern"})  # the field's description says it best


def _path(error: jsonschema.ValidationError) -> str:
    path = str(error.json_path).removeprefix("$").removeprefix(".")
    return path or "(top level)"


def _check_schema(data: dict[str, Any], where: str) -> None:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.path)), e.message))
    if not errors:
        return
    lines = []
    for error in errors[:8]:
        described = error.schema.get("description") if isinstance(error.schema, dict) else None
        keyword = str(error.validator)
        hint = _HINTS.get(keyword, "change it as the schema says")
        if described and (keyword in _DESCRIBED_FIRST or keyword not in _HINTS):
            hint = f"expected {described}"
        problem = safe_reason(f"at {_path(error)}: {error.message}", MAX_LINE_CHARS)
        lines.append(f"{problem}; {hint}")
    more = f"\n  ... and {len(errors) - 8} more" if len(errors) > 8 else ""
    raise InvalidSpec(
        f"{where} does not match the schema {SCHEMA_FILE} ({len(errors)} problem(s)):\n  "
        + "\n  ".join(lines)
        + more
    )


# --- rules the schema cannot express, then the typed spec --------------------------------


def _decimal(value: str | int | Decimal, path: str, where: str) -> Decimal:
    """The exact decimal of a spec number; refused when it is not an int256 WAD.

    Nothing rounds: a value with more than 18 decimals is refused however small it is (1e-30
    is not 0), and an exponent of any size is judged without being computed."""
    number = Decimal(value)
    shown = safe_reason(str(value), 60)
    if not number.is_finite():
        raise InvalidSpec(f"{where}: at {path}: {shown} is not a number; write a decimal")
    if not number:
        return Decimal(0)  # 0e999999999999 is 0: its exponent must not reach any arithmetic
    exponent = number.normalize(EXACT).as_tuple().exponent
    if isinstance(exponent, int) and exponent < -WAD_DIGITS:
        raise InvalidSpec(
            f"{where}: at {path}: {shown} has more than {WAD_DIGITS} decimals; round it"
        )
    too_big = f"{where}: at {path}: {shown} does not fit an int256 WAD; make it smaller"
    if number.adjusted() > 78 - WAD_DIGITS:
        raise InvalidSpec(too_big)
    if abs(int(number.scaleb(WAD_DIGITS, context=EXACT))) > INT256_MAX:
        raise InvalidSpec(too_big)
    return number


def _metric_problems(d: dict[str, Any], task: Task) -> Iterator[tuple[str, str]]:
    name, params = d["metric"]["name"], d["metric"].get("params", {})
    info = BUILTIN_METRICS[name]
    if task not in info.tasks:
        fits = ", ".join(n for n, i in BUILTIN_METRICS.items() if task in i.tasks)
        yield "metric.name", f"{name} does not apply to a {task} task; use one of {fits}"
    if d["direction"] != info.direction:
        yield "direction", f'{name} is better when {info.direction}; set "{info.direction}"'
    for key, value in params.items():
        allowed: Any = {"multi_class": {"ovr"}, "average": {"macro"}}.get(key)
        if name == "f1" and key == "average" and task is Task.BINARY:
            allowed = {"binary", "macro"}
        if key not in info.params or (key == "threshold" and task is not Task.BINARY):
            yield f"metric.params.{key}", f"{name} takes no {key!r} here; remove it"
        elif key == "threshold" and not (isinstance(value, int | Decimal) and 0 < value < 1):
            yield f"metric.params.{key}", f"{value!r} is not a number in (0, 1); use e.g. 0.5"
        elif key != "threshold" and not (isinstance(value, str) and value in allowed):
            yield f"metric.params.{key}", f"{value!r} is not supported; use {sorted(allowed)}"


def _problems(d: dict[str, Any], scores: tuple[Decimal, ...]) -> Iterator[tuple[str, str]]:
    """(JSON path, what is wrong and what to do) for each broken cross-field rule."""
    task, classes, columns = Task(d["task"]), d.get("classes"), d["columns"]
    if d["rewards"].get("compensation_bps", 0) and d["rewards"].get("rule_version", 1) != 2:
        yield (
            "rewards.compensation_bps",
            "compensation for corrections is reward rule v2's; set rewards.rule_version to 2",
        )
    if task is Task.REGRESSION and classes is not None:
        yield "classes", "a regression task has no classes; remove the field"
    if task is Task.BINARY and classes is not None and len(classes) != 2:
        yield "classes", 'a binary task has 2 classes; list [negative, positive], e.g. ["0", "1"]'
    if task is Task.MULTICLASS and len(classes or ()) < 3:
        yield "classes", 'a multiclass task has 3 or more classes; list them ("binary" for two)'
    wanted = len(classes or ()) if task is Task.MULTICLASS else 1
    if len(columns["prediction"]) != wanted:
        per_class = " (one probability column per class, in the order of classes)"
        yield (
            "columns.prediction",
            f"a {task} task takes {wanted} column(s){per_class}; list exactly that many",
        )
    if columns["id"] in columns["prediction"]:
        yield "columns.id", "the id column is also a prediction column; rename one of them"
    if d["scorer"]["kind"] == ScorerKind.BUILTIN:
        yield from _metric_problems(d, task)
    baseline, target, eta, fraction = scores
    higher = d["direction"] == Direction.HIGHER
    if eta <= 0:
        yield "eta", f"eta must be above 0, not {eta}; use the leaderboard's step, e.g. 0.01"
    if (target <= baseline) if higher else (target >= baseline):
        side = "above" if higher else "below"
        yield (
            "target",
            (
                f"the target ({target}) must be {side} the baseline ({baseline}) when "
                f"{d['direction']} is better; swap them or fix the direction"
            ),
        )
    elif eta > abs(EXACT.subtract(target, baseline)):
        yield "eta", f"eta ({eta}) is larger than the whole baseline-target gap; make it smaller"
    if not 0 < fraction < 1:
        yield "split.public_fraction", f"{fraction} is not between 0 and 1; use e.g. 0.3"
    r = d["rewards"]
    pools = r["improvement_bps"] + r["prize_bps"] + r["review_bps"]
    if pools != 10_000:
        yield (
            "rewards",
            f"the improvement, prize and review pools sum to {pools} bps; make them add up to "
            "10000",
        )
    if (r["prize_ranks_bps"] or r["prize_bps"]) and sum(r["prize_ranks_bps"]) != 10_000:
        yield (
            "rewards.prize_ranks_bps",
            f"the ranks sum to {sum(r['prize_ranks_bps'])} bps; make them add up to 10000",
        )
    scorer = d["scorer"]
    if scorer["kind"] == ScorerKind.PROGRAM:
        for limit in ("cpu_seconds", "wall_seconds"):
            if scorer[limit] < MIN_SCORER_SECONDS:
                yield f"scorer.{limit}", f"{scorer[limit]} s is too short; give at least 1 s"
        if scorer["wall_seconds"] < scorer["cpu_seconds"]:
            yield "scorer.wall_seconds", "the wall-clock limit is below the CPU limit; raise it"
    if d.get("ties", {}).get("share_prizes"):
        if scorer["kind"] == ScorerKind.PROGRAM:
            yield (
                "ties.share_prizes",
                "prizes can be shared within ties only with a built-in metric (a program "
                "scorer is not bootstrapped); remove share_prizes or use a built-in metric",
            )
        if d.get("submission", {}).get("kind", "predictions") != "predictions":
            yield (
                "ties.share_prizes",
                "prizes can be shared within ties only for predictions submissions (code "
                "submissions are not bootstrapped yet); remove share_prizes",
            )
    yield from _hidden_features_problems(d)
    yield from _quota_problems(d["limits"])
    if d.get("max_uncompressed_bytes", 2**62) < d["max_artifact_bytes"]:
        yield "max_uncompressed_bytes", "it is below max_artifact_bytes; raise it or remove it"


def _quota_problems(limits: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """The registry's bounds on quota protection (MIN_SCORING_DEADLINE, needs a deadline)."""
    deadline = limits.get("scoring_deadline_s", 0)
    if 0 < deadline < MIN_SCORING_DEADLINE_S:
        yield (
            "limits.scoring_deadline_s",
            f"{deadline} s is too short for the oracles; give at least "
            f"{MIN_SCORING_DEADLINE_S} s, or 0 to turn quota protection off",
        )
    if limits.get("max_outage_extension_s", 0) and not deadline:
        yield (
            "limits.max_outage_extension_s",
            "an outage is measured against the scoring deadline; set scoring_deadline_s too, "
            "or set this to 0",
        )


def _hidden_features_problems(d: dict[str, Any]) -> Iterator[tuple[str, str]]:
    data = d["data"]
    if ("test_features" in data) == ("hidden_test_features" in data):
        yield (
            "data",
            "give either test_features (a public file's CID) or hidden_test_features (the "
            "keccak256 of a file the participants never see), not both or neither",
        )
    kind = d.get("submission", {}).get("kind", "predictions")
    if "hidden_test_features" in data and kind != "code":
        yield (
            "submission.kind",
            f"hidden test features take code only (a predictions file needs the features), "
            f'not {kind!r}: set submission.kind to "code" or publish test_features',
        )


def _plain(value: Any) -> Any:
    """Metric params as plain Python values (JSON decimals become floats)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return MappingProxyType({k: _plain(v) for k, v in value.items()})
    return tuple(_plain(v) for v in value) if isinstance(value, list) else value


def _build(d: dict[str, Any], raw: dict[str, Any], where: str) -> ChallengeSpec:
    names = ("baseline", "target", "eta", "split.public_fraction")
    values = (d["baseline"], d["target"], d["eta"], d["split"]["public_fraction"])
    scores = tuple(_decimal(v, name, where) for v, name in zip(values, names, strict=True))
    problems = [
        safe_reason(f"at {path}: {problem}", MAX_LINE_CHARS)
        for path, problem in _problems(d, scores)
    ]
    if problems:
        raise InvalidSpec(f"{where} breaks the spec's rules:\n  " + "\n  ".join(problems))
    c, r, s, data = d["columns"], d["rewards"], d["scorer"], d["data"]
    task = Task(d["task"])
    return ChallengeSpec(
        title=d["title"],
        description=d["description"],
        task=task,
        metric=MetricSpec(d["metric"]["name"], _plain(d["metric"].get("params", {}))),
        direction=Direction(d["direction"]),
        columns=ColumnsSpec(c["id"], c["target"], tuple(c["prediction"])),
        classes=tuple(d.get("classes", ("0", "1") if task is Task.BINARY else ())),
        split=SplitSpec(scores[3], d["split"]["salt_hash"].lower()),
        baseline=scores[0],
        target=scores[1],
        eta=scores[2],
        max_artifact_bytes=d["max_artifact_bytes"],
        max_uncompressed_bytes=d.get("max_uncompressed_bytes", 20 * d["max_artifact_bytes"]),
        scorer=ScorerSpec(
            ScorerKind(s["kind"]),
            s.get("cid"),
            float(s.get("cpu_seconds", 0)),
            int(s.get("memory_mb", 0)),
            float(s.get("wall_seconds", 0)),
        ),
        data=DataSpec(
            data["train"],
            data.get("test_features"),
            MappingProxyType(data.get("public", {})),
            data["hidden_test_features"].lower() if "hidden_test_features" in data else None,
        ),
        daily_cap=d["limits"]["daily_cap"],
        commit_bond_wei=int(d["limits"]["commit_bond_wei"]),
        scoring_deadline_s=int(d["limits"].get("scoring_deadline_s", 0)),
        max_outage_extension_s=int(d["limits"].get("max_outage_extension_s", 0)),
        rewards=RewardsSpec(
            r["improvement_bps"],
            r["prize_bps"],
            r["review_bps"],
            tuple(r["prize_ranks_bps"]),
            r["review_cap_per_reviewer"],
            r["fork_share_bps"],
            r.get("rule_version", 1),
            r.get("compensation_bps", 0),
        ),
        submission=submission_spec(d.get("submission"), where),
        ties=TiesSpec(**d.get("ties", {})),
        licences=licence_terms(d.get("licences"), where),
        near_copies=NearCopiesSpec(**d.get("near_copies", {})),
        raw=raw,
    )
