"""Reward reports: fetched from IPFS (verified against their CID), checked against their root.

A RewardsPosted event names the report's CID. Once the report is fetched, its leaves must
rebuild exactly the posted Merkle root and total; then every leaf is stored with its
proof (so a participant can fetch it from the API) together with the per-submission awards
and fork passes. The report row of each root says where that stands:
`pending` (not tried), `available`, `unavailable` (no backend delivered it; tried again
later) or `invalid` (delivered, but not this root's report; the detail says why).
"""

import json
import logging
import sqlite3
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError

from oracle.errors import CidMismatch, ContentUnreachable, CoopError, IpfsError, RetryableError
from oracle.indexer import profile_answers
from oracle.ipfs.store import ContentStore
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.rewards.report import REPORT_MAX_BYTES
from oracle.types import Address

log = logging.getLogger(__name__)


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ReportLeaf(_Lenient):
    account: str
    amount: int


class ReportPass(_Lenient):
    parent_id: int
    amount: int


class ReportAward(_Lenient):
    submission_id: int
    improvement_award: int
    prize_rank: int | None
    prize_award: int
    received_from_children: int
    passed_to_parents: int
    final: int
    passes: tuple[ReportPass, ...]


class PublishedReport(_Lenient):
    """The parts of a reward report (oracle/rewards/report.py) the index keeps."""

    rule_version: str
    challenge_id: int
    phase: int
    total: int
    escrow_left: int | None = None  # what the rule was told the vault had left
    submissions: tuple[ReportAward, ...]
    leaves: tuple[ReportLeaf, ...]


@dataclass(frozen=True)
class PendingRoot:
    challenge_id: int
    seq: int
    phase: int
    merkle_root: str
    total: int
    report_cid: str
    block: int


def roots_to_fetch(db: sqlite3.Connection, *, retry_unavailable: bool) -> list[PendingRoot]:
    statuses = ("pending", "unavailable") if retry_unavailable else ("pending", "pending")
    rows = db.execute(
        "SELECT r.challenge_id, r.seq, r.phase, r.merkle_root, r.total, r.report_cid, r.block "
        "FROM reward_roots r JOIN reward_reports p USING (challenge_id, seq) "
        "WHERE p.status IN (?, ?) ORDER BY r.block, r.log_index",
        statuses,
    ).fetchall()
    return [PendingRoot(int(c), int(s), int(p), m, int(t), cid, int(b))
            for c, s, p, m, t, cid, b in rows]  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    status: str
    detail: str
    report: PublishedReport | None = None


def fetch_report(store: ContentStore, root: PendingRoot) -> Outcome:
    """Fetches and checks one root's report; never raises for what the network or the
    report's author got wrong."""
    try:
        raw = store.cat(root.report_cid, max_bytes=REPORT_MAX_BYTES)
    except (ContentUnreachable, CidMismatch, RetryableError, ConnectionError) as exc:
        return Outcome("unavailable", f"report {root.report_cid} not delivered by IPFS: {exc}")
    except IpfsError as exc:
        return Outcome("invalid", f"report {root.report_cid} cannot be read: {exc}")
    try:
        report = PublishedReport.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        return Outcome("invalid", f"report {root.report_cid} is not a reward report: {exc}")
    return check_report(root, report)


def check_report(root: PendingRoot, report: PublishedReport) -> Outcome:
    if (report.challenge_id, report.phase) != (root.challenge_id, root.phase):
        return Outcome("invalid", f"the report is for challenge {report.challenge_id} phase "
                       f"{report.phase}, not {root.challenge_id} phase {root.phase}")  # fmt: skip
    total = sum(leaf.amount for leaf in report.leaves)
    if total != root.total:
        return Outcome("invalid", f"the report's leaves pay {total}; the root pays {root.total}")
    if not report.leaves:
        return Outcome("available", "the report pays nobody (no leaves)", report)
    try:
        tree = build_tree(Leaf(Address(leaf.account), leaf.amount) for leaf in report.leaves)
    except CoopError as exc:
        return Outcome("invalid", f"the report's leaves do not form a reward tree: {exc}")
    if tree.root != root.merkle_root:
        return Outcome("invalid", f"the report's leaves make root {tree.root}, but "
                       f"{root.merkle_root} was posted")  # fmt: skip
    return Outcome("available", f"verified against CID {root.report_cid}: its "
                   f"{len(report.leaves)} leaves rebuild the posted root", report)  # fmt: skip


def store_outcome(db: sqlite3.Connection, root: PendingRoot, outcome: Outcome) -> None:
    """Writes a fetch outcome (in the caller's transaction), unless the root was rewound."""
    still_there = db.execute(
        "SELECT 1 FROM reward_roots WHERE challenge_id = ? AND seq = ? AND block = ?",
        (root.challenge_id, root.seq, root.block),
    ).fetchone()
    if still_there is None:
        return
    key = (root.challenge_id, root.seq)
    report = outcome.report
    db.execute(
        "UPDATE reward_reports SET status = ?, detail = ?, leaf_count = ?, escrow_left = ? "
        "WHERE challenge_id = ? AND seq = ?",
        (
            outcome.status,
            outcome.detail,
            len(report.leaves) if report else 0,
            None if report is None or report.escrow_left is None else str(report.escrow_left),
            *key,
        ),
    )
    if report is None or not report.leaves:
        return
    tree = build_tree(Leaf(Address(leaf.account), leaf.amount) for leaf in report.leaves)
    profile_answers.mark(db, (leaf.account for leaf in report.leaves))
    db.executemany(
        "INSERT OR REPLACE INTO reward_leaves VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*key, root.phase, leaf.account, str(leaf.amount),
          json.dumps(tree.proof(leaf.account)), root.block)
         for leaf, _ in tree.values],
    )  # fmt: skip
    db.executemany(
        "INSERT OR REPLACE INTO reward_awards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*key, root.phase, a.submission_id, str(a.improvement_award), a.prize_rank,
          str(a.prize_award), str(a.received_from_children), str(a.passed_to_parents),
          str(a.final), root.block)
         for a in report.submissions],
    )  # fmt: skip
    db.executemany(
        "INSERT OR REPLACE INTO reward_passes VALUES (?, ?, ?, ?, ?, ?)",
        [(*key, a.submission_id, p.parent_id, str(p.amount), root.block)
         for a in report.submissions for p in a.passes],
    )  # fmt: skip
