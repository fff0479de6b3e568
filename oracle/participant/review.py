"""Reviewing a revealed submission — the one implementation behind `coop review` and the
notebook SDK's `review`: the note (if any) goes to IPFS, its CID into the review."""

from dataclasses import dataclass
from pathlib import Path

from oracle.chain.platform import Platform
from oracle.chain.sender import Sender, tx_hash_of
from oracle.ipfs.store import ContentStore
from oracle.types import Verdict


@dataclass(frozen=True)
class Reviewed:
    submission_id: int
    verdict: Verdict
    review_cid: str  # "" without a note
    tx_hash: str


def review_submission(platform: Platform, sender: Sender, store: ContentStore,
                      submission_id: int, verdict: Verdict | str,
                      note: Path | None = None) -> Reviewed:  # fmt: skip
    """Sends `review(submission, verdict, noteCid)`; the book refuses a review of one's own
    submission, a second review, or one of a submission not revealed (the error says which)."""
    chosen = verdict if isinstance(verdict, Verdict) else Verdict[verdict.upper()]
    note_cid = "" if note is None else str(store.add_path(note).cid)
    receipt = sender.transact(platform.book.functions.review(submission_id, chosen, note_cid))
    return Reviewed(submission_id, chosen, note_cid, tx_hash_of(receipt))
