"""`coop index rebuild|follow`: build the API's read model from chain events, keep it current."""

import logging
import signal
import threading
from pathlib import Path
from types import FrameType

import click

from oracle.api.config import index_path
from oracle.api.read.profiles import render_pending
from oracle.cli.context import ChainContext, chain_options
from oracle.indexer.runner import Indexer


def open_indexer(ctx: ChainContext, db: Path | None) -> Indexer:
    """The indexer over the settings' chain, deployment and IPFS stack (reports), rendering
    the API's profiles ahead of time."""
    s = ctx.settings
    return Indexer(db or index_path(s), ctx.platform, ctx.content_store,
                   confirmations=s.confirmations, render_answers=render_pending)  # fmt: skip


db_option = click.option(
    "--db", type=click.Path(path_type=Path), default=None,
    help="Index file [DATA_DIR/index.sqlite3, env COOP_DATA_DIR].",
)  # fmt: skip


@click.group()
def index() -> None:
    """The index: platform events in SQLite, what the API and the web app read."""


@index.command()
@db_option
@chain_options
def rebuild(db: Path | None, config: Path | None, rpc_url: str | None, deployment: Path | None,
            account: str | None, as_json: bool) -> None:  # fmt: skip
    """Forget the index and read every event again from the deployment block.

    The old index stays readable until the new one is complete (one transaction), so a
    running API keeps answering. Reward reports are fetched from IPFS again.

    \b
    Example:
      coop index rebuild
      coop index rebuild --db /tmp/index.sqlite3 --json
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    indexer = open_indexer(ctx, db)
    try:
        events = indexer.rebuild()
        head = indexer.cursor.last()[0]
    finally:
        indexer.close()
    ctx.emit(f"Rebuilt {indexer.db_path}: {events} events up to block {head}.",
             {"db": str(indexer.db_path), "events": events, "block": head})  # fmt: skip


@index.command()
@db_option
@chain_options
def follow(db: Path | None, config: Path | None, rpc_url: str | None, deployment: Path | None,
           account: str | None, as_json: bool) -> None:  # fmt: skip
    """Keep the index current: read confirmed events as blocks come, rewind on reorgs.

    Stops on Ctrl-C or SIGTERM after the step in progress. `coop api serve` does the same
    in the background unless given --no-follow.

    \b
    Example:
      COOP_CONFIRMATIONS=2 coop index follow
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    indexer = open_indexer(ctx, db)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    click.echo(f"Following the chain into {indexer.db_path} (Ctrl-C stops)…", err=True)
    try:
        indexer.follow(stop, ctx.settings.poll_seconds)
    finally:
        indexer.close()
