"""One oracle's own record of a code run: what differs between machines, beside the report.

    {"version": 1, "oracle": "0x…", "challenge_id": 1, "phase": 0, "submission_id": 7,
     "outcome": "bafk…",
     "usage": {"cpu_seconds": 1.9, "peak_memory_mb": 180.0, "wall_seconds": 2.4},
     "log_tail": "ridge alpha 1, 89 predictions written\n"}

Resources and the log are not the same on every oracle, so they stay out of the report
that `reportDigest` names (oracle/scoring/score_report.py) and each oracle publishes its own
record on IPFS (`GET /v1/runs/{id}` of the oracle gives it with its CID; the API's
`/v1/submissions/{id}/receipt` gathers them). The log's tail is published only when every
input of the run is public: a hidden input appears in the receipt as its `0x` commitment,
and a run that read one publishes no free text (its status, exception type and resources
say what happened), so a program cannot leak hidden data through its log.
"""

import json
from dataclasses import asdict

from pydantic import BaseModel

from oracle.coderun.score import CodeScore
from oracle.scoring.receipt import CodeReceipt

RECORD_VERSION = 1
LOG_TAIL_CHARS = 4000


class RunUsage(BaseModel):
    cpu_seconds: float
    peak_memory_mb: float
    wall_seconds: float


class RunRecord(BaseModel):
    version: int = RECORD_VERSION
    oracle: str
    challenge_id: int
    phase: int
    submission_id: int
    outcome: str  # what this oracle compared with the others' runs (run_outcome)
    usage: RunUsage | None  # None: refused before it ran
    log_tail: str | None  # None: a run on a hidden input (or none ran)

    def to_bytes(self) -> bytes:
        return json.dumps(self.model_dump(), sort_keys=True, separators=(",", ":")).encode()


def on_public_inputs(receipt: CodeReceipt) -> bool:
    """Whether every input is a public file (a CID), none a hidden one (a 0x commitment)."""
    return not any(value.startswith("0x") for value in receipt.inputs.values())


def run_record(
    oracle: str,
    challenge_id: int,
    phase: int,
    submission_id: int,
    run: CodeScore,
) -> RunRecord:
    usage = None if run.usage is None else RunUsage(**asdict(run.usage))
    public = on_public_inputs(run.receipt) and run.usage is not None
    return RunRecord(
        oracle=oracle,
        challenge_id=challenge_id,
        phase=phase,
        submission_id=submission_id,
        outcome=run.outcome,
        usage=usage,
        log_tail=run.log[-LOG_TAIL_CHARS:] if public else None,
    )
