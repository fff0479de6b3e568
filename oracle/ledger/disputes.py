"""Disputing a rewards root and settling the dispute: the bond a disputer locks, the
arbiter's decision, the lapse when the arbiter stays silent, and withdrawing credited bonds.

Each action is planned from the views first (`payoutRules`, `getRoot`, `bondCredit`, the
chain's clock): what the RewardVault would refuse is said in words, with the times
involved, before anything is sent. A transaction that still reverts (the chain moved in
between) is explained by the same checks run again; only when they find nothing does the
decoded custom error itself reach the user.
"""

from dataclasses import dataclass

from web3 import Web3
from web3.logs import DISCARD
from web3.types import TxReceipt

from oracle.chain.challenges import PayoutRules, read_payout_rules, read_phase_judges
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.publish import writable_backends
from oracle.chain.roots import RootRecord, RootState, read_root
from oracle.chain.sender import Sender, ether_text, transact_explained, tx_hash_of
from oracle.errors import CoopError, IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.claims import root_event
from oracle.ledger.model import DisputeFiled


class DisputeRefused(CoopError):
    """Root of the reasons a dispute action cannot happen now."""


class UnknownPhase(DisputeRefused, LookupError):
    """The challenge has no phase with this index."""


class NotDisputable(DisputeRefused, ValueError):
    """The phase has no root that may be disputed: none, voided, or disputed once already."""


class DisputeWindowClosed(DisputeRefused, ValueError):
    """The root's dispute window is over: claims are open and the root stands."""

    def __init__(self, message: str, closed_at: int) -> None:
        super().__init__(message)
        self.closed_at = closed_at


class NotDisputed(DisputeRefused, ValueError):
    """The root is not under an open dispute, so there is nothing to resolve or lapse."""


class NotArbiter(DisputeRefused, PermissionError):
    """Only the challenge's arbiter decides its disputes."""


class ArbiterDeadlinePassed(DisputeRefused, ValueError):
    """The arbiter's seven days are over: the dispute can only lapse now."""

    def __init__(self, message: str, deadline: int) -> None:
        super().__init__(message)
        self.deadline = deadline


class DisputeNotLapsed(DisputeRefused, ValueError):
    """The arbiter may still decide; the dispute lapses only at the arbiter's deadline."""

    def __init__(self, message: str, deadline: int) -> None:
        super().__init__(message)
        self.deadline = deadline


class BondNotHeld(DisputeRefused, ValueError):
    """The disputer's account holds less ETH than the dispute bond."""


class NothingToWithdraw(DisputeRefused, LookupError):
    """No dispute bond is credited to the account."""


@dataclass(frozen=True)
class PhaseRoot:
    """A phase's current root as the dispute actions see it, at the chain's time `now`."""

    challenge_id: int
    phase: int
    rules: PayoutRules
    record: RootRecord
    now: int
    arbiter: str  # the phase's arbiter (fixed when its commits opened)

    @property
    def where(self) -> str:
        return f"challenge {self.challenge_id} phase {self.phase}"


@dataclass(frozen=True)
class Disputed:
    root: PhaseRoot  # as planned, before the dispute
    reason_cid: str
    disputer: str
    arbiter_deadline: int
    tx_hash: str


@dataclass(frozen=True)
class Settled:
    """A dispute that ended: upheld or rejected by the arbiter, or lapsed."""

    root: PhaseRoot  # as planned, while disputed
    outcome: str  # "upheld", "rejected" or "lapsed"
    bond_to: str  # the account the bond was credited to
    bond: int  # wei
    tx_hash: str


@dataclass(frozen=True)
class Withdrawn:
    account: str
    amount: int  # wei
    tx_hash: str


def read_phase_root(platform: Platform, challenge_id: int, phase: int) -> PhaseRoot:
    """The payout rules and the phase's current root; UnknownPhase for a phase not added."""
    rules = read_payout_rules(platform, challenge_id)
    if not 0 <= phase < rules.phase_count:
        raise UnknownPhase(
            f"challenge {challenge_id} has phases 0 to {rules.phase_count - 1}, not {phase}"
        )
    record = read_root(platform, challenge_id, phase)
    arbiter = read_phase_judges(platform, challenge_id, phase).arbiter
    return PhaseRoot(challenge_id, phase, rules, record, chain_now(platform), arbiter)


