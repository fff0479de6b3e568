"""Turning a replayed Ledger into the export's Arrow tables (schema.py), row by row.

Every row comes from an event the ledger replayed (oracle/ledger/replay.py, the records
`coop audit` checks), except the `rewards` rows: the Merkle leaves of each root's report,
which read.py accepts only when they rebuild the root posted on chain; and a submission's
`source_*` and `licence` columns, read from the coop-source.json inside its artifact (bound
by its CID).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pyarrow as pa

from oracle.errors import CoopError
from oracle.export.schema import TABLES, arrow_schema
from oracle.ledger.boards import improvements, status_of
from oracle.ledger.model import Challenge, Ledger
from oracle.rewards.model import Leaf
from oracle.submission_source import SourceManifest

DECIMAL_LIMIT = 10**38  # decimal128(38, 18) holds |value| < 10**38 base units


class ValueOutOfRange(CoopError, ValueError):
    """A WAD value too large for the export's DECIMAL(38,18) columns."""


@dataclass(frozen=True)
class Sources:
    """What the tables are made of: the ledger, each block's time, each root's verified leaves."""

    ledger: Ledger
    block_times: Mapping[int, int]  # block → unix time
    leaves: Mapping[tuple[int, int], tuple[Leaf, ...]]  # (challenge, root seq) → leaves
    sources: Mapping[int, SourceManifest]  # submission → its artifact's coop-source.json
    licences: Mapping[int, str]  # submission → its SPDX licence, where it could be read


def wad(value: int) -> Decimal:
    if abs(value) >= DECIMAL_LIMIT:
        raise ValueOutOfRange(
            f"{value} does not fit the export's DECIMAL(38,18) columns (|value| < 10**38 base "
            "units); this challenge's scores or amounts cannot be exported exactly"
        )
    return Decimal(value).scaleb(-18)


