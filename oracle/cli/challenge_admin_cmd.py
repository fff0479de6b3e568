"""`coop challenge refund|set-oracles`: the owner takes back what no root allocated at the
end, and rotates the oracle set (added to the `challenge` group in challenge_cmd.py)."""

from typing import Any

import click

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
    plan = check_refundable(ctx.platform, challenge_id)
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


@click.command("set-oracles", short_help="Replace the oracle set and quorum (owner).")
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
@chain_options
def set_oracles_cmd(challenge_id: int, oracles: tuple[str, ...], quorum: int | None,
                    **options: Any) -> None:  # fmt: skip
    """Replace the oracle set and quorum of CHALLENGE (the owner, any time).

    The new set takes over at once: the config version goes up by one and the config
    digest changes, and every score batch or rewards root signed under the old digest
    and not yet posted is refused from then on (StaleConfigDigest); the new oracles score
    and sign it again. Oracles left out stop counting immediately. Give each oracle's
    address once (1 to 32 of them); the order does not matter.

    \b
    Examples:
      $ coop challenge set-oracles 1 --oracle 0xA... --oracle 0xB... --oracle 0xC... \\
          --quorum 2 --account owner
      $ coop challenge set-oracles 1 --oracle 0xA... --quorum 1 --account owner --json
    """
    ctx = ChainContext.from_options(**options)
    owner = ctx.sender
    chosen = quorum if quorum is not None else len(oracles) // 2 + 1
    plan = plan_rotation(ctx.platform, owner.address, challenge_id, oracles, chosen)
    progress(ctx)(f"replacing {plan.old_quorum} of {len(plan.old_oracles)} (config version "
                   f"{plan.old_version}) with {plan.quorum} of {len(plan.oracles)}: "
                   "signatures under the old config digest stop counting")  # fmt: skip
    done = rotate_oracles(ctx.platform, owner, plan)
    ctx.emit(
        "\n".join([
            f"Rotated the oracles of challenge {challenge_id} (tx {done.tx_hash}).",
            f"  oracles ({plan.quorum} of {len(plan.oracles)} sign): {', '.join(plan.oracles)}",
            f"  config version {done.config_version}, digest {done.config_digest}",
            f"  (was version {plan.old_version}, digest {plan.old_digest})",
            "Score batches and rewards roots signed under the old digest and not posted yet "
            "are refused now: the new oracles sign them again. Give them the holdout secret "
            "if they will score this challenge's phases.",
        ]),
        {"challenge_id": challenge_id, "oracles": list(plan.oracles), "quorum": plan.quorum,
         "config_version": done.config_version, "config_digest": done.config_digest,
         "old_config_version": plan.old_version, "old_config_digest": plan.old_digest,
         "tx_hash": done.tx_hash},
    )  # fmt: skip