def check_disputable(root: PhaseRoot) -> None:
    """What `dispute` would refuse, in the contract's order, with what to do instead."""
    r, where, now = root.record, root.where, root.now
    if r.state == RootState.NONE:
        raise NotDisputable(
            f"{where} has no rewards root to dispute yet: the oracles post it after the phase's "
            f"holdout reveal; `coop challenge status {root.challenge_id}` shows where it stands"
        )
    if r.state == RootState.VOIDED:
        raise NotDisputable(
            f"the rewards root of {where} was voided by the arbiter already; the oracles post a "
            "corrected one, which you may dispute in its own window"
        )
    if r.state == RootState.DISPUTED:
        raise NotDisputable(
            f"the rewards root of {where} is disputed already (by {r.disputer}); the arbiter "
            f"{root.arbiter} decides by {time_text(r.arbiter_deadline, now)}; if the root "
            "stands, its dispute window runs again for the time it had left, and you may "
            "dispute then"
        )
    if now >= r.claimable_at:
        raise DisputeWindowClosed(
            f"the dispute window of the rewards root of {where} closed at "
            f"{time_text(r.claimable_at, now)}: claims are open and the root can no longer be "
            "disputed",
            r.claimable_at,
        )


def check_not_disputed_by(platform: Platform, root: PhaseRoot, disputer: str) -> None:
    """Each account disputes a root once."""
    vault = platform.vault.functions
    account = Web3.to_checksum_address(disputer)
    if vault.hasDisputed(root.challenge_id, root.phase, account).call():
        raise NotDisputable(
            f"{disputer} disputed the rewards root of {root.where} before and the dispute was "
            "rejected or lapsed; each account disputes a root once"
        )


def plan_dispute(platform: Platform, disputer: str, challenge_id: int, phase: int) -> PhaseRoot:
    """The root to dispute and the bond it takes (`rules.dispute_bond`), if it can be and
    the disputer holds the bond."""
    root = read_phase_root(platform, challenge_id, phase)
    check_disputable(root)
    check_not_disputed_by(platform, root, disputer)
    bond = root.rules.dispute_bond
    held = int(platform.w3.eth.get_balance(Web3.to_checksum_address(disputer)))
    if held < bond:
        raise BondNotHeld(
            f"{disputer} holds {ether_text(held)} but the dispute bond of challenge "
            f"{challenge_id} is {ether_text(bond)} (plus gas): fund the account first"
        )
    return root


def publish_reason(store: ContentStore, reason: bytes) -> str:
    """Adds and pins the dispute's argument on every writable IPFS backend; its CID."""
    cids = set()
    for backend in writable_backends(store):
        cid = str(backend.add_bytes(reason).cid)
        backend.pin(cid)
        cids.add(cid)
    return cids.pop()


def send_dispute(platform: Platform, sender: Sender, root: PhaseRoot,
                 reason_cid: str) -> Disputed:  # fmt: skip
    """Sends `dispute` with exactly the challenge's bond; the root stays blocked until the
    arbiter decides or the dispute lapses."""
    cid, phase = root.challenge_id, root.phase
    fn = platform.vault.functions.dispute(cid, phase, reason_cid)

    def explain() -> None:
        again = read_phase_root(platform, cid, phase)
        check_disputable(again)
        check_not_disputed_by(platform, again, sender.address)

    receipt = transact_explained(sender, fn, explain, value=root.rules.dispute_bond)
    after = read_root(platform, cid, phase)
    return Disputed(root, reason_cid, sender.address, after.arbiter_deadline, tx_hash_of(receipt))


def check_disputed(root: PhaseRoot, action: str) -> None:
    """The root must be under an open dispute to `action` ("resolve" or "lapse") it."""
    r, where = root.record, root.where
    if r.state == RootState.DISPUTED:
        return
    if r.state == RootState.NONE:
        raise NotDisputed(f"{where} has no rewards root, so there is no dispute to {action}")
    if r.state == RootState.VOIDED:
        raise NotDisputed(
            f"the dispute of the rewards root of {where} was upheld already: the root is voided "
            "and the oracles post a corrected one"
        )
    assert r.state == RootState.POSTED
    if r.was_disputed:
        raise NotDisputed(
            f"the dispute of the rewards root of {where} is settled already (rejected or "
            "lapsed): the root stands"
        )
    raise NotDisputed(f"the rewards root of {where} is not disputed: there is nothing to {action}")


def check_resolvable(root: PhaseRoot, caller: str) -> None:
    """What `resolveDispute` would refuse: no open dispute, not the arbiter, too late."""
    check_disputed(root, "resolve")
    arbiter = root.arbiter
    if caller.lower() != arbiter.lower():
        raise NotArbiter(
            f"only the arbiter of {root.where}, {arbiter}, decides its disputes "
            f"(you sign as {caller}): pass --account with the arbiter's keystore"
        )
    deadline, now = root.record.arbiter_deadline, root.now
    if now >= deadline:
        raise ArbiterDeadlinePassed(
            f"the arbiter's time to decide the dispute of {root.where} ended at "
            f"{time_text(deadline, now)}: the root stands; anyone records that with "
            f"`coop rewards lapse {root.challenge_id} {root.phase}`",
            deadline,
        )


def plan_resolution(platform: Platform, caller: str, challenge_id: int,
                    phase: int) -> PhaseRoot:  # fmt: skip
    root = read_phase_root(platform, challenge_id, phase)
    check_resolvable(root, caller)
    return root


