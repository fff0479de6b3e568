"""Compiled contract artifacts (ABI + bytecode) as brownie writes them under build/."""

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from oracle.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_ARTIFACTS_DIR = REPO_ROOT / "build" / "brownie" / "contracts"
CONTRACT_NAMES = (
    "CoopToken",
    "ChallengeRegistry",
    "SubmissionBook",
    "ScoreBoard",
    "RewardVault",
    "GrantPool",
)


@dataclass(frozen=True)
class Artifact:
    name: str
    abi: list[dict[str, Any]]
    bytecode: str


def artifacts_dir() -> Path:
    return Path(os.environ.get("COOP_ARTIFACTS_DIR", DEFAULT_ARTIFACTS_DIR))


@cache
def load_artifact(name: str) -> Artifact:
    """The ABI and creation bytecode of contract `name`, compiled by `brownie compile`."""
    path = artifacts_dir() / f"{name}.json"
    if not path.is_file():
        raise ConfigError(
            f"no compiled artifact for {name} at {path}; run `make setup` (it compiles the "
            "contracts) or set COOP_ARTIFACTS_DIR to a folder of brownie build JSON files"
        )
    data = json.loads(path.read_text())
    return Artifact(name=name, abi=data["abi"], bytecode=data["bytecode"])
