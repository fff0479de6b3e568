"""The embedded block store over HTTP: add a file, and a verifiable gateway at /ipfs/{cid}.

Every block is checked against its CID before it is sent (the store does it on read).
`?format=raw` / `Accept: application/vnd.ipld.raw` gives one block, `?format=car` /
`Accept: application/vnd.ipld.car` a CARv1 of the whole DAG, anything else the file's
bytes. A DAG is walked once before its answer starts (for a file, with every link's size
checked as the file is read), so a missing or corrupt block, a malformed node or a link
whose declared size lies is a problem response rather than a cut-off body.
"""

from collections.abc import Iterator
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from multiformats import CID
from starlette.concurrency import run_in_threadpool

from oracle.api.car import car_stream
from oracle.api.config import ApiConfig
from oracle.api.deps import api_config, block_store
from oracle.api.models import Added
from oracle.api.problems import ApiProblem, not_found
from oracle.api.responses import matches
from oracle.errors import InvalidCid, MalformedDag
from oracle.ipfs.cids import cid_key, parse_cid
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.reader import iter_file

router = APIRouter(tags=["ipfs"])

RAW = "application/vnd.ipld.raw"
CAR = "application/vnd.ipld.car"
IMMUTABLE = "public, max-age=29030400, immutable"

CidPath = Annotated[str, Path(max_length=200, description="A CID (v0 or v1).")]
Format = Annotated[
    Literal["raw", "car"] | None, Query(alias="format", description="raw block or CAR")
]


@router.post("/v1/ipfs", status_code=201, response_model=Added)
async def add_file(request: Request) -> Response:
    """Adds the request body as one file; the CID equals `ipfs add --cid-version=1`'s."""
    config: ApiConfig = api_config(request)
    limit = config.max_upload_bytes
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(int(declared), limit)
    data = bytearray()
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise _too_large(len(data), limit)
    store = block_store(request)
    added = await run_in_threadpool(store.add_bytes, bytes(data))
    body = Added(cid=str(added.cid), size=added.content_size).model_dump_json()
    return Response(body, status_code=201, media_type="application/json")


def _too_large(size: int, limit: int) -> ApiProblem:
    return ApiProblem(413, "too_large", f"the upload is {size} bytes; the limit is {limit} bytes "
                      "(`coop api serve --max-upload-mib`)")  # fmt: skip


def _wanted(request: Request, format_: str | None) -> str:
    if format_ is not None:
        return format_
    accept = request.headers.get("accept", "")
    if RAW in accept:
        return "raw"
    return "car" if CAR in accept else "file"


@router.head("/ipfs/{cid}", response_class=Response)
async def gateway_head(request: Request, cid: CidPath, format_: Format = None) -> Response:
    """200 when the root block of the CID is in this node's store, else 404."""
    return await gateway(request, cid, format_)


@router.get("/ipfs/{cid}", response_class=Response)
async def gateway(request: Request, cid: CidPath, format_: Format = None) -> Response:
    """A verifiable gateway over the embedded store (raw block, CAR, or file bytes)."""
    store = block_store(request)
    parsed = parse_cid_text(cid)
    key = cid_key(parsed)
    kind = _wanted(request, format_)
    etag = f'"{key}"' if kind == "file" else f'"{key}.{kind}"'
    headers = {"ETag": etag, "Cache-Control": IMMUTABLE, "X-Ipfs-Roots": key}
    if not await run_in_threadpool(store.has, parsed):
        raise not_found("unknown_cid", f"{key} is not in this node's block store")
    if request.method == "HEAD":
        return Response(status_code=200, headers=headers)
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    if kind == "raw":
        block = await run_in_threadpool(store.get_block, parsed)
        return Response(block, media_type=RAW, headers=headers)
    if kind == "car":
        await run_in_threadpool(_check_dag, store, parsed)
        return StreamingResponse(car_stream(parsed, store.iter_blocks(parsed)), media_type=CAR,
                                 headers=headers)  # fmt: skip
    config: ApiConfig = api_config(request)
    await run_in_threadpool(_check_file, store, parsed, config.max_file_bytes)
    first, rest = await run_in_threadpool(_start_file, store, parsed, config.max_file_bytes)
    return StreamingResponse(_chain(first, rest), media_type="application/octet-stream",
                             headers=headers)  # fmt: skip


def parse_cid_text(text: str) -> CID:
    """parse_cid, with the odd input multiformats fails on (IndexError) as InvalidCid too."""
    try:
        return parse_cid(text)
    except (IndexError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, InvalidCid):
            raise
        raise InvalidCid(f"{text!r} is not a CID: {exc!r}") from None


def _check_dag(store: EmbeddedStore, cid: CID) -> None:
    """Reads (and so verifies) every block once; raises before any byte is sent."""
    for _ in store.iter_blocks(cid):
        pass


def _check_file(store: EmbeddedStore, cid: CID, limit: int) -> None:
    """Reads the whole file once, keeping nothing: every block verified, every node decoded
    and every link's declared size met (MalformedDag otherwise), before any byte is sent."""
    try:
        for _ in iter_file(store.get_block, cid, limit):
            pass
    except MalformedDag as exc:
        raise ApiProblem(
            422, "malformed_dag", f"{exc}: these blocks do not form a UnixFS file; fetch them "
            "as they are with ?format=car or ?format=raw",
        ) from None  # fmt: skip


def _start_file(store: EmbeddedStore, cid: CID, limit: int) -> tuple[bytes, Iterator[bytes]]:
    pieces = iter_file(store.get_block, cid, limit)
    return next(pieces, b""), pieces


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest
