"""Read-only backend: fetch single blocks from an HTTP gateway and walk the DAG ourselves.

Each block is requested as `GET {gateway}/ipfs/{cid}?format=raw` with
`Accept: application/vnd.ipld.raw` (the trustless-gateway form), so the gateway never
interprets the data for us; the base class rehashes every block before it is used.
"""

from pathlib import Path

import httpx
from multiformats import CID

from oracle.errors import ContentUnreachable, IpfsError, ReadOnlyBackend
from oracle.ipfs.cids import cid_key, parse_cid
from oracle.ipfs.store import AddResult, ContentStore
from oracle.ipfs.transport import (
    RetryPolicy,
    call_with_retries,
    make_client,
    raise_if_transient,
    read_limited,
)

RAW_BLOCK = "application/vnd.ipld.raw"
_MISSING_STATUS = frozenset({404, 410})


class GatewayStore(ContentStore):
    """An IPFS HTTP gateway (public or kubo's own); fetch only."""

    def __init__(
        self,
        base_url: str,
        *,
        policy: RetryPolicy | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.base = base_url.rstrip("/")
        self.name = f"gateway:{self.base}"
        self.policy = policy or RetryPolicy()
        self.client = client or make_client(self.policy)

    def close(self) -> None:
        self.client.close()

    def add_bytes(self, data: bytes) -> AddResult:
        raise self._read_only("add")

    def add_path(self, path: Path) -> AddResult:
        raise self._read_only("add")

    def put_block(self, cid: CID, block: bytes) -> None:
        raise self._read_only("store blocks")

    def pin(self, cid: str | CID) -> None:
        raise self._read_only("pin")

    def has(self, cid: str | CID) -> bool:
        url = self._url(parse_cid(cid))

        def attempt() -> bool:
            response = self.client.head(url, headers={"Accept": RAW_BLOCK})
            raise_if_transient(response, f"{self.name} HEAD")
            return response.status_code == 200

        try:
            return call_with_retries(attempt, self.policy, f"HEAD {url}", ContentUnreachable)
        except ContentUnreachable:
            return False

    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        url = self._url(cid)
        what = f"block {cid_key(cid)} from {self.base}"

        def attempt() -> bytes:
            with self.client.stream("GET", url, headers={"Accept": RAW_BLOCK}) as response:
                raise_if_transient(response, what)
                if response.status_code in _MISSING_STATUS:
                    raise ContentUnreachable(
                        f"gateway {self.base} does not have {cid_key(cid)} "
                        f"(HTTP {response.status_code})"
                    )
                if response.status_code != 200:
                    raise IpfsError(f"{what}: unexpected HTTP {response.status_code}")
                return read_limited(response, limit, what)

        return call_with_retries(attempt, self.policy, f"GET {what}", ContentUnreachable)

    def _url(self, cid: CID) -> str:
        return f"{self.base}/ipfs/{cid_key(cid)}?format=raw"

    def _read_only(self, action: str) -> ReadOnlyBackend:
        return ReadOnlyBackend(
            f"{self.name} is a read-only gateway and cannot {action}; use the embedded "
            "store or kubo for that"
        )
