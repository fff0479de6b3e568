"""/v1/challenges/{id}/export: the same Parquet tables as `coop export`, as a zip or one table.

Unlike every other route this one does not read the index: it replays the chain's events
(oracle/export/read.py, as `coop audit` does), so what it serves is byte for byte what
`coop export` writes. It needs the node and the deployment file (`coop api serve` passes
its settings'); the blocking replay runs in the thread pool.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from oracle.api.deps import ChallengeId, chain_platform
from oracle.api.problems import ApiProblem, invalid, not_found
from oracle.export.files import parquet_bytes, zip_bytes
from oracle.export.read import ReportNotVerified, read_export
from oracle.export.schema import TABLES
from oracle.ledger.model import UnknownChallenge

router = APIRouter(prefix="/v1/challenges", tags=["export"])

PARQUET = "application/vnd.apache.parquet"
TableName = Annotated[
    str | None,
    Query(max_length=32, description=f"One table only, as Parquet: {', '.join(TABLES)}."),
]


@router.get("/{challenge_id}/export", response_class=Response,
            responses={200: {"content": {"application/zip": {}, PARQUET: {}}}})  # fmt: skip
def export_challenge(request: Request, challenge_id: ChallengeId,
                     table: TableName = None) -> Response:  # fmt: skip
    """The challenge's public history (docs/export.md): a zip of `<table>.parquet` files, or
    with `?table=NAME` that one Parquet file. Read from the chain's events at request time."""
    if table is not None and table not in TABLES:
        raise invalid("unknown_table", f"no table {table!r}; the tables: {', '.join(TABLES)}")
    platform = chain_platform(
        request, "export_needs_chain", "the export (it replays the chain; `coop export` works "
        "against the node too)",
    )  # fmt: skip
    try:
        tables = read_export(platform, request.app.state.store, [challenge_id])
    except UnknownChallenge as exc:
        raise not_found("unknown_challenge", str(exc)) from None
    except ReportNotVerified as exc:
        raise ApiProblem(502, "report_not_verified", str(exc)) from None
    if table is not None:
        return Response(parquet_bytes(tables[table]), media_type=PARQUET, headers={
            "Content-Disposition": f'attachment; filename="{table}.parquet"'})  # fmt: skip
    name = f"challenge-{challenge_id}-export.zip"
    return Response(
        zip_bytes(tables),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
