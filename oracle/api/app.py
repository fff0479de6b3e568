"""The FastAPI application: routers, problem handlers, the block store, the web app at /."""

import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from oracle.api import problems
from oracle.api.cache import AnswerCacheLayer
from oracle.api.config import ApiConfig
from oracle.api.db import IndexReader
from oracle.api.routes import (
    challenges,
    export,
    folders,
    grants,
    ipfs,
    profiles,
    queue,
    status,
    stream,
    submissions,
)
from oracle.ipfs.embedded import EmbeddedStore

DESCRIPTION = """Challenges, leaderboards, submissions, fork graph, profiles, rewards and
proofs, read from the Coopetition index; an IPFS gateway over the node's block store.
Errors are application/problem+json with a `reason` code. See docs/api.md."""


def create_app(config: ApiConfig) -> FastAPI:
    app = FastAPI(title="Coopetition API", version="1", description=DESCRIPTION)
    app.state.config = config
    app.state.reader = reader = IndexReader(config.db_path)
    app.state.store = EmbeddedStore(config.ipfs_dir)
    problems.install(app)
    # No two routes match one path, so the order only decides how many are tried first:
    # the two read most (a board page, a profile) lead (routing is most of a request's CPU).
    routers = (challenges, profiles, status, export, grants, stream, submissions, queue,
               folders, ipfs)  # fmt: skip
    for module in routers:
        app.include_router(module.router)
    if config.web_dir is not None and config.web_dir.is_dir():
        app.mount("/", StaticFiles(directory=config.web_dir, html=True), name="web")
    app.add_middleware(AnswerCacheLayer, index=reader)
    return app


CONFIG_ENV = "COOP_API_CONFIG"


def app_from_environment() -> FastAPI:
    """The app of a uvicorn worker process: its config comes as JSON in COOP_API_CONFIG
    (`coop api serve --workers N` sets it)."""
    return create_app(ApiConfig.from_json(os.environ[CONFIG_ENV]))
