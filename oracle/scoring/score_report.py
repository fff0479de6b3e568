"""The per-submission scoring report that an item's `reportDigest` names.

The report is canonical JSON (sorted keys, no spaces) holding the status, its reason in
words, the artifact CID and the public score, never the private one; from version 2 on,
a code submission's report also holds the run's receipt (oracle/coderun/score.py's
CodeReceipt: code, runtime, inputs, limits, seed, how it ended, the predictions CID), and
`null` there for a predictions file. `read_report` reads versions 1 and 2. Every honest oracle
writes the same bytes, so `reportDigest = sha256(report)`: the report is smaller than one
IPFS chunk, so its CID is CIDv1(raw, sha2-256(report)) and anyone can rebuild the CID from
the digest on chain and fetch the reason from IPFS (`score_report_cid`).

Reasons that depend on where an oracle looked (a network fault) or on its load (which of
a code run's CPU and wall-clock limits it reached first) are replaced by a fixed text, so
they are the same on every oracle.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from multiformats import CID, multihash

from oracle.scoring.engine import ScoreResult
from oracle.scoring.receipt import CodeReceipt
from oracle.status import Status

REPORT_VERSION = 2
READABLE_VERSIONS = (1, 2)
MAX_REASON_CHARS = 2000
MAX_REPORT_BYTES = 64 << 10  # a report is read up to this many bytes
NETWORK_STATUSES = (Status.UNREACHABLE, Status.DIGEST_MISMATCH)


@dataclass(frozen=True)
class ScoreReport:
    challenge_id: int
    phase: int
    submission_id: int
    artifact_cid: str
    status: Status
    reason: str
    public_score: int | None  # WAD on the eta grid, None unless valid
    receipt: CodeReceipt | None = None  # a code submission's run

    def to_bytes(self) -> bytes:
        data = {
            "version": REPORT_VERSION,
            "challenge_id": self.challenge_id,
            "phase": self.phase,
            "submission_id": self.submission_id,
            "artifact_cid": self.artifact_cid,
            "status": int(self.status),
            "status_name": self.status.name,
            "reason": self.reason[:MAX_REASON_CHARS],
            "public_score": None if self.public_score is None else str(self.public_score),
            "receipt": None if self.receipt is None else self.receipt.as_json(),
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    @property
    def digest(self) -> bytes:
        return hashlib.sha256(self.to_bytes()).digest()


def network_reason(cid: str, status: Status) -> str:
    if status is Status.DIGEST_MISMATCH:
        return (
            f"the bytes served for {cid} did not hash to that CID on any source the oracles "
            "tried; publish the artifact again (pin it) and resubmit"
        )
    return (
        f"{cid} could not be fetched from IPFS within the retry limits; keep it pinned and "
        "reachable (e.g. on a public gateway) and resubmit"
    )


def read_report(data: bytes) -> ScoreReport:
    """A report of version 1 or 2 from its bytes; ValueError when it is not one."""
    raw: Any = json.loads(data)
    if not isinstance(raw, dict) or raw.get("version") not in READABLE_VERSIONS:
        raise ValueError(f"not a score report of version {READABLE_VERSIONS}")
    public, receipt = raw["public_score"], raw.get("receipt")
    return ScoreReport(
        challenge_id=int(raw["challenge_id"]),
        phase=int(raw["phase"]),
        submission_id=int(raw["submission_id"]),
        artifact_cid=str(raw["artifact_cid"]),
        status=Status(int(raw["status"])),
        reason=str(raw["reason"]),
        public_score=None if public is None else int(public),
        receipt=None if receipt is None else CodeReceipt.from_json(receipt),
    )


def timeout_reason(receipt: CodeReceipt) -> str:
    cpu, wall = receipt.limits["cpu_seconds"], receipt.limits["wall_seconds"]
    return (
        f"main.py ran past its limits ({cpu:g} s of CPU time, {wall:g} s wall-clock); "
        "`coop run` shows how long it takes on the public data"
    )


def report_of(
    challenge_id: int,
    phase: int,
    submission_id: int,
    artifact_cid: str,
    result: ScoreResult,
    receipt: CodeReceipt | None = None,
) -> ScoreReport:
    reason = result.reason
    if result.status in NETWORK_STATUSES:
        reason = network_reason(artifact_cid, result.status)
    elif result.status is Status.TIMEOUT and receipt is not None:
        reason = timeout_reason(receipt)
    public = int(result.public_wad) if result.valid and result.public_wad is not None else None
    return ScoreReport(
        challenge_id, phase, submission_id, artifact_cid, result.status, reason, public, receipt
    )


def score_report_cid(report_digest: bytes) -> str:
    """The CID of a score report from the `reportDigest` on chain (raw leaf, sha2-256)."""
    digest = multihash.wrap(report_digest, "sha2-256")
    return str(CID("base32", 1, "raw", digest))
