"""What the index is of, and how far it has read."""

import sqlite3

from oracle.api.models import DeploymentInfo, Status
from oracle.api.read.common import chain_time, meta
from oracle.indexer.schema import row_count


def status(db: sqlite3.Connection) -> Status:
    def need(key: str) -> str:
        return meta(db, key) or ""

    (challenges,) = db.execute("SELECT count(*) FROM challenges").fetchone()
    return Status(
        chain_id=int(need("chain_id") or 0),
        deployment=DeploymentInfo(
            token=need("token"), registry=need("registry"), book=need("book"),
            score_board=need("score_board"), vault=need("vault"),
            block=int(need("start_block") or 0),
        ),
        indexed_block=int(meta(db, "head_block") or 0),
        chain_time=chain_time(db),
        schema_version=need("schema_version"),
        challenge_count=int(challenges),
        submission_count=row_count(db, "submissions"),
    )  # fmt: skip
