"""What every duty of the daemon shares: its identity, chain, database, content and metrics.

One `DaemonContext` is built by `OracleService` and handed to each duty (following,
scoring, attesting, phase end, reviews, monitoring), so a duty holds only its own state.
The loop's duties use `db`/`jobs`; the HTTP server's threads use `server_jobs`, their own
connection, one request at a time under `server_lock`.
"""

import logging
import threading

from oracle.chain.platform import Platform
from oracle.chain.publish import writable_backends
from oracle.chain.sender import Sender
from oracle.daemon.attest import judges_anywhere
from oracle.daemon.chain_log import ChainLog
from oracle.daemon.config import DaemonConfig
from oracle.daemon.db import open_db
from oracle.daemon.jobs import JobStore
from oracle.daemon.materials import Materials
from oracle.daemon.metrics import OracleMetrics
from oracle.daemon.scorer import ScoringKeys
from oracle.errors import IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Ledger

log = logging.getLogger("oracle.daemon")


class DaemonContext:
    def __init__(self, config: DaemonConfig, platform: Platform, store: ContentStore) -> None:
        self.config = config
        self.platform = platform
        self.store = store
        self.chain_id = int(platform.w3.eth.chain_id)
        self.sender = Sender.from_key(platform.w3, config.private_key)
        self.address = str(self.sender.address)
        self.db = open_db(config.db_path)
        self.chain = ChainLog(self.db, platform.deployment.block)
        self.jobs = JobStore(self.db)
        self.server_jobs = JobStore(open_db(config.db_path))
        self.server_lock = threading.Lock()
        self.materials = Materials(store, config.holdout_dir)
        self.keys = ScoringKeys(self.chain_id, platform.score_board.address, config.shared_key)
        self.metrics = OracleMetrics()
        self.stopping = threading.Event()
        self.head = 0  # the chain's latest block number, as last seen by the follower
        self._warned: set[str] = set()

    def close(self) -> None:
        self.db.close()
        self.server_jobs.db.close()

    def is_me(self, address: str) -> bool:
        return address.lower() == self.address.lower()

    def serves(self, ledger: Ledger, challenge_id: int) -> bool:
        challenge = ledger.challenges.get(challenge_id)
        if challenge is None or not challenge.oracle_sets:
            return False
        if self.config.challenges and challenge_id not in self.config.challenges:
            return False
        return self.address.lower() in judges_anywhere(challenge)

    def served(self, ledger: Ledger) -> list[int]:
        return [c for c in sorted(ledger.challenges) if self.serves(ledger, c)]

    def chain_time(self) -> int:
        """The latest block's timestamp, which the next transaction's gas estimate sees."""
        return int(self.platform.w3.eth.get_block("latest")["timestamp"])

    def publish(self, data: bytes) -> None:
        """Adds and pins a report, labels or a run's predictions on every writable IPFS backend
        (best effort)."""
        for backend in writable_backends(self.store):
            try:
                backend.pin(str(backend.add_bytes(data).cid))
            except IpfsError as exc:
                log.warning("could not add a report to %s: %s", backend.name, exc)

    def warn_once(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            log.warning("%s", message)
