"""Where the platform's contracts live on a chain, saved as JSON for every tool to read."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from oracle.errors import ConfigError
from oracle.types import Address


@dataclass(frozen=True)
class Deployment:
    chain_id: int
    token: Address
    registry: Address
    book: Address
    score_board: Address
    vault: Address
    block: int  # first block of the deployment: where followers start reading events
    grants: Address | None = None  # the GrantPool (mini-grants); None in files written before it

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> "Deployment":
        try:
            data = json.loads(path.read_text())
            return cls(**data)
        except FileNotFoundError:
            raise ConfigError(
                f"no deployment file at {path}; deploy first with "
                "`brownie run scripts/deploy.py` or point COOP_DEPLOYMENT at one"
            ) from None
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"deployment file {path} is not valid: {exc}") from None
