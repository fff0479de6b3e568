"""`coop grant fund/claim/list/reclaim`: sponsors' mini-grants for a challenge phase."""

from decimal import Decimal, InvalidOperation
from typing import Any

import click

from oracle.chain.clock import chain_now, time_text
from oracle.chain.grants import (
    GrantPoolView,
    claim_grant,
    fund_pool,
    read_payments,
    read_pools,
    reclaim_pool,
)
from oracle.cli.challenge_publish import Amount, Duration, base_units
from oracle.cli.context import ChainContext, chain_options, tokens
from oracle.types import WAD, wad_text


class Score(click.ParamType[int]):
    """A score as a decimal number (`0.7`, `-1.25`), read as WAD (18 decimals)."""

    name = "score"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            scaled = Decimal(str(value)) * WAD
        except InvalidOperation:
            self.fail(f"{value!r} is not a score: use a decimal number such as 0.7", param, ctx)
        if not scaled.is_finite() or scaled != scaled.to_integral_value():
            self.fail(f"{value!r} has more than 18 decimals or is not finite", param, ctx)
        return int(scaled)


def pool_json(pool: GrantPoolView) -> dict[str, Any]:
    return {
        "pool_id": pool.pool_id, "challenge_id": pool.challenge_id, "phase": pool.phase,
        "sponsor": pool.sponsor, "token": pool.token, "threshold": str(pool.threshold),
        "higher_is_better": pool.higher_is_better, "amount_each": str(pool.amount_each),
        "slots": pool.slots, "paid": pool.paid, "left": str(pool.left),
        "closes_at": pool.closes_at, "reclaimed": pool.reclaimed,
    }  # fmt: skip


@click.group("grant")
def grant() -> None:
    """Mini-grants: fund a pool paying the first N participants past a score, claim a grant,
    list pools, reclaim the rest.

    A sponsor pays a fixed amount to each of the first N participants whose public score in
    a phase beats a threshold, as soon as that score is on chain (docs/grants.md).
    """


@grant.command("fund")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option("--phase", type=int, default=0, show_default=True,
              help="The phase the grants reward.")  # fmt: skip
@click.option("--threshold", type=Score(), required=True,
              help="The public score to beat, in the phase's direction (e.g. 0.7).")  # fmt: skip
@click.option("--each", type=Amount(), required=True, help="Tokens paid to each participant.")
@click.option("--slots", type=click.IntRange(1, 2**32 - 1), required=True,
              help="How many participants are paid (the first to claim).")  # fmt: skip
@click.option("--grace", type=Duration(), default="1d", show_default=True,
              help="How long claims stay open after the phase's reveal end.")  # fmt: skip
@chain_options
def fund(challenge_id: int, phase: int, threshold: int, each: Decimal, slots: int, grace: int,
         **options: Any) -> None:  # fmt: skip
    """Fund a grant pool for CHALLENGE's phase with the platform token (each times slots is pulled
    from your account; what no one claims comes back after the phase and its grace).

    \b
    Examples:
      $ coop grant fund 1 --threshold 0.7 --each 50 --slots 3 --account sponsor
    """
    ctx = ChainContext.from_options(**options)
    amount = base_units(ctx.platform, each, "--each")
    pool = fund_pool(ctx.platform, ctx.sender, challenge_id, phase, threshold, amount, slots,
                     grace)  # fmt: skip
    now = chain_now(ctx.platform)
    ctx.emit(
        f"Funded grant pool {pool.pool_id} for challenge {challenge_id} phase {phase}: "
        f"{pool.rule}; claims close {time_text(pool.closes_at, now)}",
        pool_json(pool),
    )


@grant.command("claim")
@click.argument("pool_id", metavar="POOL", type=int)
@click.option(
    "--for",
    "participant",
    metavar="ADDRESS",
    default=None,
    help="Claim for another participant (the tokens go to it; you pay the gas).",
)
@chain_options
def claim(pool_id: int, participant: str | None, **options: Any) -> None:
    """Claim POOL's grant: paid at once if your public best in its phase beats its threshold
    and a grant is left.

    \b
    Examples:
      $ coop grant claim 1 --account alice
    """
    ctx = ChainContext.from_options(**options)
    paid = claim_grant(ctx.platform, ctx.sender, pool_id, participant)
    ctx.emit(
        f"Paid {tokens(paid.amount)} tokens to {paid.participant} from grant pool {pool_id} "
        f"(public best {wad_text(paid.score)}; tx {paid.tx_hash})",
        {"pool_id": pool_id, "participant": paid.participant, "score": str(paid.score),
         "amount": str(paid.amount), "tx_hash": paid.tx_hash},
    )  # fmt: skip


@grant.command("list")
@click.argument("challenge_id", metavar="CHALLENGE", type=int, required=False)
@chain_options
def list_pools(challenge_id: int | None, **options: Any) -> None:
    """List the grant pools (of CHALLENGE if given) with who was paid.

    \b
    Examples:
      $ coop grant list 1
    """
    ctx = ChainContext.from_options(**options)
    pools = read_pools(ctx.platform, challenge_id)
    payments = read_payments(ctx.platform, {p.pool_id for p in pools})
    now = chain_now(ctx.platform)
    lines = []
    for pool in pools:
        state = "reclaimed" if pool.reclaimed else f"closes {time_text(pool.closes_at, now)}"
        lines.append(f"pool {pool.pool_id}  challenge {pool.challenge_id} phase {pool.phase}  "
                     f"{pool.paid}/{pool.slots} paid  {pool.rule}  {state}")  # fmt: skip
        lines += [f"  paid {tokens(p.amount)} to {p.participant} (public best {wad_text(p.score)})"
                  for p in payments if p.pool_id == pool.pool_id]  # fmt: skip
    ctx.emit(
        "\n".join(lines) or "no grant pools yet: `coop grant fund` funds one",
        {"pools": [{**pool_json(pool), "payments": [
            {"participant": p.participant, "score": str(p.score), "amount": str(p.amount),
             "tx_hash": p.tx_hash} for p in payments if p.pool_id == pool.pool_id]}
            for pool in pools]},
    )  # fmt: skip


@grant.command("reclaim")
@click.argument("pool_id", metavar="POOL", type=int)
@chain_options
def reclaim(pool_id: int, **options: Any) -> None:
    """After claims close, send what POOL still holds back to its sponsor (anyone may)."""
    ctx = ChainContext.from_options(**options)
    amount, tx_hash = reclaim_pool(ctx.platform, ctx.sender, pool_id)
    ctx.emit(
        f"Returned {tokens(amount)} tokens from grant pool {pool_id} to its sponsor (tx {tx_hash})",
        {"pool_id": pool_id, "amount": str(amount), "tx_hash": tx_hash},
    )
