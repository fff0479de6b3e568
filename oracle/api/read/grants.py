"""Mini-grant pools and their payments, read from the GrantPool on the chain.

Unlike the index-backed readers, grants are read from the contract's views and events at
request time (a handful of pools per challenge; the index does not follow the GrantPool).
"""

from oracle.api.models import Model, Score
from oracle.chain.grants import GrantPaid, GrantPoolView, read_payments, read_pools
from oracle.chain.platform import Platform


class GrantPayment(Model):
    pool_id: int
    challenge_id: int
    phase: int
    participant: str
    score: Score  # the released public best the claim was checked against
    amount: str
    block: int
    tx_hash: str


class GrantPool(Model):
    pool_id: int
    challenge_id: int
    phase: int
    sponsor: str
    token: str
    threshold: Score
    higher_is_better: bool
    amount_each: str
    slots: int
    paid: int
    left: str  # token base units the pool still holds
    closes_at: int  # unix time: claims close after it, then the rest returns to the sponsor
    reclaimed: bool
    rule: str  # the rule in words
    payments: list[GrantPayment]


class Grants(Model):
    challenge_id: int
    pools: list[GrantPool]


class ProfileGrants(Model):
    address: str
    payments: list[GrantPayment]


def _payment(pool: GrantPoolView, paid: GrantPaid) -> GrantPayment:
    return GrantPayment(pool_id=pool.pool_id, challenge_id=pool.challenge_id, phase=pool.phase,
                        participant=paid.participant, score=Score.of(paid.score),
                        amount=str(paid.amount), block=paid.block_number,
                        tx_hash=paid.tx_hash)  # fmt: skip


def challenge_grants(platform: Platform, challenge_id: int) -> Grants:
    pools = read_pools(platform, challenge_id)
    payments = read_payments(platform, {p.pool_id for p in pools})
    return Grants(challenge_id=challenge_id, pools=[
        GrantPool(pool_id=p.pool_id, challenge_id=p.challenge_id, phase=p.phase,
                  sponsor=p.sponsor, token=p.token, threshold=Score.of(p.threshold),
                  higher_is_better=p.higher_is_better, amount_each=str(p.amount_each),
                  slots=p.slots, paid=p.paid, left=str(p.left), closes_at=p.closes_at,
                  reclaimed=p.reclaimed, rule=p.rule,
                  payments=[_payment(p, paid) for paid in payments if paid.pool_id == p.pool_id])
        for p in pools
    ])  # fmt: skip


def profile_grants(platform: Platform, address: str) -> ProfileGrants:
    pools = {p.pool_id: p for p in read_pools(platform)}
    mine = [p for p in read_payments(platform) if p.participant.lower() == address.lower()]
    return ProfileGrants(address=address,
                         payments=[_payment(pools[p.pool_id], p) for p in mine])  # fmt: skip
