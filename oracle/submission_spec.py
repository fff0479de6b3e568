"""The spec's `submission` section: what kind of artifact a phase takes, and how code runs.

    "submission": {"kind": "code",
                   "runtime": {"python": "3.11", "packages": ["numpy==2.4.6", ...],
                               "digest": "sha256:..."},
                   "limits": {"cpu_seconds": 120, "wall_seconds": 300, "memory_mb": 2048,
                              "output_mb": 64, "log_kb": 64}}

`kind` is `predictions` (a predictions file, the default when the section is absent),
`code` (a folder with main.py, run by the oracles) or `both`. A code kind needs a runtime
(a locked package list and its digest, oracle/runtime) and run limits.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from oracle.errors import InvalidSpec
from oracle.runtime.lock import RuntimeLock

DEFAULT_OUTPUT_MB = 64
DEFAULT_LOG_KB = 64


class SubmissionKind(StrEnum):
    PREDICTIONS = "predictions"
    CODE = "code"
    BOTH = "both"


@dataclass(frozen=True)
class CodeLimits:
    cpu_seconds: float
    wall_seconds: float
    memory_mb: int
    output_mb: int = DEFAULT_OUTPUT_MB
    log_kb: int = DEFAULT_LOG_KB


@dataclass(frozen=True)
class CodeSpec:
    runtime: RuntimeLock
    limits: CodeLimits


@dataclass(frozen=True)
class SubmissionSpec:
    kind: SubmissionKind = SubmissionKind.PREDICTIONS
    code: CodeSpec | None = None

    @property
    def takes_code(self) -> bool:
        return self.kind in (SubmissionKind.CODE, SubmissionKind.BOTH)

    @property
    def takes_predictions(self) -> bool:
        return self.kind in (SubmissionKind.PREDICTIONS, SubmissionKind.BOTH)


def submission_spec(section: dict[str, Any] | None, where: str) -> SubmissionSpec:
    """The parsed section (already valid against the JSON schema), its own rules checked."""
    if section is None:
        return SubmissionSpec()
    kind = SubmissionKind(section["kind"])
    if kind is SubmissionKind.PREDICTIONS:
        return SubmissionSpec(kind)
    runtime = section["runtime"]
    try:
        lock = RuntimeLock.of(runtime["python"], list(runtime["packages"]))
        lock.check_digest(runtime["digest"])
    except InvalidSpec as exc:
        raise InvalidSpec(f"{where} breaks the spec's rules:\n  at submission.{exc}") from None
    raw = section["limits"]
    limits = CodeLimits(
        cpu_seconds=float(raw["cpu_seconds"]),
        wall_seconds=float(raw["wall_seconds"]),
        memory_mb=int(raw["memory_mb"]),
        output_mb=int(raw.get("output_mb", DEFAULT_OUTPUT_MB)),
        log_kb=int(raw.get("log_kb", DEFAULT_LOG_KB)),
    )
    if limits.wall_seconds < limits.cpu_seconds:
        raise InvalidSpec(
            f"{where} breaks the spec's rules:\n  at submission.limits.wall_seconds: the "
            "wall-clock limit is below the CPU limit; raise it"
        )
    return SubmissionSpec(kind, CodeSpec(lock, limits))
