"""`coop api serve`: the REST API, the web app and the IPFS gateway over uvicorn."""

import logging
import threading
from pathlib import Path

import click

from oracle.api.config import ApiConfig, MiB
from oracle.cli.context import ChainContext, chain_options
from oracle.cli.index_cmd import db_option, open_indexer


@click.group()
def api() -> None:
    """The HTTP API (REST under /v1, OpenAPI at /docs) and the web app."""


@api.command()
@click.option("--host", default=None, help="Interface to listen on [env COOP_LISTEN_HOST].")
@click.option("--port", type=int, default=None, help="Port [env COOP_API_PORT, 8000].")
@click.option("--no-follow", is_flag=True,
              help="Serve the index as it is; do not follow the chain.")  # fmt: skip
@click.option("--max-upload-mib", type=click.IntRange(1, 4096), default=64, show_default=True,
              help="Largest file POST /v1/ipfs accepts.")  # fmt: skip
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (the indexer still runs once, in this one).")  # fmt: skip
@click.option("--access-log/--no-access-log", default=True, show_default=True,
              help="Log every request (uvicorn's access log).")  # fmt: skip
@db_option
@chain_options
def serve(host: str | None, port: int | None, no_follow: bool, max_upload_mib: int,
          workers: int, access_log: bool, db: Path | None, config: Path | None, rpc_url: str | None,
          deployment: Path | None,
          account: str | None, as_json: bool) -> None:  # fmt: skip
    """Serve the API and the web app; follow the chain into the index meanwhile.

    Handlers read only the index (DATA_DIR/index.sqlite3) and the block store
    (DATA_DIR/ipfs); a background thread keeps the index current (`coop index follow`).
    Endpoints and JSON: docs/api.md, or /docs once running.

    \b
    Example:
      coop api serve --port 8000
      curl -s localhost:8000/v1/challenges/1/leaderboard/public | jq .items
    """
    import uvicorn

    from oracle.api.app import create_app
    from oracle.api.workers import serve_workers

    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    s = ctx.settings
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    base = ApiConfig.from_settings(s, db)
    app_config = ApiConfig(db_path=base.db_path, ipfs_dir=base.ipfs_dir,
                           max_upload_bytes=max_upload_mib * MiB,
                           oracle_urls=base.oracle_urls, rpc_url=base.rpc_url,
                           deployment=base.deployment)  # fmt: skip
    stop = threading.Event()
    follower: threading.Thread | None = None
    indexer = None
    if not no_follow:
        indexer = open_indexer(ctx, db)  # creates the index before the first request
        follower = threading.Thread(target=indexer.follow, args=(stop, s.poll_seconds),
                                    name="indexer", daemon=True)  # fmt: skip
        follower.start()
    try:
        where = {"host": host or s.listen_host, "port": s.api_port if port is None else port,
                 "log_level": "info", "access_log": access_log,
                 "timeout_graceful_shutdown": 5}  # fmt: skip
        if workers == 1:
            uvicorn.run(create_app(app_config), **where)  # type: ignore[arg-type]
        elif code := serve_workers(app_config, workers=workers, **where):  # type: ignore[arg-type]
            raise SystemExit(code)
    finally:
        stop.set()
        if follower is not None:
            follower.join(timeout=30)
        if indexer is not None:
            indexer.close()