def send_resolution(platform: Platform, arbiter: Sender, root: PhaseRoot,
                    uphold: bool) -> Settled:  # fmt: skip
    """Upholds (the root is voided, the bond goes back to the disputer) or rejects (the root
    stands, the bond goes to the challenge's owner) the open dispute."""
    cid, phase = root.challenge_id, root.phase
    fn = platform.vault.functions.resolveDispute(cid, phase, uphold)
    caller = arbiter.address
    receipt = transact_explained(
        arbiter, fn, lambda: check_resolvable(read_phase_root(platform, cid, phase), caller)
    )
    to, amount = _bond_credited(platform, receipt)
    return Settled(root, "upheld" if uphold else "rejected", to, amount, tx_hash_of(receipt))


def check_lapsable(root: PhaseRoot) -> None:
    """What `lapseDispute` would refuse: no open dispute, or the arbiter may still decide."""
    check_disputed(root, "lapse")
    deadline, now = root.record.arbiter_deadline, root.now
    if now < deadline:
        raise DisputeNotLapsed(
            f"the arbiter {root.arbiter} may decide the dispute of {root.where} until "
            f"{time_text(deadline, now)}; the dispute can be lapsed from then on",
            deadline,
        )


def plan_lapse(platform: Platform, challenge_id: int, phase: int) -> PhaseRoot:
    root = read_phase_root(platform, challenge_id, phase)
    check_lapsable(root)
    return root


def send_lapse(platform: Platform, sender: Sender, root: PhaseRoot) -> Settled:
    """Ends a dispute the arbiter left undecided: the root stands, the disputer's bond is
    credited back to the disputer."""
    cid, phase = root.challenge_id, root.phase
    fn = platform.vault.functions.lapseDispute(cid, phase)
    receipt = transact_explained(
        sender, fn, lambda: check_lapsable(read_phase_root(platform, cid, phase))
    )
    to, amount = _bond_credited(platform, receipt)
    return Settled(root, "lapsed", to, amount, tx_hash_of(receipt))


def bond_credit(platform: Platform, account: str) -> int:
    """Wei `withdrawBonds` would pay `account`; NothingToWithdraw when none."""
    credit = int(platform.vault.functions.bondCredit(account).call())
    if credit == 0:
        raise NothingToWithdraw(
            f"nothing to withdraw: no dispute bond is credited to {account} (a bond is credited "
            "to the disputer when the arbiter upholds the dispute or lets it lapse, and to the "
            "challenge's owner when the arbiter rejects it)"
        )
    return credit


def withdraw_bonds(platform: Platform, sender: Sender) -> Withdrawn:
    """Pays every dispute bond credited to the sender, in ETH, in one transaction."""
    bond_credit(platform, sender.address)
    fn = platform.vault.functions.withdrawBonds()
    receipt = transact_explained(sender, fn, lambda: bond_credit(platform, sender.address))
    (event,) = platform.vault.events.BondWithdrawn().process_receipt(receipt, errors=DISCARD)
    return Withdrawn(sender.address, int(event["args"]["amount"]), tx_hash_of(receipt))


def _bond_credited(platform: Platform, receipt: TxReceipt) -> tuple[str, int]:
    (event,) = platform.vault.events.BondCredited().process_receipt(receipt, errors=DISCARD)
    return str(event["args"]["account"]), int(event["args"]["amount"])


REASON_MAX_BYTES = 1 << 20


@dataclass(frozen=True)
class DisputeView:
    """What an arbiter (or anyone) reads before deciding: the phase's root and its dispute."""

    root: PhaseRoot
    report_cid: str
    dispute: DisputeFiled | None  # the current root's dispute, if it was disputed
    reason: str | None  # the dispute's text, fetched from IPFS and checked against its CID
    reason_note: str  # why the reason is not shown, when it is not


def view_dispute(platform: Platform, store: ContentStore, challenge_id: int,
                 phase: int) -> DisputeView:  # fmt: skip
    """The phase's current root, who disputed it and why (NotDisputable: no root yet)."""
    root = read_phase_root(platform, challenge_id, phase)
    if root.record.state == RootState.NONE:
        raise NotDisputable(
            f"{root.where} has no rewards root yet: the oracles post it after the phase's "
            f"holdout reveal; `coop challenge status {challenge_id}` shows where it stands"
        )
    latest = root_event(platform, challenge_id, phase, root.record.merkle_root)
    dispute = latest.disputes[-1] if latest is not None and latest.disputes else None
    reason, note = None, ""
    if dispute is not None:
        try:
            raw = store.cat(dispute.reason_cid, max_bytes=REASON_MAX_BYTES)
            reason = raw.decode("utf-8", errors="replace")
        except IpfsError as exc:
            note = f"the reason {dispute.reason_cid} cannot be fetched from IPFS: {exc}"
    return DisputeView(root, latest.report_cid if latest else "", dispute, reason, note)
