"""The kubo backend: a kubo node spoken to over its HTTP RPC API (`/api/v0/...`) with httpx.

Adds use the CIDv1 defaults explicitly (so a node with other Import settings cannot
silently change CIDs) and the returned CID is compared with the one computed locally.
`cat` streams `/api/v0/cat` and accepts the bytes only if re-importing them gives the CID
asked for; otherwise it falls back to fetching and checking every block via block/get.
"""

import json
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from pathlib import Path
from typing import NoReturn, TypeVar

import httpx
from multiformats import CID

from oracle.errors import (
    BackendUnavailable,
    ContentUnreachable,
    IpfsError,
    NotAFile,
    RetryableError,
)
from oracle.ipfs.cids import cid_key, parse_cid, verify_block
from oracle.ipfs.importer import CHUNK_SIZE, DagEntry, import_bytes, import_path
from oracle.ipfs.kubo_upload import Part, directory_parts
from oracle.ipfs.store import DEFAULT_MAX_BYTES, AddResult, ContentStore
from oracle.ipfs.transport import (
    RetryPolicy,
    call_with_retries,
    make_client,
    raise_if_transient,
    read_limited,
)

ADD_PARAMS = {
    "cid-version": "1",
    "raw-leaves": "true",
    "chunker": f"size-{CHUNK_SIZE}",
    "hash": "sha2-256",
    "trickle": "false",
    "inline": "false",
    "pin": "true",
    "progress": "false",
}
_MISSING = ("not found", "could not find", "no link named")

T = TypeVar("T")
PartsFactory = Callable[[ExitStack], list[Part]]


def api_url(address: str) -> str:
    """Accept an http(s) URL or a kubo multiaddr such as /ip4/127.0.0.1/tcp/5001."""
    if address.startswith("/"):
        parts = address.strip("/").split("/")
        if len(parts) < 4 or parts[0] not in ("ip4", "ip6", "dns", "dns4", "dns6"):
            raise IpfsError(f"cannot use kubo API address {address!r}; give http://host:port")
        host = f"[{parts[1]}]" if parts[0] == "ip6" else parts[1]
        return f"http://{host}:{parts[3]}"
    return address.rstrip("/")


