"""Several backends as one: write to the first, read from whichever delivers verified bytes.

The usual stack is the embedded store, then a kubo node, then public gateways. A backend
that serves bytes not matching the CID is skipped (and logged); when no backend can
deliver a block the caller gets CidMismatch if someone served wrong bytes, otherwise
ContentUnreachable listing what each backend said.
"""

import logging
from collections.abc import Sequence
from pathlib import Path

from multiformats import CID

from oracle.errors import CidMismatch, ContentUnreachable, IpfsError
from oracle.ipfs.cids import cid_key
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ipfs.gateway import GatewayStore
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.store import AddResult, ContentStore
from oracle.ipfs.transport import RetryPolicy

log = logging.getLogger(__name__)


class FallbackStore(ContentStore):
    """Adds and pins go to `stores[0]`; blocks come from the first store that has them."""

    def __init__(self, stores: Sequence[ContentStore]) -> None:
        if not stores:
            raise ValueError("FallbackStore needs at least one backend")
        self.stores = tuple(stores)
        self.name = " > ".join(store.name for store in self.stores)

    def close(self) -> None:
        for store in self.stores:
            store.close()

    def add_bytes(self, data: bytes) -> AddResult:
        return self.stores[0].add_bytes(data)

    def add_path(self, path: Path) -> AddResult:
        return self.stores[0].add_path(path)

    def put_block(self, cid: CID, block: bytes) -> None:
        self.stores[0].put_block(cid, block)

    def pin(self, cid: str | CID) -> None:
        self.stores[0].pin(cid)

    def has(self, cid: str | CID) -> bool:
        for store in self.stores:
            try:
                if store.has(cid):
                    return True
            except IpfsError as exc:
                log.warning("%s could not answer has(%s): %s", store.name, cid, exc)
        return False

    def _fetch_block(self, cid: CID, limit: int) -> bytes:
        failures: list[str] = []
        mismatch: CidMismatch | None = None
        for store in self.stores:
            try:
                return store.get_block(cid)  # verified by that store's get_block
            except CidMismatch as exc:
                log.warning("%s served wrong bytes for %s; trying the next backend", store, cid)
                mismatch = exc
                failures.append(f"{store.name}: wrong bytes")
            except IpfsError as exc:
                failures.append(f"{store.name}: {exc}")
        if mismatch is not None:
            raise CidMismatch(f"{mismatch} (backends tried: {'; '.join(failures)})")
        raise ContentUnreachable(f"no backend could deliver {cid_key(cid)}: {'; '.join(failures)}")


def open_content_store(
    data_dir: Path,
    *,
    kubo_api: str | None = None,
    gateways: Sequence[str] = (),
    policy: RetryPolicy | None = None,
) -> ContentStore:
    """The backend stack from settings: embedded first, then kubo, then gateways in order."""
    stores: list[ContentStore] = [EmbeddedStore(data_dir)]
    if kubo_api:
        stores.append(KuboStore(kubo_api, policy=policy))
    stores.extend(GatewayStore(url, policy=policy) for url in gateways)
    return stores[0] if len(stores) == 1 else FallbackStore(stores)
