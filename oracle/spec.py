"""The challenge spec: JSON validated by oracle/schemas/challenge-spec.v1.json, then typed.

`load_spec` raises InvalidSpec naming the JSON path and what to change; it also checks the
rules a schema cannot say (direction vs baseline/target, basis points summing to 100%).
"""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from oracle.errors import InvalidSpec
from oracle.types import BPS, WAD


@dataclass(frozen=True)
class RewardsSpec:
    improvement_bps: int
    prize_bps: int
    review_bps: int
    prize_ranks_bps: tuple[int, ...]
    review_cap_per_reviewer: int
    fork_share_bps: int


@dataclass(frozen=True)
class ChallengeSpec:
    title: str
    task: str
    metric: str
    metric_params: dict[str, Any]
    higher_is_better: bool
    id_column: str
    target_column: str
    prediction_columns: tuple[str, ...]
    public_fraction: float
    salt_hash: str
    baseline: Decimal
    target: Decimal
    eta: Decimal
    max_artifact_bytes: int
    scorer: dict[str, Any]
    daily_cap: int
    commit_bond_wei: int
    rewards: RewardsSpec
    raw: dict[str, Any]

    def wad(self, value: Decimal) -> int:
        """A decimal from the spec as a WAD integer (exact: specs use at most 18 decimals)."""
        return int(value * WAD)


@cache
def schema() -> dict[str, Any]:
    text = resources.files("oracle").joinpath("schemas/challenge-spec.v1.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def load_spec(source: Path | bytes) -> ChallengeSpec:
    """Parses and validates a spec file (or its bytes)."""
    where = source.as_posix() if isinstance(source, Path) else "spec"
    try:
        data = json.loads(source.read_bytes() if isinstance(source, Path) else source)
    except FileNotFoundError:
        raise InvalidSpec(f"no spec file at {where}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidSpec(f"{where} is not valid JSON: {exc}") from None
    errors = sorted(jsonschema.Draft202012Validator(schema()).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise InvalidSpec(
            f"{where}: at {path}: {first.message} (schema oracle/schemas/challenge-spec.v1.json;"
            f" {len(errors)} problem(s) in all)"
        )
    return _typed(data, where)


def _decimal(value: Any, field: str, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidSpec(f"{where}: {field} {value!r} is not a decimal number") from None
    if number.as_tuple().exponent < -18:  # type: ignore[operator]
        raise InvalidSpec(f"{where}: {field} has more than 18 decimals; round it")
    return number


def _typed(data: dict[str, Any], where: str) -> ChallengeSpec:
    baseline = _decimal(data["baseline"], "baseline", where)
    target = _decimal(data["target"], "target", where)
    eta = _decimal(data["eta"], "eta", where)
    higher = data["direction"] == "higher"
    if eta <= 0:
        raise InvalidSpec(f"{where}: eta must be above 0 (it is the leaderboard's step)")
    if (target <= baseline) if higher else (target >= baseline):
        word = "above" if higher else "below"
        raise InvalidSpec(
            f"{where}: with direction {data['direction']!r} the target ({target}) must be "
            f"{word} the baseline ({baseline})"
        )
    r = data["rewards"]
    pools = r["improvement_bps"] + r["prize_bps"] + r["review_bps"]
    if pools != BPS:
        raise InvalidSpec(f"{where}: rewards pools sum to {pools} bps; they must sum to {BPS}")
    if r["prize_ranks_bps"] and sum(r["prize_ranks_bps"]) != BPS:
        raise InvalidSpec(
            f"{where}: rewards.prize_ranks_bps sum to {sum(r['prize_ranks_bps'])}; "
            f"they must sum to {BPS}"
        )
    columns, limits = data["columns"], data.get("limits", {})
    return ChallengeSpec(
        title=data["title"],
        task=data["task"],
        metric=data["metric"]["name"],
        metric_params=dict(data["metric"].get("params", {})),
        higher_is_better=higher,
        id_column=columns["id"],
        target_column=columns["target"],
        prediction_columns=tuple(columns["prediction"]),
        public_fraction=float(data["split"]["public_fraction"]),
        salt_hash=data["split"]["salt_hash"],
        baseline=baseline,
        target=target,
        eta=eta,
        max_artifact_bytes=data["max_artifact_bytes"],
        scorer=dict(data["scorer"]),
        daily_cap=limits.get("daily_cap", 0),
        commit_bond_wei=limits.get("commit_bond_wei", 0),
        rewards=RewardsSpec(
            improvement_bps=r["improvement_bps"],
            prize_bps=r["prize_bps"],
            review_bps=r["review_bps"],
            prize_ranks_bps=tuple(r["prize_ranks_bps"]),
            review_cap_per_reviewer=r["review_cap_per_reviewer"],
            fork_share_bps=r["fork_share_bps"],
        ),
        raw=data,
    )
