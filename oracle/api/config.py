"""How an API instance is set up: where the index and the block store are, its limits."""

from dataclasses import dataclass
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

    @classmethod
    def from_settings(cls, settings: Settings, db_path: Path | None = None) -> "ApiConfig":
        """The index at DATA_DIR/index.sqlite3 and the block store at DATA_DIR/ipfs."""
        return cls(db_path=db_path or index_path(settings), ipfs_dir=settings.data_dir / "ipfs")


def index_path(settings: Settings) -> Path:
    return settings.data_dir / INDEX_FILE
