"""`coop audit CHALLENGE`: replay a challenge from the ledger and check every claim."""

import json
import sys
from pathlib import Path

import click

from oracle.audit.findings import AuditReport
from oracle.audit.run import audit_challenge
from oracle.cli.context import ChainContext, chain_options
from oracle.cli.progress_bar import ProgressBar
from oracle.types import plural

EXIT_DISCREPANCY = 1
EXIT_INCOMPLETE = 3
PLATFORM_GATEWAY = "http://127.0.0.1:8000"  # `make run`'s API, which serves /ipfs/{cid}


@click.command()
@click.argument("challenge_id", type=int)
@click.option(
    "--sample",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Rerun N code submissions drawn at random instead of all (0: none).",
)
@chain_options
def audit(challenge_id: int, sample: int | None, config: Path | None, rpc_url: str | None,
          deployment: Path | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Re-derive a challenge from public data and say whether the ledger holds up.

    Replays the challenge from chain events alone, then checks: every score batch and
    rewards root against the oracle set and quorum of its time (signatures read from the
    posting transactions); every CID's content against its hash; after the holdout reveal,
    every public and private score recomputed from the IPFS data; every rewards root
    recomputed with reward rule v1 and compared, with its report. Code submissions are
    rerun in the sandbox from their receipts (folder, inputs, runtime by digest, limits,
    seed) and the predictions' CID compared with the receipt's; --sample N reruns N of
    them drawn at random (runtimes are built into COOP_RUNTIME_DIR, a minute each the
    first time).

    \b
    Exit status:
      0  everything was checked and matches
      1  a discrepancy: something on the ledger does not match (each one is named)
      2  the audit could not run (bad id, no node, no deployment file)
      3  no discrepancy, but some content could not be fetched, so not all was checked

    \b
    IPFS: the audit reads the embedded store in COOP_DATA_DIR/ipfs (the platform's own
    data dir has every file). Without it, point the audit at an IPFS gateway:
      COOP_GATEWAYS=http://127.0.0.1:8000     the platform's API (`make run`) serves /ipfs
      COOP_GATEWAYS=https://a.example,https://b.example   several, tried in order
      COOP_IPFS_BACKEND=kubo COOP_KUBO_API=http://127.0.0.1:5001   a kubo node
    Every block fetched is verified against its CID before it is used.

    \b
    Example:
      coop audit 1
      coop audit 1 --sample 3
      COOP_GATEWAYS=http://127.0.0.1:8000 coop audit 1 --json | jq .findings
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    store = ctx.content_store
    progress = (lambda step: None) if as_json else (lambda step: click.echo(f"… {step}", err=True))
    bar = ProgressBar("  scores recomputed") if not as_json else (lambda done, total: None)
    report = audit_challenge(ctx.platform, store, challenge_id, progress,
                             ctx.settings.runtime_path, sample, scores_counted=bar)  # fmt: skip
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(_human(report, ctx.settings.ipfs_path, ctx.settings.gateways))
    sys.exit(exit_status(report))


def exit_status(report: AuditReport) -> int:
    if not report.ok:
        return EXIT_DISCREPANCY
    return 0 if report.complete else EXIT_INCOMPLETE


def _human(report: AuditReport, ipfs_path: Path, gateways: tuple[str, ...]) -> str:
    checked = ", ".join(f"{n} {what}" for what, n in sorted(report.checked.items())) or "nothing"
    lines = [f"Audit of challenge {report.challenge_id} up to block {report.last_block}",
             f"checked: {checked}"]  # fmt: skip
    lines += [f"note: {note}" for note in report.notes]
    if report.unchecked:
        lines.append(f"could not check {plural(len(report.unchecked), 'item')}:")
        lines += [f"  - {finding}" for finding in report.unchecked]
        lines.append(_where_content_is(report.challenge_id, ipfs_path, gateways))
    if not report.ok:
        lines.append(f"FAILED: {plural(len(report.findings), 'discrepancy', 'discrepancies')}")
        lines += [f"  - {finding}" for finding in report.findings]
        lines.append(
            "A wrong rewards root can be disputed while its dispute window is open (`coop "
            "challenge status` shows it): `coop rewards dispute "
            f"{report.challenge_id} PHASE --reason-file FINDING` (docs/auditor.md)"
        )
    elif report.unchecked:
        lines.append(
            "INCOMPLETE: nothing checked disagrees with the ledger, but the content above could "
            "not be fetched, so it was not checked (this is not a discrepancy)."
        )
    else:
        lines.append("OK: everything on the ledger matches what public data gives.")
    return "\n".join(lines)


def _where_content_is(challenge_id: int, ipfs_path: Path, gateways: tuple[str, ...]) -> str:
    tried = f"the embedded store {ipfs_path}" + (
        f" and the gateways {', '.join(gateways)}" if gateways else " (no gateway set)"
    )
    return (
        f"The content was not in {tried}. Point the audit at an IPFS gateway that has the "
        f"challenge's files, e.g. the platform's API: `COOP_GATEWAYS={PLATFORM_GATEWAY} coop "
        f"audit {challenge_id}`, or at a kubo node with `COOP_IPFS_BACKEND=kubo` "
        "(see `coop audit --help`, docs/auditor.md)."
    )