def _time(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


def blocks_needed(ledger: Ledger, challenge_ids: Iterable[int]) -> set[int]:
    """Every block whose time a row of these challenges shows."""
    blocks: set[int] = set()
    for cid in challenge_ids:
        c = ledger.challenge(cid)
        blocks.add(c.block)
        blocks.update(p.holdout.block for p in c.phases if p.holdout is not None)
        blocks.update(b.block for b in c.batches)
        blocks.update(r.block for r in c.roots)
        blocks.update(claim.block for claim in c.claims)
        blocks.update(r.block for r in ledger.reviews_of(cid))
        for s in ledger.submissions_of(cid):
            blocks.add(s.commit_block)
            if s.reveal is not None:
                blocks.add(s.reveal.block)
            if s.score is not None:
                blocks.add(s.score.block)
    return blocks


def build_tables(sources: Sources, challenge_ids: Iterable[int]) -> dict[str, pa.Table]:
    """One Arrow table per name in schema.TABLES, holding the rows of these challenges."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for cid in sorted(challenge_ids):
        challenge = sources.ledger.challenge(cid)
        _Rows(sources, challenge, rows).add_all()
    return {name: pa.Table.from_pylist(rows[name], schema=arrow_schema(name)) for name in TABLES}


class _Rows:
    def __init__(self, sources: Sources, challenge: Challenge,
                 rows: dict[str, list[dict[str, Any]]]) -> None:  # fmt: skip
        self.ledger = sources.ledger
        self.sources = sources
        self.c = challenge
        self.rows = rows

    def at(self, block: int) -> datetime:
        return _time(self.sources.block_times[block])

    def add_all(self) -> None:
        self.challenge()
        self.phases()
        self.submissions()
        self.reviews()
        self.batches()
        self.roots()
        self.claims()
        self.escrow()

    def challenge(self) -> None:
        c = self.c
        self.rows["challenges"].append({
            "challenge_id": c.challenge_id, "owner": c.owner, "token": c.token,
            "dispute_window_seconds": c.dispute_window, "dispute_bond": wad(c.dispute_bond),
            "arbiter": c.arbiter, "daily_cap": c.daily_cap, "commit_bond": wad(c.commit_bond),
            "parent_challenge": c.parent_challenge, "spec_cid": c.spec_cid,
            "created_block": c.block, "created_at": self.at(c.block),
        })  # fmt: skip

    def phases(self) -> None:
        for p in self.c.phases:
            h = p.holdout
            self.rows["phases"].append({
                "challenge_id": self.c.challenge_id, "phase": p.index, "spec_cid": p.spec_cid,
                "higher_is_better": p.higher_is_better, "baseline": wad(p.baseline),
                "target": wad(p.target), "eta": wad(p.eta),
                "commit_start": _time(p.commit_start), "commit_end": _time(p.commit_end),
                "reveal_end": _time(p.reveal_end), "bounty": wad(p.bounty),
                "holdout_commitment": _hex(p.holdout_commitment), "added_block": p.block,
                "holdout_labels_cid": h.labels_cid if h else None,
                "holdout_revealed_at": self.at(h.block) if h else None,
                "holdout_revealer": h.revealer if h else None,
            })  # fmt: skip

    def submissions(self) -> None:
        cid = self.c.challenge_id
        improved = {
            i.submission_id
            for phase in range(len(self.c.phases))
            for i in improvements(self.ledger, self.c, phase)
        }
        for s in self.ledger.submissions_of(cid):
            r, sc, pv = s.reveal, s.score, s.private
            source = self.sources.sources.get(s.submission_id)
            self.rows["submissions"].append({
                "submission_id": s.submission_id, "challenge_id": cid, "phase": s.phase,
                "submitter": s.submitter, "commit_block": s.commit_block,
                "committed_at": self.at(s.commit_block), "bond": wad(s.bond),
                "artifact_cid": r.artifact_cid if r else None,
                "revealed_at": self.at(r.block) if r else None,
                "status": status_of(s).removeprefix("scored: "),
                "status_code": sc.status if sc else None,
                "public_score": wad(sc.public_score) if sc else None,
                "scored_at": self.at(sc.block) if sc else None,
                "score_seq": sc.seq if sc else None,
                "receipt_digest": _hex(sc.report_digest) if sc else None,
                "private_score": wad(pv.score) if pv else None,
                "improvement": s.submission_id in improved,
                "parents": len(r.parents) if r else 0,
                "source_repository": source.repository if source else None,
                "source_commit": source.commit if source else None,
                "licence": self.sources.licences.get(s.submission_id),
            })  # fmt: skip
            if r is None:
                continue
            for position, (parent, weight) in enumerate(zip(r.parents, r.weights_ppm,
                                                            strict=True)):  # fmt: skip
                known = self.ledger.submissions.get(parent)
                self.rows["forks"].append({
                    "child_id": s.submission_id, "parent_id": parent, "weight_ppm": weight,
                    "position": position, "challenge_id": cid,
                    "parent_challenge_id": known.challenge_id if known else None,
                    "parent_submitter": known.submitter if known else None,
                })  # fmt: skip

    def reviews(self) -> None:
        for r in self.ledger.reviews_of(self.c.challenge_id):
            self.rows["reviews"].append({
                "submission_id": r.submission_id, "challenge_id": r.challenge_id,
                "reviewer": r.reviewer, "verdict": r.verdict, "review_cid": r.review_cid,
                "block": r.block, "reviewed_at": self.at(r.block),
            })  # fmt: skip

    def batches(self) -> None:
        for b in self.c.batches:
            self.rows["score_batches"].append({
                "challenge_id": b.challenge_id, "phase": b.phase, "seq": b.seq,
                "item_count": b.item_count, "items_hash": _hex(b.items_hash),
                "relayer": b.relayer, "posted_at": self.at(b.block), "tx_hash": _hex(b.tx_hash),
            })  # fmt: skip

    def roots(self) -> None:
        for root in self.c.roots:
            self.rows["reward_roots"].append({
                "challenge_id": root.challenge_id, "phase": root.phase, "seq": root.seq,
                "merkle_root": _hex(root.merkle_root), "total": wad(root.total),
                "report_cid": root.report_cid, "state": root.state.value,
                "disputes": len(root.disputes), "claimable_at": _time(root.claimable_at),
                "posted_at": self.at(root.block), "tx_hash": _hex(root.tx_hash),
            })  # fmt: skip
            for leaf in self.sources.leaves[(root.challenge_id, root.seq)]:
                self.rows["rewards"].append({
                    "challenge_id": root.challenge_id, "phase": root.phase, "seq": root.seq,
                    "account": leaf.account, "amount": wad(leaf.amount),
                    "root_state": root.state.value,
                })  # fmt: skip

    def claims(self) -> None:
        for claim in self.c.claims:
            self.rows["claims"].append({
                "challenge_id": claim.challenge_id, "phase": claim.phase,
                "account": claim.account, "amount": wad(claim.amount),
                "claimed_at": self.at(claim.block),
            })  # fmt: skip

    def escrow(self) -> None:
        for move in self.c.escrow_moves:
            block, log_index = move.position
            self.rows["escrow"].append({
                "challenge_id": self.c.challenge_id, "block": block, "log_index": log_index,
                "cause": move.cause, "amount": wad(move.amount),
            })  # fmt: skip
