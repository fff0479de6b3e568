"""Taking back what no rewards root allocated once a challenge is over (`refundRemainder`).

The vault refunds once, to the owner and at the owner's call, when every phase is settled:
its root is past its dispute window, or it was voided 30 days ago without a corrected root,
or it has had no root for 30 days after its reveal end. The checks below read the same views
and say which phase holds back the refund, and until when.
"""

from dataclasses import dataclass

from web3.logs import DISCARD

from oracle.chain.challenges import PayoutRules, call_struct, read_payout_rules
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.roots import RootState, read_root
from oracle.chain.sender import Sender, transact_explained, tx_hash_of
from oracle.errors import CoopError


class RefundRefused(CoopError, ValueError):
    """Root of the reasons the remainder cannot be refunded now."""


class AlreadyRefunded(RefundRefused):
    """The remainder was refunded before; the challenge is closed."""


class NotTheOwner(RefundRefused):
    """Only the challenge's owner may refund (and so close) it."""


class PhaseNotSettled(RefundRefused):
    """A phase may still change what it allocates; `settled_at` is when it no longer can
    (None while its root is disputed)."""

    def __init__(self, message: str, settled_at: int | None) -> None:
        super().__init__(message)
        self.settled_at = settled_at


@dataclass(frozen=True)
class RefundPlan:
    challenge_id: int
    rules: PayoutRules  # the owner receives the refund
    amount: int  # `unallocated` now: what the refund will pay, in token base units


@dataclass(frozen=True)
class Refunded:
    challenge_id: int
    owner: str
    amount: int
    tx_hash: str


def check_refundable(platform: Platform, challenge_id: int, caller: str) -> RefundPlan:
    """What `refundRemainder` would refuse, in the contract's order; else what it pays."""
    rules = read_payout_rules(platform, challenge_id)
    if caller.lower() != rules.owner.lower():
        raise NotTheOwner(
            f"only the owner {rules.owner} of challenge {challenge_id} can refund it (you are "
            f"{caller}): pass --account with the owner's keystore"
        )
    vault = platform.vault.functions
    if vault.isClosed(challenge_id).call():
        raise AlreadyRefunded(
            f"the remainder of challenge {challenge_id} was refunded already; the challenge is "
            "closed (its posted roots stay claimable)"
        )
    now = chain_now(platform)
    grace = int(vault.REFUND_GRACE().call())
    for phase in range(rules.phase_count):
        root = read_root(platform, challenge_id, phase)
        where = f"phase {phase} of challenge {challenge_id}"
        if root.state == RootState.DISPUTED:
            raise PhaseNotSettled(
                f"the rewards root of {where} is disputed: the refund waits until the arbiter "
                f"decides (by {time_text(root.arbiter_deadline, now)}) or the dispute lapses, "
                "and then until the rest of its dispute window has passed",
                None,
            )
        if root.state == RootState.POSTED and now < root.claimable_at:
            raise PhaseNotSettled(
                f"the rewards root of {where} is in its dispute window until "
                f"{time_text(root.claimable_at, now)}: the refund waits until no root can be "
                "voided any more",
                root.claimable_at,
            )
        if root.state == RootState.VOIDED and now < root.voided_at + grace:
            raise PhaseNotSettled(
                f"the rewards root of {where} was voided; the refund waits for the oracles' "
                f"corrected root, or {time_text(root.voided_at + grace, now)} without one",
                root.voided_at + grace,
            )
        if root.state == RootState.NONE:
            reveal_end = int(
                call_struct(platform.registry.functions.getPhase(challenge_id, phase))["revealEnd"]
            )
            if now < reveal_end + grace:
                raise PhaseNotSettled(
                    f"{where} has no rewards root yet; the refund waits for it, or "
                    f"{time_text(reveal_end + grace, now)} (30 days after its reveal end) "
                    "without one",
                    reveal_end + grace,
                )
    return RefundPlan(challenge_id, rules, int(vault.unallocated(challenge_id).call()))


def refund_remainder(platform: Platform, sender: Sender, plan: RefundPlan) -> Refunded:
    """Sends `refundRemainder` (the owner only; the tokens go to the owner)."""
    cid = plan.challenge_id
    fn = platform.vault.functions.refundRemainder(cid)
    receipt = transact_explained(
        sender, fn, lambda: check_refundable(platform, cid, sender.address)
    )
    (event,) = platform.vault.events.RemainderRefunded().process_receipt(receipt, errors=DISCARD)
    return Refunded(cid, str(event["args"]["owner"]), int(event["args"]["amount"]),
                    tx_hash_of(receipt))  # fmt: skip
