"""`coop oracle run` (the oracle daemon) and `coop oracle status` (what its database holds)."""

import logging
import sqlite3
from pathlib import Path

import click

from oracle.cli.context import ChainContext, chain_options
from oracle.daemon.config import DB_FILE, daemon_config, signing_key
from oracle.errors import ConfigError

QUIET_LOGGERS = ("web3", "urllib3", "httpx", "httpcore", "asyncio")


@click.group()
def oracle() -> None:
    """Run an oracle: follow the chain, score, sign with peers, post (docs/operator.md)."""


@oracle.command()
@click.option("--verbose", "-v", is_flag=True, help="Log every chain step and peer answer.")
@chain_options
def run(
    verbose: bool,
    config: Path | None,
    rpc_url: str | None,
    deployment: Path | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Run the oracle daemon until SIGINT/SIGTERM (a second signal stops at once).

    Settings come from COOP_* variables or coop.toml (docs/operator.md lists them): the
    key (COOP_ACCOUNT keystore, or COOP_PRIVATE_KEY on dev chains), the shared oracle key
    (COOP_ORACLE_SHARED_KEY), peers (COOP_PEERS), the owner's holdout folder
    (COOP_HOLDOUT_DIR), the port for peers and /metrics (COOP_LISTEN_PORT).

    \b
    Example:
      COOP_ACCOUNT=oracle1 COOP_ORACLE_SHARED_KEY=... COOP_HOLDOUT_DIR=./holdouts \\
      COOP_PEERS=http://10.0.0.2:8700,http://10.0.0.3:8700 coop oracle run
      curl -s localhost:8700/healthz
    """
    from oracle.daemon.service import OracleService

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    key = signing_key(ctx.settings, lambda text: str(click.prompt(text, hide_input=True)))
    service = OracleService(daemon_config(ctx.settings, key), ctx.platform, ctx.content_store)
    service.run()


@oracle.command()
@chain_options
def status(
    config: Path | None,
    rpc_url: str | None,
    deployment: Path | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Show what the oracle's database holds: last block read, jobs by state, waiting jobs.

    Reads DATA_DIR/oracle.sqlite only (the daemon may be running).

    \b
    Example:
      COOP_DATA_DIR=.coop/oracle-1 coop oracle status --json
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    path = ctx.settings.data_dir / DB_FILE
    if not path.is_file():
        raise ConfigError(f"no oracle database at {path}; is COOP_DATA_DIR the oracle's folder?")
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT MAX(number) FROM follower_blocks").fetchone()
        jobs = dict(db.execute("SELECT state, COUNT(*) FROM jobs GROUP BY state").fetchall())
        waiting = db.execute(
            "SELECT submission_id, state, attempts, note FROM jobs WHERE status IS NULL "
            "AND note != '' ORDER BY submission_id LIMIT 20"
        ).fetchall()
    finally:
        db.close()
    data = {
        "database": str(path),
        "last_block": row[0],
        "jobs": jobs,
        "unscored_with_notes": [
            {"submission_id": s, "state": st, "attempts": a, "note": n} for s, st, a, n in waiting
        ],
    }
    lines = [
        f"database   {path}",
        f"last block {row[0]}",
        "jobs       " + (", ".join(f"{k} {v}" for k, v in sorted(jobs.items())) or "none"),
    ]
    lines += [f"  #{s} {st} (tries {a}): {n}" for s, st, a, n in waiting]
    ctx.emit("\n".join(lines), data)
