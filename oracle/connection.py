"""Opening what the settings point at: the chain's platform and the IPFS stack. Shared by the
CLI (oracle/cli/context.py) and the notebook SDK (oracle/sdk/client.py)."""

from web3 import Web3

from oracle.chain.deployment import Deployment
from oracle.chain.platform import Platform
from oracle.errors import ConfigError
from oracle.ipfs.fallback import open_content_store
from oracle.ipfs.store import ContentStore
from oracle.ipfs.transport import RetryPolicy
from oracle.settings import Settings


def open_platform(settings: Settings) -> Platform:
    w3 = Web3(Web3.HTTPProvider(settings.rpc_url, request_kwargs={"timeout": 30}))
    if not w3.is_connected():
        raise ConfigError(
            f"no Ethereum node answers at {settings.rpc_url}; start one "
            "(`make run` starts anvil) or pass --rpc-url / set COOP_RPC_URL"
        )
    return Platform.connect(w3, Deployment.load(settings.deployment))


def open_store(settings: Settings) -> ContentStore:
    """The embedded store, then kubo / gateways if the settings name them."""
    kubo = settings.kubo_api if settings.ipfs_backend == "kubo" else None
    policy = RetryPolicy(timeout=settings.ipfs_timeout_seconds)
    return open_content_store(
        settings.ipfs_path, kubo_api=kubo, gateways=settings.gateways, policy=policy
    )
