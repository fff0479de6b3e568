"""Mini-grants on the GrantPool: funding a pool, claiming a grant, reclaiming the rest, reading.

A pool pays `amount_each` to each of the first `slots` distinct participants whose released
public best in the pool's phase beats its threshold (docs/grants.md). The checks below read
the same views the contract reads, in the contract's order, so a refusal says what is wrong
and what to do instead of a raw custom error.
"""

from dataclasses import dataclass

from web3 import Web3
from web3.contract import Contract
from web3.logs import DISCARD

from oracle.chain.challenges import call_struct
from oracle.chain.clock import chain_now, time_text
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender, transact_explained, tx_hash_of
from oracle.errors import ConfigError, CoopError
from oracle.types import Address, wad_text


class GrantRefused(CoopError, ValueError):
    """Root of the reasons a grant cannot be funded, claimed or reclaimed now."""


@dataclass(frozen=True)
class GrantPoolView:
    pool_id: int
    sponsor: Address
    token: Address
    challenge_id: int
    phase: int
    threshold: int  # WAD score to beat, in the phase's direction
    higher_is_better: bool
    amount_each: int  # token base units
    slots: int
    paid: int  # grants paid so far
    claim_grace: int  # seconds after the phase's reveal end
    closes_at: int  # unix time: claims close after it
    reclaimed: bool

    @property
    def left(self) -> int:
        """What the pool still holds, in token base units."""
        return 0 if self.reclaimed else self.amount_each * (self.slots - self.paid)

    @property
    def rule(self) -> str:
        beats = ">" if self.higher_is_better else "<"
        return (f"{wad_text(self.amount_each)} tokens each to the first {self.slots} "
                f"participants with a public score {beats} {wad_text(self.threshold)}")  # fmt: skip


@dataclass(frozen=True)
class GrantPaid:
    pool_id: int
    participant: Address
    score: int  # the released public best the claim was checked against (WAD)
    amount: int
    relayer: Address
    block_number: int
    log_index: int
    tx_hash: str

    @property
    def position(self) -> tuple[int, int]:
        """Where the payment sits in the chain: (block number, log index)."""
        return self.block_number, self.log_index


def grant_pool(platform: Platform) -> Contract:
    """The deployment's GrantPool; ConfigError when its file predates mini-grants."""
    if platform.grants is None:
        raise ConfigError(
            f"the deployment file of chain {platform.deployment.chain_id} names no GrantPool "
            "(it was written before mini-grants): redeploy with `brownie run scripts/deploy.py` "
            "or `coop up`"
        )
    return platform.grants


def read_pool(platform: Platform, pool_id: int) -> GrantPoolView:
    grants = grant_pool(platform).functions
    count = int(grants.poolCount().call())
    if not 1 <= pool_id <= count:
        known = f"ids 1 to {count}" if count else "none yet"
        raise GrantRefused(f"there is no grant pool {pool_id} ({known}): see `coop grant list`")
    p = call_struct(grants.getPool(pool_id))
    _eta, higher_is_better, _reveal_end, _correction = platform.registry.functions.scoringRules(
        p["challengeId"], p["phase"]
    ).call()
    return GrantPoolView(
        pool_id=pool_id,
        sponsor=Address(str(p["sponsor"])),
        token=Address(str(p["token"])),
        challenge_id=int(p["challengeId"]),
        phase=int(p["phase"]),
        threshold=int(p["threshold"]),
        higher_is_better=bool(higher_is_better),
        amount_each=int(p["amountEach"]),
        slots=int(p["slots"]),
        paid=int(p["paid"]),
        claim_grace=int(p["claimGrace"]),
        closes_at=int(grants.closesAt(pool_id).call()),
        reclaimed=bool(p["reclaimed"]),
    )


def read_pools(platform: Platform, challenge_id: int | None = None) -> list[GrantPoolView]:
    """Every pool, oldest first; only `challenge_id`'s when given."""
    count = int(grant_pool(platform).functions.poolCount().call())
    pools = [read_pool(platform, pool_id) for pool_id in range(1, count + 1)]
    return [p for p in pools if challenge_id is None or p.challenge_id == challenge_id]


def read_payments(platform: Platform, pool_ids: set[int] | None = None) -> list[GrantPaid]:
    """The GrantPaid events since the deployment, in chain order (only `pool_ids`' if given)."""
    contract = grant_pool(platform)
    logs = contract.events.GrantPaid().get_logs(from_block=platform.deployment.block)
    paid = [
        GrantPaid(
            pool_id=int(log["args"]["poolId"]),
            participant=Address(str(log["args"]["participant"])),
            score=int(log["args"]["score"]),
            amount=int(log["args"]["amount"]),
            relayer=Address(str(log["args"]["relayer"])),
            block_number=int(log["blockNumber"]),
            log_index=int(log["logIndex"]),
            tx_hash="0x" + bytes(log["transactionHash"]).hex(),
        )
        for log in logs
    ]
    return [p for p in paid if pool_ids is None or p.pool_id in pool_ids]


def read_reclaims(platform: Platform) -> dict[int, int]:
    """What each reclaimed pool sent back to its sponsor: {pool id: amount}."""
    logs = (
        grant_pool(platform).events.GrantReclaimed().get_logs(from_block=platform.deployment.block)
    )
    return {int(log["args"]["poolId"]): int(log["args"]["amount"]) for log in logs}


