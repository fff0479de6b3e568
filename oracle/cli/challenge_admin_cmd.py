"""`coop challenge refund|set-oracles`: the owner takes back what no root allocated at the
end, and announces new judges for later phases (added to the `challenge` group in
challenge_cmd.py)."""

from typing import Any

import click

from oracle.chain.clock import chain_now, time_text
from oracle.chain.oracle_set import plan_rotation, rotate_oracles
from oracle.chain.refunds import check_refundable, refund_remainder
from oracle.cli.context import ChainContext, chain_options, progress, tokens


@click.command("refund", short_help="Refund what no root allocated to the owner, at the end.")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@chain_options
def refund_cmd(challenge_id: int, **options: Any) -> None:
    """Send the owner of CHALLENGE what no rewards root allocated, once it is over.

    When: the final phase is settled (its rewards root is posted and past its dispute
    window, or 30 days have passed since its reveal end without one) and no phase's root
    is disputed or still in its dispute window; otherwise the command says what it waits
    for and until when. Who: anyone may send it; the tokens always go to the owner.

    Pays everything escrowed that no live root holds (earlier phases without a root
    included), once. The challenge is then closed: no new phase, no new root; posted roots
    stay claimable.

    \b
    Examples:
      $ coop challenge refund 1 --account owner
      $ coop challenge refund 1 --account owner --json
    """
    ctx = ChainContext.from_options(**options)
    plan = check_refundable(ctx.platform, challenge_id, ctx.sender.address)
    progress(ctx)(f"{tokens(plan.amount)} tokens are not held by any rewards root: "
                   f"refunding them to the owner {plan.rules.owner}")  # fmt: skip
    done = refund_remainder(ctx.platform, ctx.sender, plan)
    ctx.emit(
        f"Refunded {tokens(done.amount)} tokens of challenge {challenge_id} to its owner "
        f"{done.owner} (tx {done.tx_hash}).\n"
        "The challenge is closed: no more phases or roots; posted roots stay claimable.",
        {"challenge_id": challenge_id, "owner": done.owner, "amount": str(done.amount),
         "tx_hash": done.tx_hash},
    )  # fmt: skip


@click.command("set-oracles", short_help="Announce new oracles, quorum and arbiter (owner).")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option(
    "--oracle",
    "oracles",
    multiple=True,
    metavar="ADDRESS",
    help="An oracle of the new set (repeat for each: name the whole set, not a change).",
)
@click.option(
    "--quorum",
    type=int,
    default=None,
    help="Signatures a batch or root needs [default: a majority of the new set].",
)
@click.option(
    "--arbiter",
    required=True,
    metavar="ADDRESS",
    help="Who decides disputes of the phases the new judges take (may be the current one).",
)
@chain_options
def set_oracles_cmd(challenge_id: int, oracles: tuple[str, ...], quorum: int | None,
                    arbiter: str, **options: Any) -> None:  # fmt: skip
    """Announce new judges of CHALLENGE: oracle set, quorum and arbiter (the owner).

    They judge only the phases whose commits open at least the challenge's notice period
    from now; a phase whose commits are open, or over, keeps the oracles, quorum and
    arbiter it opened with, and what they signed stays valid. The new judges get a config
    version and digest of their own. Give each oracle's address once (1 to 32 of them);
    the order does not matter.

    \b
    Examples:
      $ coop challenge set-oracles 1 --oracle 0xA... --oracle 0xB... --oracle 0xC... \\
          --quorum 2 --arbiter 0xD... --account owner
      $ coop challenge set-oracles 1 --oracle 0xA... --quorum 1 --arbiter 0xD... --json
    """
    ctx = ChainContext.from_options(**options)
    owner = ctx.sender
    chosen = quorum if quorum is not None else len(oracles) // 2 + 1
    plan = plan_rotation(ctx.platform, owner.address, challenge_id, oracles, chosen, arbiter)
    now = chain_now(ctx.platform)
    progress(ctx)(f"announcing {plan.quorum} of {len(plan.oracles)} with arbiter "
                   f"{plan.arbiter} for the phases opening from "
                   f"{time_text(plan.active_from, now)} (config version {plan.old_version}, "
                   f"{plan.old_quorum} of {len(plan.old_oracles)}, keeps the others)")  # fmt: skip
    done = rotate_oracles(ctx.platform, owner, plan)
    ctx.emit(
        "\n".join([
            f"Announced new judges of challenge {challenge_id} (tx {done.tx_hash}).",
            f"  oracles ({plan.quorum} of {len(plan.oracles)} sign): {', '.join(plan.oracles)}",
            f"  arbiter {plan.arbiter}",
            f"  config version {done.config_version}, digest {done.config_digest}",
            f"  in force for phases whose commits open from {time_text(done.active_from, now)}",
            f"  (phases opening before keep version {plan.old_version}, digest "
            f"{plan.old_digest})",
            "Give the new oracles the holdout secrets of the phases they will judge.",
        ]),
        {"challenge_id": challenge_id, "oracles": list(plan.oracles), "quorum": plan.quorum,
         "arbiter": plan.arbiter, "config_version": done.config_version,
         "config_digest": done.config_digest, "active_from": done.active_from,
         "old_config_version": plan.old_version, "old_config_digest": plan.old_digest,
         "tx_hash": done.tx_hash},
    )  # fmt: skip
