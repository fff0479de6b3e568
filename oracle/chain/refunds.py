"""Taking back what no rewards root allocated once a challenge is over (`refundRemainder`).

The vault refunds once, to the owner, when the final phase is settled (its root is posted
and past its dispute window, or 30 days have passed since its reveal end without one) and
no phase's root can still change. The checks below read the same views and say which of
these holds back the refund, and until when.
"""

from dataclasses import dataclass

from web3.logs import DISCARD

from oracle.chain.challenges import PayoutRules, call_struct, read_payout_rules
from oracle.chain.claims import STATE_DISPUTED, STATE_NONE, STATE_POSTED, RootRecord, read_root
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender, transact_explained, tx_hash_of
from oracle.errors import CoopError


class RefundRefused(CoopError, ValueError):
    """Root of the reasons the remainder cannot be refunded now."""


class AlreadyRefunded(RefundRefused):
    """The remainder was refunded before; the challenge is closed."""


class NotRefundable(RefundRefused):
    """The final phase is not settled yet."""

    def __init__(self, message: str, refundable_at: int | None) -> None:
        super().__init__(message)
        self.refundable_at = refundable_at


class RootNotSettled(RefundRefused):
    """A phase's root is disputed or still in its dispute window."""


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


def check_refundable(platform: Platform, challenge_id: int) -> RefundPlan:
    """What `refundRemainder` would refuse, in the contract's order; else what it pays."""
    rules = read_payout_rules(platform, challenge_id)
    vault = platform.vault.functions
    if vault.isClosed(challenge_id).call():
        raise AlreadyRefunded(
            f"the remainder of challenge {challenge_id} was refunded already; the challenge is "
            "closed (its posted roots stay claimable)"
        )
    now = chain_now(platform)
    final = rules.phase_count - 1
    roots = [read_root(platform, challenge_id, p) for p in range(rules.phase_count)]
    last = roots[final]
    final_phase = call_struct(platform.registry.functions.getPhase(challenge_id, final))
    reveal_end = int(final_phase["revealEnd"])
    refundable_at = reveal_end + int(vault.REFUND_GRACE().call())
    settled = last.state == STATE_POSTED and now >= last.claimable_at
    if not settled and now < refundable_at:
        raise NotRefundable(
            f"the final phase ({final}) of challenge {challenge_id} is not settled: "
            f"{_final_phase_text(last, now)}; or else 30 days after its reveal end, from "
            f"{time_text(refundable_at, now)}, whatever happens to its root",
            _earliest(last, refundable_at),
        )
    for phase, root in enumerate(roots):
        if root.state == STATE_DISPUTED:
            raise RootNotSettled(
                f"the rewards root of challenge {challenge_id} phase {phase} is disputed: the "
                "refund waits until the arbiter decides (by "
                f"{time_text(root.arbiter_deadline, now)}) or the dispute lapses"
            )
        if root.state == STATE_POSTED and now < root.claimable_at:
            raise RootNotSettled(
                f"the rewards root of challenge {challenge_id} phase {phase} is in its dispute "
                f"window until {time_text(root.claimable_at, now)}: the refund waits until no "
                "root can be voided any more"
            )
    return RefundPlan(challenge_id, rules, int(vault.unallocated(challenge_id).call()))


def _final_phase_text(last: RootRecord, now: int) -> str:
    if last.state == STATE_NONE:
        return (
            "it has no rewards root yet; the refund opens once its root is posted and its "
            "dispute window has passed"
        )
    if last.state == STATE_POSTED:
        until = time_text(last.claimable_at, now)
        return f"its rewards root is in its dispute window until {until}"
    if last.state == STATE_DISPUTED:
        return (
            "its rewards root is disputed; the refund opens once the arbiter rejects the "
            "dispute or it lapses, after the root's dispute window"
        )
    return (
        "its rewards root was voided; the refund opens once the oracles' corrected root has "
        "passed its dispute window"
    )


def _earliest(last: RootRecord, refundable_at: int) -> int | None:
    if last.state == STATE_POSTED:
        return min(last.claimable_at, refundable_at)
    return refundable_at


def refund_remainder(platform: Platform, sender: Sender, plan: RefundPlan) -> Refunded:
    """Sends `refundRemainder` (anyone may; the tokens always go to the owner)."""
    cid = plan.challenge_id
    fn = platform.vault.functions.refundRemainder(cid)
    receipt = transact_explained(sender, fn, lambda: check_refundable(platform, cid))
    (event,) = platform.vault.events.RemainderRefunded().process_receipt(receipt, errors=DISCARD)
    return Refunded(cid, str(event["args"]["owner"]), int(event["args"]["amount"]),
                    tx_hash_of(receipt))  # fmt: skip