def public_best(platform: Platform, challenge_id: int, phase: int, who: str) -> int | None:
    """The participant's released public best on the phase's Ladder, None if it has none."""
    score, released = platform.score_board.functions.releasedBest(
        challenge_id, phase, Web3.to_checksum_address(who)
    ).call()
    return int(score) if released else None


def _beats(pool: GrantPoolView, score: int) -> bool:
    return score > pool.threshold if pool.higher_is_better else score < pool.threshold


def check_claimable(platform: Platform, pool_id: int, participant: str) -> GrantPoolView:
    """What `claim` would refuse, in the contract's order; else the pool."""
    pool = read_pool(platform, pool_id)
    now = chain_now(platform)
    if now > pool.closes_at:
        raise GrantRefused(
            f"claims on grant pool {pool_id} closed {time_text(pool.closes_at, now)}"
        )
    if grant_pool(platform).functions.isPaid(pool_id, participant).call():
        raise GrantRefused(f"{participant} was paid from grant pool {pool_id} already")
    if pool.paid >= pool.slots:
        raise GrantRefused(
            f"grant pool {pool_id} has paid all its {pool.slots} grants; none is left"
        )
    where = f"challenge {pool.challenge_id} phase {pool.phase}"
    best = public_best(platform, pool.challenge_id, pool.phase, participant)
    if best is None:
        raise GrantRefused(
            f"{participant} has no valid public score in {where} yet: submit (`coop submit`) "
            "and wait for the oracles' score (`coop status`), then claim"
        )
    if not _beats(pool, best):
        raise GrantRefused(
            f"{participant}'s public best in {where} is {wad_text(best)}; grant pool {pool_id} "
            f"pays {pool.rule.split(' to ', 1)[1]}"
        )
    return pool


def claim_grant(platform: Platform, sender: Sender, pool_id: int,
                participant: str | None = None) -> GrantPaid:  # fmt: skip
    """Claims pool `pool_id`'s grant for `participant` (default: the sender); the tokens go to
    the participant."""
    who = Web3.to_checksum_address(participant or sender.address)
    check_claimable(platform, pool_id, who)
    fn = grant_pool(platform).functions.claim(pool_id, who)
    receipt = transact_explained(sender, fn, lambda: check_claimable(platform, pool_id, who))
    (event,) = grant_pool(platform).events.GrantPaid().process_receipt(receipt, errors=DISCARD)
    args = event["args"]
    return GrantPaid(pool_id, Address(str(args["participant"])), int(args["score"]),
                     int(args["amount"]), Address(str(args["relayer"])),
                     int(receipt["blockNumber"]), int(event["logIndex"]),
                     tx_hash_of(receipt))  # fmt: skip


def fund_pool(platform: Platform, sender: Sender, challenge_id: int, phase: int, threshold: int,
              amount_each: int, slots: int, claim_grace: int,
              token: str | None = None) -> GrantPoolView:  # fmt: skip
    """Approves and funds a new pool (default token: the platform's); returns it as stored."""
    if amount_each <= 0 or slots <= 0:
        raise GrantRefused("a grant pool needs an amount above 0 and at least one slot")
    token_address = Web3.to_checksum_address(token or platform.token.address)
    erc20 = platform.w3.eth.contract(address=token_address, abi=platform.token.abi)
    total = amount_each * slots
    balance = int(erc20.functions.balanceOf(sender.address).call())
    if balance < total:
        raise GrantRefused(
            f"funding {slots} grants of {wad_text(amount_each)} needs {wad_text(total)} tokens; "
            f"{sender.address} holds {wad_text(balance)}"
        )
    reveal_end = platform.registry.functions.scoringRules(challenge_id, phase).call()[2]
    now = chain_now(platform)
    if now > int(reveal_end):
        raise GrantRefused(
            f"challenge {challenge_id} phase {phase} ended {time_text(int(reveal_end), now)}: "
            "fund a pool for a phase that is still open"
        )
    grants = grant_pool(platform)
    if int(erc20.functions.allowance(sender.address, grants.address).call()) < total:
        sender.transact(erc20.functions.approve(grants.address, total))
    fn = grants.functions.fund(challenge_id, phase, token_address, threshold, amount_each, slots,
                               claim_grace)  # fmt: skip
    receipt = sender.transact(fn)
    (event,) = grants.events.GrantFunded().process_receipt(receipt, errors=DISCARD)
    return read_pool(platform, int(event["args"]["poolId"]))


def check_reclaimable(platform: Platform, pool_id: int) -> GrantPoolView:
    pool = read_pool(platform, pool_id)
    now = chain_now(platform)
    if now <= pool.closes_at:
        raise GrantRefused(
            f"claims on grant pool {pool_id} stay open until {time_text(pool.closes_at, now)}; "
            "what is left goes back to the sponsor after that"
        )
    if pool.reclaimed:
        raise GrantRefused(
            f"what was left in grant pool {pool_id} went back to its sponsor already"
        )
    return pool


def reclaim_pool(platform: Platform, sender: Sender, pool_id: int) -> tuple[int, str]:
    """Sends what no claim took back to the sponsor; (amount, tx hash)."""
    check_reclaimable(platform, pool_id)
    fn = grant_pool(platform).functions.reclaim(pool_id)
    receipt = transact_explained(sender, fn, lambda: check_reclaimable(platform, pool_id))
    (event,) = grant_pool(platform).events.GrantReclaimed().process_receipt(receipt, errors=DISCARD)
    return int(event["args"]["amount"]), tx_hash_of(receipt)
