"""How an API instance is set up: where the index and the block store are, its limits."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from oracle.settings import Settings

MiB = 1024 * 1024
WEB_DIR = Path(__file__).resolve().parents[1] / "web"
INDEX_FILE = "index.sqlite3"


@dataclass(frozen=True)
class ApiConfig:
    db_path: Path
    ipfs_dir: Path
    web_dir: Path | None = WEB_DIR  # served at / when it exists
    max_upload_bytes: int = 64 * MiB
    max_file_bytes: int = 1024 * MiB  # largest file /ipfs/{cid} streams
    stream_poll_seconds: float = 0.5
    keepalive_seconds: float = 15.0
    oracle_urls: tuple[str, ...] = ()  # asked by /v1/submissions/{id}/scoring
    # /v1/challenges/{id}/export replays the chain itself (never the index): its node and
    # deployment file; without them the export answers 503
    rpc_url: str | None = None
    deployment: Path | None = None

    def to_json(self) -> str:
        return json.dumps({k: None if v is None else str(v) if isinstance(v, Path) else v
                           for k, v in asdict(self).items()})  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> "ApiConfig":
        data = json.loads(text)
        for key in ("db_path", "ipfs_dir", "web_dir", "deployment"):
            data[key] = None if data[key] is None else Path(data[key])
        data["oracle_urls"] = tuple(data["oracle_urls"])
        return cls(**data)

    @classmethod
    def from_settings(cls, settings: Settings, db_path: Path | None = None) -> "ApiConfig":
        """The index at DATA_DIR/index.sqlite3; blocks at COOP_IPFS_DIR or DATA_DIR/ipfs."""
        return cls(db_path=db_path or index_path(settings), ipfs_dir=settings.ipfs_path,
                   oracle_urls=settings.oracle_urls, rpc_url=settings.rpc_url,
                   deployment=settings.deployment)  # fmt: skip


def index_path(settings: Settings) -> Path:
    return settings.data_dir / INDEX_FILE
