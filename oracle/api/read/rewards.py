"""Rewards roots with their disputes, the escrow, leaves and claim proofs, from the index.

A root's state follows the vault: posted → `live`; a dispute makes the phase's current
root `disputed`; the arbiter upholding it makes it `voided` (the oracles repost), rejecting
it makes it `live` again. Claims pay from the phase's current root.
"""

import json
import sqlite3
from dataclasses import dataclass, field

from oracle.api.models import (
    Claim,
    Dispute,
    Escrow,
    LeafEntry,
    Page,
    ProfileReward,
    Proof,
    ReportState,
    Resolution,
    RewardRoot,
    Rewards,
)
from oracle.api.pagination import PageRequest, split_page
from oracle.api.problems import not_found
from oracle.api.read.common import add, chain_time, challenge_exists, phase_exists
from oracle.ledger.model import RootStanding


@dataclass
class _Root:
    row: tuple[int, int, int, str, str, str, int, int, int, str]
    state: RootStanding = RootStanding.LIVE
    resumed_at: int | None = None  # claims open then: the window resumed after a dispute
    disputes: list[Dispute] = field(default_factory=list)
    resolutions: list[Resolution] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def phase(self) -> int:
        return self.row[2]

    @property
    def seq(self) -> int:
        return self.row[1]


def _roots(db: sqlite3.Connection, challenge_id: int) -> list[_Root]:
    """Every root of the challenge, with disputes, resolutions and claims folded in order."""
    timeline: list[tuple[int, int, str, tuple[object, ...]]] = []
    for row in db.execute(
        "SELECT challenge_id, seq, phase, merkle_root, total, report_cid, claimable_at, block, "
        "log_index, tx_hash FROM reward_roots WHERE challenge_id = ?", (challenge_id,)
    ):  # fmt: skip
        timeline.append((row[7], row[8], "root", tuple(row)))
    for row in db.execute(
        "SELECT phase, disputer, bond, reason_cid, block, log_index FROM disputes "
        "WHERE challenge_id = ?", (challenge_id,)
    ):  # fmt: skip
        timeline.append((row[4], row[5], "dispute", tuple(row)))
    for row in db.execute(
        "SELECT phase, outcome, actor, block, log_index, claimable_at FROM resolutions "
        "WHERE challenge_id = ?",
        (challenge_id,),
    ):
        timeline.append((row[3], row[4], "resolution", tuple(row)))
    for row in db.execute(
        "SELECT challenge_id, phase, account, amount, block, log_index, tx_hash FROM claims "
        "WHERE challenge_id = ?", (challenge_id,)
    ):  # fmt: skip
        timeline.append((row[4], row[5], "claim", tuple(row)))
    roots: list[_Root] = []
    current: dict[int, _Root] = {}
    for _, _, kind, r in sorted(timeline, key=lambda t: (t[0], t[1])):
        if kind == "root":
            root = _Root(r)  # type: ignore[arg-type]
            roots.append(root)
            current[root.phase] = root
            continue
        holder = current.get(int(str(r[1] if kind == "claim" else r[0])))
        if holder is None:
            continue
        if kind == "dispute":
            holder.state = RootStanding.DISPUTED
            holder.disputes.append(Dispute(disputer=str(r[1]), bond=str(r[2]),
                                           reason_cid=str(r[3]), block=int(str(r[4]))))  # fmt: skip
        elif kind == "resolution":
            outcome = str(r[1])
            holder.state = RootStanding.VOIDED if outcome == "upheld" else RootStanding.LIVE
            if outcome != "upheld":
                holder.resumed_at = int(str(r[5]))
            holder.resolutions.append(Resolution(
                outcome=outcome,  # type: ignore[arg-type]
                upheld=outcome == "upheld",
                arbiter=None if outcome == "lapsed" else str(r[2]),
                block=int(str(r[3])),
            ))  # fmt: skip
        else:
            holder.claims.append(_claim(r))
    return roots


def _claim(r: tuple[object, ...]) -> Claim:
    c, p, account, amount, block, _, tx = r
    return Claim(challenge_id=int(str(c)), phase=int(str(p)), account=str(account),
                 amount=str(amount), block=int(str(block)), tx_hash=str(tx))  # fmt: skip


def _report(db: sqlite3.Connection, challenge_id: int, seq: int) -> ReportState:
    row = db.execute(
        "SELECT status, detail, leaf_count FROM reward_reports WHERE challenge_id = ? AND seq = ?",
        (challenge_id, seq),
    ).fetchone()
    if row is None:
        return ReportState(status="pending", detail="not fetched yet", leaf_count=0)
    return ReportState(status=row[0], detail=row[1], leaf_count=row[2])


def _view(db: sqlite3.Connection, root: _Root, now: int | None) -> RewardRoot:
    c, seq, phase, merkle_root, total, report_cid, claimable_at, block, _, tx = root.row
    if root.resumed_at is not None:
        claimable_at = root.resumed_at
    return RewardRoot(
        challenge_id=c, phase=phase, seq=seq, merkle_root=merkle_root, total=total,
        report_cid=report_cid, claimable_at=claimable_at, block=block, tx_hash=tx,
        state=root.state,
        claims_open=root.state is RootStanding.LIVE and now is not None and now >= claimable_at,
        disputes=root.disputes, resolutions=root.resolutions, report=_report(db, c, seq),
        claimed_total=str(add([cl.amount for cl in root.claims])),
        claim_count=len(root.claims),
    )  # fmt: skip


