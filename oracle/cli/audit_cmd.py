"""`coop audit CHALLENGE`: replay a challenge from the ledger and check every claim."""

import json
import sys
from pathlib import Path

import click

from oracle.audit.findings import AuditReport
from oracle.audit.run import audit_challenge
from oracle.cli.context import ChainContext, chain_options
from oracle.types import plural

EXIT_DISCREPANCY = 1


@click.command()
@click.argument("challenge_id", type=int)
@chain_options
def audit(challenge_id: int, config: Path | None, rpc_url: str | None,
          deployment: Path | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Re-derive a challenge from public data and say whether the ledger holds up.

    Replays the challenge from chain events alone, then checks: every score batch and
    rewards root against the oracle set and quorum of its time (signatures read from the
    posting transactions); every CID's content against its hash; after the holdout reveal,
    every public and private score recomputed from the IPFS data; every rewards root
    recomputed with reward rule v1 and compared, with its report.

    Exit status 0 when everything matches, 1 when something does not (each discrepancy is
    named), 2 when the audit could not run (bad id, no node).

    No account is needed: an audit sends nothing. It needs the node (--rpc-url /
    COOP_RPC_URL), the deployment file (--deployment / COOP_DEPLOYMENT) and the files the
    events name, fetched by CID and checked against it from, in order: the embedded store
    in COOP_DATA_DIR/ipfs (or COOP_IPFS_DIR); a kubo node with COOP_IPFS_BACKEND=kubo
    (COOP_KUBO_API, default http://127.0.0.1:5001); then every gateway in COOP_GATEWAYS,
    comma-separated base URLs answering /ipfs/CID (the platform's API is one, e.g.
    http://127.0.0.1:8000 under `make run`; a public one is https://ipfs.io). An outside
    auditor without the platform's data dir sets COOP_GATEWAYS.

    \b
    Example:
      coop audit 1
      coop audit 1 --json | jq .findings
      COOP_GATEWAYS=http://127.0.0.1:8000 COOP_DATA_DIR=$(mktemp -d) coop audit 1
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    store = ctx.content_store
    progress = (lambda step: None) if as_json else (lambda step: click.echo(f"… {step}", err=True))
    report = audit_challenge(ctx.platform, store, challenge_id, progress)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(_human(report))
    sys.exit(0 if report.ok else EXIT_DISCREPANCY)


def _human(report: AuditReport) -> str:
    checked = ", ".join(f"{n} {what}" for what, n in sorted(report.checked.items())) or "nothing"
    lines = [f"Audit of challenge {report.challenge_id} up to block {report.last_block}",
             f"checked: {checked}"]  # fmt: skip
    lines += [f"note: {note}" for note in report.notes]
    if report.ok:
        lines.append("OK: everything on the ledger matches what public data gives.")
    else:
        lines.append(f"FAILED: {plural(len(report.findings), 'discrepancy', 'discrepancies')}")
        lines += [f"  - {finding}" for finding in report.findings]
        lines.append(
            "A wrong rewards root can be disputed while its dispute window is open (`coop "
            "challenge status` shows it): `coop rewards dispute "
            f"{report.challenge_id} PHASE --reason-file FINDING` (docs/auditor.md)"
        )
    return "\n".join(lines)