class KuboStore(ContentStore):
    """A kubo node's RPC API; every block it returns is verified before use."""

    def __init__(
        self,
        address: str = "http://127.0.0.1:5001",
        *,
        policy: RetryPolicy | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.base = api_url(address)
        self.name = f"kubo:{self.base}"
        self.policy = policy or RetryPolicy()
        self.client = client or make_client(self.policy)

    def close(self) -> None:
        self.client.close()

    def add_bytes(self, data: bytes) -> AddResult:
        expected = import_bytes(data)
        parts: list[Part] = [("file", ("data", data, "application/octet-stream"))]
        return self._add(lambda _: parts, expected, name="data")

    def add_path(self, path: Path) -> AddResult:
        path = Path(path)
        expected = import_path(path)
        return self._add(lambda stack: directory_parts(path, stack), expected, name=path.name)

    def put_block(self, cid: CID, block: bytes) -> None:
        parsed = parse_cid(cid)
        verify_block(parsed, block)
        params = {"cid-codec": parsed.codec.name, "mhtype": parsed.hashfun.name, "pin": "false"}
        parts: list[Part] = [("file", ("block", block, "application/octet-stream"))]
        answer = self._json(self._post("block/put", params, lambda _: parts), "block/put")
        if cid_key(parse_cid(str(answer.get("Key", "")))) != cid_key(parsed):
            raise IpfsError(f"kubo stored {answer.get('Key')} when asked to store {parsed}")

    def pin(self, cid: str | CID) -> None:
        key = cid_key(parse_cid(cid))
        self._post("block/stat", {"arg": key, "offline": "true"})  # ContentUnreachable if absent
        self._post("pin/add", {"arg": key, "recursive": "true"})

    def has(self, cid: str | CID) -> bool:
        try:
            self._post("block/stat", {"arg": cid_key(parse_cid(cid)), "offline": "true"})
        except ContentUnreachable:
            return False
        return True

    def cat(self, cid: str | CID, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        parsed = parse_cid(cid)
        params = {"arg": cid_key(parsed), "length": str(max_bytes + 1)}
        what = f"kubo cat {cid_key(parsed)}"
        data = self._request("cat", params, what, lambda r: read_limited(r, max_bytes, what))
        if bytes(import_bytes(data).cid) == bytes(parsed):
            return data
        # Not laid out the `ipfs add --cid-version=1` way (or wrong): check block by block.
        return super().cat(parsed, max_bytes)

    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        what = f"kubo block/get {cid_key(cid)}"
        params = {"arg": cid_key(cid)}
        return self._request("block/get", params, what, lambda r: read_limited(r, limit, what))

    def _add(self, files: PartsFactory, expected: DagEntry, *, name: str) -> AddResult:
        response = self._post("add", ADD_PARAMS, files=files)
        entries = [self._json(line, "kubo add") for line in response.splitlines() if line.strip()]
        added = [entry for entry in entries if "Hash" in entry]
        if not added:
            raise IpfsError(f"kubo add at {self.base} returned no CID: {response[:200]}")
        root = next((entry for entry in added if entry.get("Name") == name), added[-1])
        got = cid_key(parse_cid(str(root["Hash"])))
        want = cid_key(expected.cid)
        if got != want:
            raise IpfsError(
                f"kubo at {self.base} added the content as {got}, but `ipfs add "
                f"--cid-version=1` defaults give {want}: check the node's Import.* config"
            )
        return AddResult(cid=got, content_size=expected.content_size, dag_size=expected.dag_size)

    def _post(
        self, command: str, params: Mapping[str, str], files: PartsFactory | None = None
    ) -> str:
        what = f"kubo {command}"
        return self._request(command, params, what, lambda r: r.read().decode(), files)

    def _request(
        self,
        command: str,
        params: Mapping[str, str],
        what: str,
        read: Callable[[httpx.Response], T],
        files: PartsFactory | None = None,
    ) -> T:
        url = f"{self.base}/api/v0/{command}"

        def attempt() -> T:
            with ExitStack() as stack:
                parts = files(stack) if files is not None else None
                with self.client.stream("POST", url, params=params, files=parts) as response:
                    if response.status_code == 200:
                        return read(response)
                    self._raise_for_error(response, what)

        give_up = ContentUnreachable if command in ("cat", "block/get") else BackendUnavailable
        return call_with_retries(attempt, self.policy, f"{what} at {self.base}", give_up)

    def _raise_for_error(self, response: httpx.Response, what: str) -> NoReturn:
        body = response.read().decode(errors="replace")
        try:
            message = str(json.loads(body).get("Message", ""))
        except (ValueError, AttributeError):
            message = ""
        if not message:  # not a kubo command error: a proxy or a crash, maybe transient
            raise_if_transient(response, what)
            raise IpfsError(f"{what} answered HTTP {response.status_code}: {body[:200]}")
        if any(marker in message for marker in _MISSING):
            raise ContentUnreachable(f"{what}: kubo at {self.base} does not have it ({message})")
        if "is a directory" in message:
            raise NotAFile(f"{what}: {message}")
        if response.status_code in (502, 503, 504):
            raise RetryableError(f"{what}: {message}")
        raise IpfsError(f"{what} failed at {self.base}: {message}")

    @staticmethod
    def _json(text: str, what: str) -> dict[str, object]:
        try:
            value = json.loads(text)
        except ValueError as exc:
            raise IpfsError(f"{what} answered something that is not JSON: {text[:200]}") from exc
        if not isinstance(value, dict):
            raise IpfsError(f"{what} answered {text[:200]}")
        return value
