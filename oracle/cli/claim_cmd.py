"""`coop claim CHALLENGE`: collect the rewards a posted root owes you, checked end to end."""

from typing import Any

import click

from oracle.cli.context import ChainContext, chain_options, tokens
from oracle.ledger.claims import claim_rewards


@click.command("claim")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option(
    "--phase",
    type=int,
    default=None,
    help="Claim from this phase only [default: every phase with a root].",
)
@click.option(
    "--for",
    "beneficiary",
    metavar="ADDRESS",
    default=None,
    help="Claim for another address (the tokens go to it; you pay the gas).",
)
@chain_options
def claim(challenge_id: int, phase: int | None, beneficiary: str | None,
          **options: Any) -> None:  # fmt: skip
    """Claim your rewards from CHALLENGE once the dispute window of its root has passed.

    For each phase: reads the rewards root the oracles posted (RewardsPosted event and the
    vault's record), fetches its report from IPFS (verified against its CID), rebuilds the
    Merkle tree from the report's leaves and checks it gives the root on chain, then sends
    your leaf with its proof. Says so if you are owed nothing, claimed already, the root is
    disputed, or the dispute window is still open (and until when).

    \b
    Examples:
      $ coop claim 1 --account alice
      $ coop claim 1 --phase 0 --account alice --json
    """
    ctx = ChainContext.from_options(**options)
    if not ctx.as_json:
        click.echo("… fetching the rewards report and checking it against the root", err=True)
    results = claim_rewards(ctx.platform, ctx.content_store, ctx.sender, challenge_id, phase,
                            beneficiary)  # fmt: skip
    lines = [f"Claimed {tokens(p.claim.amount)} tokens for {p.claim.account} from challenge "
             f"{challenge_id} phase {p.claim.root.phase} (tx {p.tx_hash})"
             for p in results.paid]  # fmt: skip
    lines += [f"note: phase {index}: {why}" for index, why in results.refused]
    ctx.emit("\n".join(lines), {
        "challenge_id": challenge_id, "total": str(results.total),
        "claims": [{"phase": p.claim.root.phase, "account": p.claim.account,
                    "amount": str(p.claim.amount), "merkle_root": p.claim.root.merkle_root,
                    "report_cid": p.claim.root.report_cid, "proof": list(p.claim.proof),
                    "tx_hash": p.tx_hash} for p in results.paid],
        "skipped": [{"phase": index, "reason": str(why), "kind": type(why).__name__}
                    for index, why in results.refused],
    })  # fmt: skip
