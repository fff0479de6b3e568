"""`coop receipt SUBMISSION`: the report a submission's score names, with a code run's receipt."""

import click

from oracle.cli.context import ChainContext, chain_options
from oracle.ledger.replay import read_ledger
from oracle.participant.receipts import signed_report
from oracle.status import Status
from oracle.types import wad_text


@click.command("receipt")
@click.argument("submission", type=int)
@chain_options
def receipt(submission: int, **options: object) -> None:
    """Show the report SUBMISSION's score names on chain (its reportDigest), from IPFS.

    The status and its reason in words; for a code submission the receipt every oracle
    signed alike: the code and runtime, the inputs' CIDs, the limits and seed, how the
    run ended and the CID of the predictions it wrote (for NOT_REPRODUCIBLE, each
    oracle's outcome). Each oracle's resource use and log tail are its own records: the
    API's /v1/submissions/SUBMISSION/receipt gathers them.

    \b
    Examples:
      $ coop receipt 12
      $ coop receipt 12 --json
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    signed = signed_report(read_ledger(ctx.platform), ctx.content_store, submission)
    cid, report = signed.cid, signed.report
    public = (
        "" if report.public_score is None else f", public score {wad_text(report.public_score)}"
    )
    said = "" if report.status is Status.VALID else f": {report.reason}"
    lines = [f"Submission {submission} (challenge {report.challenge_id}, phase {report.phase}): "
             f"{report.status.name}{public}{said}", f"report {cid}"]  # fmt: skip
    if report.receipt is not None:
        r = report.receipt
        ended = (
            "outcomes " + ", ".join(r.outcomes)
            if r.outcomes
            else f"exit code {r.exit_code}, exception {r.exception}, "
            f"predictions {r.predictions_cid}"
        )
        limits = ", ".join(f"{k} {v:g}" for k, v in sorted(r.limits.items()))
        lines += [f"code {r.code_cid} on runtime {r.runtime_digest}, seed {r.seed}",
                  "inputs " + ", ".join(f"{k} {v}" for k, v in sorted(r.inputs.items())),
                  f"limits {limits}", ended]  # fmt: skip
    ctx.emit("\n".join(lines), signed.as_json())
