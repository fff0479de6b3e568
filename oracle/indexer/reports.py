"""Reward reports in the index: which roots' reports to fetch, and what each fetch found.

A RewardsPosted event names the report's CID. Once the report is fetched and checked
(oracle/rewards/published.py: its leaves must rebuild exactly the posted Merkle root and
total), every leaf is stored with its
proof (so a participant can fetch it from the API) together with the per-submission awards,
fork passes and near-copies. The report row of each root says where that stands:
`pending` (not tried), `available`, `unavailable` (no backend delivered it; tried again
later) or `invalid` (delivered, but not this root's report; the detail says why).
"""

import json
import sqlite3

from oracle.indexer import profile_answers
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.rewards.published import Outcome, PendingRoot
from oracle.types import Address


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
    db.executemany(
        "INSERT OR REPLACE INTO reward_near_copies VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(*key, n.submission_id, n.source_id, n.source_submitter, n.distance_ppm, n.evidence,
          root.block)
         for n in report.near_copies],
    )  # fmt: skip
