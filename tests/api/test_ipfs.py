"""Uploading through the API and the /ipfs gateway: every byte served verifies against its CID."""

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from multiformats import CID

from oracle.api.app import create_app
from oracle.api.car import varint
from oracle.api.config import ApiConfig
from oracle.ipfs.cids import DAG_PB, RAW, cid_for_block, cid_key, parse_cid, verify_block
from oracle.ipfs.dagpb import PBLink, PBNode, encode_node
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.gateway import GatewayStore
from oracle.ipfs.importer import import_bytes
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.ipfs.reader import read_file
from oracle.ipfs.unixfs import NodeType, UnixFSData, encode_unixfs
from tests.api.conftest import Served, serve

DATA = os.urandom(700_000)  # three 256 KiB chunks under one dag-pb root


@pytest.fixture
def config(tmp_path: Path) -> ApiConfig:
    """An API with a block store and no index: /ipfs needs none."""
    return ApiConfig(db_path=tmp_path / "no-index.sqlite3", ipfs_dir=tmp_path / "ipfs",
                     web_dir=None, max_upload_bytes=1_000_000)  # fmt: skip


@pytest.fixture
def gateway(config: ApiConfig) -> Iterator[Served]:
    with serve(config) as running:
        yield running


def read_uvarint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def car_blocks(car: bytes) -> tuple[bytes, dict[str, bytes]]:
    """(header bytes, {cid: block}) of a CARv1; each block checked against its CID."""
    size, at = read_uvarint(car, 0)
    header, at = car[at : at + size], at + size
    blocks = {}
    while at < len(car):
        size, at = read_uvarint(car, at)
        section, at = car[at : at + size], at + size
        cid = CID.decode(section[:36])  # CIDv1 sha2-256: 4 prefix bytes + 32 digest bytes
        verify_block(cid, section[36:])
        blocks[cid_key(cid)] = section[36:]
    return header, blocks


def test_an_upload_is_served_back_verified_as_file_raw_block_and_car(
    gateway: Served, config: ApiConfig
) -> None:
    added = httpx.post(f"{gateway.url}/v1/ipfs", content=DATA, timeout=30)
    assert added.status_code == 201
    cid = added.json()["cid"]
    assert cid == cid_key(import_bytes(DATA).cid) and added.json()["size"] == len(DATA)

    file = httpx.get(f"{gateway.url}/ipfs/{cid}", timeout=30)
    assert file.content == DATA and file.headers["etag"] == f'"{cid}"'
    assert httpx.get(f"{gateway.url}/ipfs/{cid}",
                     headers={"If-None-Match": f'"{cid}"'}).status_code == 304  # fmt: skip

    raw = httpx.get(f"{gateway.url}/ipfs/{cid}?format=raw")
    assert raw.headers["content-type"] == "application/vnd.ipld.raw"
    verify_block(parse_cid(cid), raw.content)  # the root node, which hashes to the CID
    accepted = httpx.get(f"{gateway.url}/ipfs/{cid}",
                         headers={"Accept": "application/vnd.ipld.raw"})  # fmt: skip
    assert accepted.content == raw.content

    car = httpx.get(f"{gateway.url}/ipfs/{cid}?format=car", timeout=30)
    assert car.headers["content-type"] == "application/vnd.ipld.car"
    header, blocks = car_blocks(car.content)
    assert b"roots" in header and bytes(parse_cid(cid)) in header
    assert len(blocks) == 4 and next(iter(blocks)) == cid  # root first, then the three leaves
    assert read_file(lambda c: blocks[cid_key(c)], parse_cid(cid), len(DATA)) == DATA

    # Another oracle fetching through this API as a trustless gateway gets verified bytes.
    assert GatewayStore(gateway.url).cat(cid) == DATA
    assert httpx.head(f"{gateway.url}/ipfs/{cid}").status_code == 200


