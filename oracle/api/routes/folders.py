"""Folders on IPFS (code submissions): list one's files, or put one together from files.

`GET /v1/ipfs/{cid}/files` lists a UnixFS directory's files (path, CID, size) from this
node's block store, every block verified; each file's bytes are then at `/ipfs/{file cid}`.
`POST /v1/ipfs/folder` makes the directory of files already added with `POST /v1/ipfs`,
by their paths; its CID is the one `ipfs add -r` (and `coop submit FOLDER`) gives the same
tree, so a browser can submit a folder one file at a time.
"""

from pathlib import PurePosixPath

from fastapi import APIRouter, Request
from fastapi.responses import Response
from multiformats import CID
from starlette.concurrency import run_in_threadpool

from oracle.api.deps import block_store
from oracle.api.models import Added, FolderFile, FolderListing, NewFolder
from oracle.api.problems import ApiProblem, not_found
from oracle.api.routes.ipfs import CidPath, parse_cid_text
from oracle.errors import ContentTooLarge, IpfsError, MalformedDag, NotAFile
from oracle.ipfs.cids import cid_key
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.folder import MAX_ENTRIES, assemble_folder, list_folder
from oracle.ipfs.importer import DagEntry

router = APIRouter(tags=["ipfs"])


@router.get("/v1/ipfs/{cid}/files", response_model=FolderListing)
async def folder_files(request: Request, cid: CidPath) -> FolderListing:
    """The files of a folder (a code submission), by path, with their CIDs and sizes."""
    store = block_store(request)
    parsed = parse_cid_text(cid)
    if not await run_in_threadpool(store.has, parsed):
        raise not_found("unknown_cid", f"{cid_key(parsed)} is not in this node's block store")
    try:
        files = await run_in_threadpool(list_folder, store.get_block, parsed)
    except NotAFile as exc:
        raise ApiProblem(422, "not_a_folder", f"{exc}; fetch a file at /ipfs/{cid}") from None
    except (MalformedDag, ContentTooLarge) as exc:
        raise ApiProblem(422, "unusable_folder", str(exc)) from None
    shown = [FolderFile(path=str(f.path), cid=cid_key(f.cid), size=f.size) for f in files]
    return FolderListing(cid=cid_key(parsed), files=shown,
                         total_bytes=sum(f.size for f in files))  # fmt: skip


@router.post("/v1/ipfs/folder", status_code=201, response_model=Added)
async def add_folder(request: Request, body: NewFolder) -> Response:
    """Puts files added before (POST /v1/ipfs) together as a folder; 201 with its CID."""
    store = block_store(request)
    files = {_path(part.path): parse_cid_text(part.cid) for part in body.files}
    if not files or len(files) > MAX_ENTRIES or len(files) != len(body.files):
        raise ApiProblem(422, "bad_folder", f"a folder holds 1 to {MAX_ENTRIES} files, each "
                         "path once")  # fmt: skip
    for path, cid in files.items():
        if not await run_in_threadpool(store.has, cid):
            raise not_found("unknown_cid", f"{path}: {cid_key(cid)} is not in this node's "
                            "block store; add the file first (POST /v1/ipfs)")  # fmt: skip
    try:
        entry = await run_in_threadpool(_assemble, store, files)
    except (IpfsError, MalformedDag) as exc:
        raise ApiProblem(422, "bad_folder", str(exc)) from None
    body_json = Added(cid=cid_key(entry.cid), size=entry.content_size).model_dump_json()
    return Response(body_json, status_code=201, media_type="application/json")


def _assemble(store: EmbeddedStore, files: dict[str, CID]) -> DagEntry:
    entry = assemble_folder(store.get_block, files, store.put_block)
    store.pin(entry.cid)
    return entry


def _path(text: str) -> str:
    """A file's path inside the folder: relative, plain names, none hidden (`ipfs add -r`
    leaves out names starting with a dot, so the CID would differ from `coop submit`'s)."""
    path = PurePosixPath(text)
    hidden = any(part.startswith(".") or "\0" in part for part in path.parts)  # "..", ".x"
    bad = not text or path.is_absolute() or str(path) != text or hidden
    if bad:
        raise ApiProblem(422, "bad_path", f"{text!r} is not a plain relative path inside the "
                         "folder (no leading /, no .., no hidden names); rename it")  # fmt: skip
    return text
