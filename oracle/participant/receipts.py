"""A scored submission's report and receipt, read from IPFS by the digest its score names
on chain: one reading for `coop receipt` and the notebook SDK's `receipt`/`receipts`."""

from dataclasses import dataclass

from oracle.errors import ConfigError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Ledger
from oracle.scoring.score_report import (
    MAX_REPORT_BYTES,
    ScoreReport,
    read_report,
    score_report_cid,
)

# the receipt's fields a row of `receipts` shows (its inputs and limits stay in `receipt`)
RECEIPT_COLUMNS = (
    "code_cid", "runtime_digest", "seed", "exit_code", "exception", "predictions_cid",
)  # fmt: skip


@dataclass(frozen=True)
class SignedReport:
    """The report a submission's score names (`reportDigest`) and where it is on IPFS."""

    cid: str
    report: ScoreReport

    def as_json(self) -> dict[str, object]:
        r = self.report
        return {"submission_id": r.submission_id, "report_cid": self.cid,
                "status": r.status.name, "reason": r.reason, "public_score": r.public_score,
                "receipt": None if r.receipt is None else r.receipt.as_json()}  # fmt: skip

    def row(self) -> dict[str, object]:
        """One flat row: the report's status and, for a code run, its receipt's fields."""
        r = self.report
        receipt = {} if r.receipt is None else r.receipt.as_json()
        return {
            "submission_id": r.submission_id, "phase": r.phase, "status": r.status.name,
            "reason": r.reason, "report_cid": self.cid,
            **{name: receipt.get(name) for name in RECEIPT_COLUMNS},
            "outcomes": ", ".join(receipt.get("outcomes", ())) or None,
        }  # fmt: skip


def signed_report(ledger: Ledger, store: ContentStore, submission_id: int) -> SignedReport:
    """The report of `submission_id`'s score; ConfigError when it is unknown or unscored."""
    found = ledger.submissions.get(submission_id)
    if found is None or found.score is None:
        state = "does not exist" if found is None else "has no score on chain yet"
        raise ConfigError(f"submission {submission_id} {state}; only scored ones have a report")
    cid = score_report_cid(found.score.report_digest)
    return SignedReport(cid, read_report(store.cat(cid, max_bytes=MAX_REPORT_BYTES)))


def challenge_reports(ledger: Ledger, store: ContentStore, challenge_id: int) -> list[SignedReport]:
    """The report of every scored submission of `challenge_id`, in submission order."""
    return [
        signed_report(ledger, store, s.submission_id)
        for s in ledger.submissions_of(challenge_id)
        if s.score is not None
    ]
