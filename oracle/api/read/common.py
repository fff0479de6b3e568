"""What several readers share: parameter checks, chain time, phase windows, status words."""

import functools
import sqlite3
from typing import Literal

from eth_utils.address import to_checksum_address

from oracle.api.problems import invalid, not_found
from oracle.status import Status
from oracle.types import Verdict, address_problem

SQLITE_MAX_INT = 2**63 - 1

PhaseState = Literal["upcoming", "commit", "reveal", "ended"]
SubmissionState = Literal["committed", "revealed", "scored"]

STATUS_REASONS: dict[Status, str] = {
    Status.VALID: "scored",
    Status.UNREADABLE: "not parseable as CSV or Parquet, bad compression, or empty",
    Status.WRONG_FORMAT: "columns missing or extra, or a wrong header",
    Status.WRONG_IDS: "missing, extra or duplicate ids",
    Status.WRONG_ROW_COUNT: "not one row per test id",
    Status.NOT_FINITE: "a prediction is NaN or infinite",
    Status.WRONG_TYPE: "a prediction is not a number, or a probability outside [0, 1]",
    Status.TOO_LARGE: "larger than the spec's size limit, or a decompression bomb",
    Status.DIGEST_MISMATCH: "the bytes fetched did not match the artifact's CID",
    Status.SCORER_FAILED: "the challenge's scorer crashed or broke the sandbox rules",
    Status.TIMEOUT: "the challenge's scorer, or the submitted code, ran out of time",
    Status.UNREACHABLE: "the artifact could not be fetched from IPFS within the limits",
    Status.NOT_REPRODUCIBLE: "the submitted code gave different predictions on different oracles",
    Status.RUN_FAILED: "the submitted code crashed",
    Status.OUT_OF_MEMORY: "the submitted code used more memory than the challenge allows",
    Status.NO_OUTPUT: "the submitted code wrote no predictions file",
    Status.LICENCE_NOT_ALLOWED: "its licence is not one the challenge allows",
    Status.LICENCE_INCOMPATIBLE: "its licence is not compatible with a parent's",
}


def status_name(code: int) -> str:
    try:
        return Status(code).name
    except ValueError:
        return f"UNKNOWN_{code}"


def status_reason(code: int) -> str:
    try:
        return STATUS_REASONS[Status(code)]
    except ValueError:
        return f"status code {code} is not known to this version of the API"


def verdict_name(verdict: int) -> str:
    try:
        return Verdict(verdict).name.lower()
    except ValueError:
        return f"verdict {verdict}"


@functools.lru_cache(maxsize=65_536)
def checksummed(address: str) -> str:
    """A path or query address as the index stores it (checksummed); 422 if not one.

    Kept: checksumming hashes the address (keccak), a fifth of a profile request's CPU."""
    problem = address_problem(address)
    if problem is not None:
        raise invalid("invalid_address", f"{address!r} {problem}")
    return str(to_checksum_address(address))


def meta(db: sqlite3.Connection, key: str) -> str | None:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def chain_time(db: sqlite3.Connection) -> int | None:
    """The timestamp of the last block indexed: what "now" is for windows and claims."""
    value = meta(db, "head_time")
    return None if value is None else int(value)


def phase_state(now: int | None, commit_start: int, commit_end: int, reveal_end: int) -> PhaseState:
    """The window a phase is in at chain time `now`, as the contracts count it."""
    if now is None or now < commit_start:
        return "upcoming"
    if now < commit_end:
        return "commit"
    return "reveal" if now <= reveal_end else "ended"


def challenge_exists(db: sqlite3.Connection, challenge_id: int) -> None:
    """Raises the 404 for an id no ChallengeCreated event names."""
    if challenge_id <= SQLITE_MAX_INT:
        found = db.execute(
            "SELECT 1 FROM challenges WHERE challenge_id = ?", (challenge_id,)
        ).fetchone()
        if found is not None:
            return
    raise not_found("unknown_challenge", f"challenge {challenge_id} does not exist (yet) in "
                    "the index; list the known ones at /v1/challenges")  # fmt: skip


def phase_exists(db: sqlite3.Connection, challenge_id: int, phase: int) -> None:
    found = db.execute(
        "SELECT count(*) FROM phases WHERE challenge_id = ?", (challenge_id,)
    ).fetchone()
    count = int(found[0])
    if not 0 <= phase < count:
        raise not_found("unknown_phase", f"challenge {challenge_id} has phases 0..{count - 1}; "
                        f"there is no phase {phase}")  # fmt: skip


def latest_phase(db: sqlite3.Connection, challenge_id: int) -> int:
    row = db.execute(
        "SELECT max(phase) FROM phases WHERE challenge_id = ?", (challenge_id,)
    ).fetchone()
    return 0 if row is None or row[0] is None else int(row[0])


def submission_state(revealed: bool, scored: bool) -> SubmissionState:
    if scored:
        return "scored"
    return "revealed" if revealed else "committed"


def add(amounts: list[str] | list[object]) -> int:
    """Sums decimal-text amounts exactly (SQLite's sum would round them through floats)."""
    return sum(int(str(a)) for a in amounts)
