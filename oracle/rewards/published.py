"""A posted rewards root's report: fetched from IPFS (verified against its CID) and checked
against the root, so that its leaves rebuild exactly the posted Merkle root and total.

The index (oracle/indexer/reports.py), `coop claim` and `coop board` read reports this one way.
"""

import json
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, ValidationError

from oracle.errors import CidMismatch, ContentUnreachable, CoopError, IpfsError, RetryableError
from oracle.ipfs.store import ContentStore
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.rewards.report import REPORT_MAX_BYTES
from oracle.types import Address


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


class ReportNearCopy(_Lenient):
    submission_id: int
    source_id: int
    source_submitter: str
    distance_ppm: int
    evidence: str


class ReportTeamPart(_Lenient):
    account: str
    share_ppm: int
    earned: int
    paid: int


class ReportTeam(_Lenient):
    team_id: int
    pool: int
    members: tuple[ReportTeamPart, ...]


class PublishedReport(_Lenient):
    """The parts of a reward report (oracle/rewards/report.py) the index keeps."""

    rule_version: str
    challenge_id: int
    phase: int
    total: int
    escrow_left: int | None = None  # what the rule was told the vault had left
    submissions: tuple[ReportAward, ...]
    leaves: tuple[ReportLeaf, ...]
    near_copies: tuple[ReportNearCopy, ...] = ()  # absent from reports without any
    teams: tuple[ReportTeam, ...] = ()  # a formed team's pool and parts; absent without any


@dataclass(frozen=True)
class PendingRoot:
    challenge_id: int
    seq: int
    phase: int
    merkle_root: str
    total: int
    report_cid: str
    block: int


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