def reward_roots(db: sqlite3.Connection, challenge_id: int) -> list[RewardRoot]:
    now = chain_time(db)
    return [_view(db, root, now) for root in _roots(db, challenge_id)]


def escrow(db: sqlite3.Connection, challenge_id: int) -> Escrow:
    def amounts(sql: str) -> int:
        return add([r[0] for r in db.execute(sql, (challenge_id,))])

    deposited = amounts("SELECT amount FROM escrows WHERE challenge_id = ?")
    claimed = amounts("SELECT amount FROM claims WHERE challenge_id = ?")
    refunded = amounts("SELECT amount FROM refunds WHERE challenge_id = ?")
    not_voided = [r for r in _roots(db, challenge_id) if r.state is not RootStanding.VOIDED]
    allocated = add([r.row[4] for r in not_voided])
    return Escrow(
        deposited=str(deposited), allocated=str(allocated), claimed=str(claimed),
        refunded=str(refunded), balance=str(deposited - claimed - refunded),
    )  # fmt: skip


def rewards(db: sqlite3.Connection, challenge_id: int) -> Rewards:
    challenge_exists(db, challenge_id)
    roots = _roots(db, challenge_id)
    now = chain_time(db)
    return Rewards(
        challenge_id=challenge_id,
        escrow=escrow(db, challenge_id),
        roots=[_view(db, root, now) for root in roots],
        claims=[claim for root in roots for claim in root.claims],
    )


def _current_root(db: sqlite3.Connection, challenge_id: int, phase: int) -> _Root:
    challenge_exists(db, challenge_id)
    phase_exists(db, challenge_id, phase)
    not_voided = [r for r in _roots(db, challenge_id) if r.state is not RootStanding.VOIDED]
    candidates = [r for r in not_voided if r.phase == phase]
    if not candidates:
        raise not_found(
            "no_reward_root",
            f"no rewards root stands for challenge {challenge_id} phase {phase} yet: "
            "the oracles post it after the holdout is revealed",
        )
    return candidates[-1]


def _require_report(db: sqlite3.Connection, root: _Root) -> None:
    c, seq = root.row[0], root.seq
    report = _report(db, c, seq)
    if report.status != "available":
        raise not_found("report_unavailable", f"the report of rewards root seq {seq} "
                        f"({root.row[5]}) is {report.status}: {report.detail}; proofs are served "
                        "once it is fetched and matches the root")  # fmt: skip


def _claimed_accounts(db: sqlite3.Connection, challenge_id: int, phase: int) -> set[str]:
    rows = db.execute(
        "SELECT account FROM claims WHERE challenge_id = ? AND phase = ?", (challenge_id, phase)
    )
    return {str(r[0]) for r in rows}


def leaves(db: sqlite3.Connection, challenge_id: int, phase: int, page: PageRequest
           ) -> Page[LeafEntry]:  # fmt: skip
    root = _current_root(db, challenge_id, phase)
    _require_report(db, root)
    after = page.after() or 0
    rows = db.execute(
        "SELECT rowid, account, amount FROM reward_leaves WHERE challenge_id = ? AND seq = ? "
        "AND rowid > ? ORDER BY rowid LIMIT ?",
        (challenge_id, root.seq, after, page.limit + 1),
    ).fetchall()
    rows, cursor = split_page(rows, page.limit, lambda r: int(r[0]))
    claimed = _claimed_accounts(db, challenge_id, phase)
    items = [LeafEntry(account=a, amount=m, claimed=a in claimed) for _, a, m in rows]
    return Page[LeafEntry](items=items, next_cursor=cursor)


def proof(db: sqlite3.Connection, challenge_id: int, phase: int, account: str) -> Proof:
    root = _current_root(db, challenge_id, phase)
    _require_report(db, root)
    row = db.execute(
        "SELECT amount, proof FROM reward_leaves WHERE challenge_id = ? AND seq = ? "
        "AND account = ?",
        (challenge_id, root.seq, account),
    ).fetchone()
    if row is None:
        raise not_found(
            "not_in_reward_tree",
            f"{account} has no leaf in the rewards root of challenge {challenge_id} "
            f"phase {phase}: nothing to claim there",
        )
    now = chain_time(db)
    view = _view(db, root, now)
    return Proof(
        challenge_id=challenge_id, phase=phase, seq=root.seq, account=account, amount=row[0],
        proof=json.loads(row[1]), merkle_root=view.merkle_root, claimable_at=view.claimable_at,
        claims_open=view.claims_open,
        claimed=account in _claimed_accounts(db, challenge_id, phase), root_state=root.state,
    )  # fmt: skip


def rewards_of(db: sqlite3.Connection, account: str) -> list[ProfileReward]:
    """Every root whose verified report gives `account` a leaf, with its claim state."""
    by_challenge: dict[int, list[_Root]] = {}
    now = chain_time(db)
    found = []
    for c, seq, amount in db.execute(
        "SELECT challenge_id, seq, amount FROM reward_leaves WHERE account = ? "
        "ORDER BY challenge_id, seq", (account,)
    ).fetchall():  # fmt: skip
        if c not in by_challenge:
            by_challenge[c] = _roots(db, c)
        root = next(r for r in by_challenge[c] if r.seq == seq)
        view = _view(db, root, now)
        found.append(ProfileReward(
            challenge_id=c, phase=root.phase, seq=seq, amount=str(amount),
            claimed=account in _claimed_accounts(db, c, root.phase),
            claimable_at=view.claimable_at, root_state=root.state,
        ))  # fmt: skip
    return found