def test_kubo_imports_the_car_the_gateway_serves(
    gateway: Served, kubo: KuboDaemon, tmp_path: Path
) -> None:
    cid = httpx.post(f"{gateway.url}/v1/ipfs", content=DATA, timeout=30).json()["cid"]
    car = tmp_path / "file.car"
    car.write_bytes(httpx.get(f"{gateway.url}/ipfs/{cid}?format=car", timeout=30).content)

    out = kubo.cli("dag", "import", "--pin-roots", str(car))

    assert cid in out
    with KuboStore(kubo.api_url) as node:  # the node has the blocks from our CAR alone
        assert node.cat(cid) == DATA


def test_uploads_over_the_limit_and_directories_are_refused(config: ApiConfig,
                                                            tmp_path: Path) -> None:  # fmt: skip
    client = TestClient(create_app(config))
    too_big = client.post("/v1/ipfs", content=b"x" * (config.max_upload_bytes + 1))
    assert too_big.status_code == 413 and too_big.json()["reason"] == "too_large"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    directory = EmbeddedStore(config.ipfs_dir).add_path(folder).cid
    listed = client.get(f"/ipfs/{directory}")
    assert listed.status_code == 422 and listed.json()["reason"] == "not_a_file"
    assert client.get(f"/ipfs/{directory}?format=car").status_code == 200
    assert client.post("/v1/ipfs", content=b"").json()["cid"] == cid_key(import_bytes(b"").cid)
    assert varint(300) == b"\xac\x02"


def test_the_web_app_folder_is_served_at_the_root_when_there_is_one(
    config: ApiConfig, tmp_path: Path
) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<title>Coopetition</title>")
    with_web = TestClient(create_app(dataclasses.replace(config, web_dir=web)))
    assert with_web.get("/").text == "<title>Coopetition</title>"
    assert with_web.get("/v1/nothing").json()["reason"] == "not_found"  # the API still wins

    without = TestClient(create_app(config)).get("/")
    assert without.status_code == 404 and without.json()["reason"] == "not_found"


def put_node(store: EmbeddedStore, meta: UnixFSData, links: tuple[PBLink, ...] = ()) -> CID:
    block = encode_node(PBNode(links=links, data=encode_unixfs(meta)))
    cid = cid_for_block(DAG_PB, block)
    store.put_block(cid, block)
    return cid


def put_raw(store: EmbeddedStore, data: bytes) -> PBLink:
    cid = cid_for_block(RAW, data)
    store.put_block(cid, data)
    return PBLink(cid, "", len(data))


def test_a_bad_dag_gets_a_problem_document_before_any_body(
    gateway: Served, config: ApiConfig
) -> None:
    """Blocks that hash right but do not form a file (issue 20, point 6): a malformed node, or
    links whose declared sizes lie, are refused before the first byte of a body."""
    store = EmbeddedStore(config.ipfs_dir)
    garbage = b"\xff"  # a varint that runs past the end of the block
    malformed = cid_for_block(DAG_PB, garbage)
    store.put_block(malformed, garbage)
    hello, world = put_raw(store, b"hello"), put_raw(store, b"world")
    lying = {  # declared sizes that the leaves do not deliver, first and last
        "short first": put_node(store, UnixFSData(NodeType.FILE, filesize=20, blocksizes=(15, 5)),
                                (hello, world)),
        "short last": put_node(store, UnixFSData(NodeType.FILE, filesize=15, blocksizes=(5, 10)),
                               (hello, world)),
        "bad child": put_node(store, UnixFSData(NodeType.FILE, filesize=6, blocksizes=(5, 1)),
                              (hello, PBLink(malformed, "", 1))),
    }  # fmt: skip
    for name, cid in {"malformed root": malformed, **lying}.items():
        with httpx.stream("GET", f"{gateway.url}/ipfs/{cid_key(cid)}", timeout=30) as answer:
            body = answer.read()
        assert answer.status_code == 422, name
        assert answer.headers["content-type"] == "application/problem+json", name
        problem = json.loads(body)
        assert problem["reason"] == "malformed_dag", name
        assert "fetch them as they are with ?format=car or ?format=raw" in problem["detail"], name
    raw = httpx.get(f"{gateway.url}/ipfs/{cid_key(lying['short last'])}?format=raw")
    assert raw.status_code == 200 and raw.content == store.get_block(lying["short last"])
