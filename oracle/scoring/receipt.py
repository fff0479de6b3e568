"""The receipt of a code run: the deterministic part every honest oracle reaches alike (code,
runtime and input identities, limits, seed, how the run ended, the predictions' CID), in the
per-submission report that `reportDigest` names. `score_code` (oracle/coderun/score.py)
writes it; `coop audit` reruns a submission from it. Its one JSON shape: `as_json` /
`from_json`.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from typing import Any


@dataclass(frozen=True)
class CodeReceipt:
    """The deterministic part of a run, in the report `reportDigest` names (its one JSON
    shape: `as_json` / `from_json`; `coop audit` reruns a submission from it)."""

    code_cid: str
    runtime_digest: str
    inputs: dict[str, str]  # file name under /in -> CID (a hidden input: its 0x commitment)
    limits: dict[str, float]
    seed: int
    exit_code: int | None  # None: refused before it ran, or killed at a limit
    exception: str | None
    predictions_cid: str | None
    # NOT_REPRODUCIBLE only: the outcome (`run_outcome`) of each oracle's run, sorted; the
    # fields that differ between those runs (exit code, exception, predictions) are None.
    outcomes: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "outcomes": list(self.outcomes)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "CodeReceipt":
        return cls(
            code_cid=str(data["code_cid"]),
            runtime_digest=str(data["runtime_digest"]),
            inputs={str(k): str(v) for k, v in data["inputs"].items()},
            limits={str(k): float(v) for k, v in data["limits"].items()},
            seed=int(data["seed"]),
            exit_code=None if data["exit_code"] is None else int(data["exit_code"]),
            exception=None if data["exception"] is None else str(data["exception"]),
            predictions_cid=None
            if data["predictions_cid"] is None
            else str(data["predictions_cid"]),
            outcomes=tuple(str(o) for o in data.get("outcomes", ())),
        )

    def not_reproducible(self, outcomes: Iterable[str]) -> "CodeReceipt":
        """The receipt every oracle writes alike for runs whose outcomes differ."""
        return replace(self, exit_code=None, exception=None, predictions_cid=None,
                       outcomes=tuple(sorted(set(outcomes))))  # fmt: skip
