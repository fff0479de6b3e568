"""Platform logs decoded into typed events, in chain order.

Every consumer of the ledger (the oracle daemon, the indexer, the auditor) reads events
through `EventDecoder`, so a log is decoded one way everywhere. Values are plain Python:
ints, checksummed address strings, bytes for fixed/dynamic bytes, tuples for arrays.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from oracle.chain.artifacts import load_artifact
from oracle.chain.log_layouts import EventLayout
from oracle.chain.platform import Platform
from oracle.chain.raw_reads import RawLog, read_raw_logs


@dataclass(frozen=True)
class ChainEvent:
    """One decoded log: which contract emitted which event, with its arguments and place."""

    contract: str  # "ChallengeRegistry", "SubmissionBook", "ScoreBoard", "RewardVault", ...
    name: str  # the event name, e.g. "Revealed"
    args: Mapping[str, Any]
    block_number: int
    block_hash: bytes
    tx_hash: bytes
    log_index: int

    @property
    def position(self) -> tuple[int, int]:
        """Where the event sits in the chain: (block number, log index)."""
        return self.block_number, self.log_index

    def __getitem__(self, key: str) -> Any:
        return self.args[key]


class EventDecoder:
    """Decodes the raw logs of the platform's contracts; other logs are ignored."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._by_topic: dict[tuple[str, bytes], EventLayout] = {}
        contracts = {
            "CoopToken": platform.token,
            "ChallengeRegistry": platform.registry,
            "SubmissionBook": platform.book,
            "ScoreBoard": platform.score_board,
            "RewardVault": platform.vault,
        }
        for contract_name, contract in contracts.items():
            for abi in load_artifact(contract_name).abi:
                if abi.get("type") == "event":
                    layout = EventLayout.from_abi(contract_name, abi)
                    self._by_topic[(contract.address.lower(), layout.topic)] = layout

    @property
    def addresses(self) -> list[str]:
        return sorted({address for address, _ in self._by_topic})

    def decode(self, log: RawLog) -> ChainEvent | None:
        """One log as `eth_getLogs` answers it (hex strings), or None if not the platform's."""
        topics = log["topics"]
        if not topics:
            return None
        layout = self._by_topic.get((str(log["address"]).lower(), _bytes(topics[0])))
        if layout is None:
            return None
        return ChainEvent(
            contract=layout.contract,
            name=layout.name,
            args=MappingProxyType(layout.decode([_bytes(t) for t in topics], _bytes(log["data"]))),
            block_number=int(log["blockNumber"], 16),
            block_hash=_bytes(log["blockHash"]),
            tx_hash=_bytes(log["transactionHash"]),
            log_index=int(log["logIndex"], 16),
        )

    def decode_all(self, logs: Iterable[RawLog]) -> list[ChainEvent]:
        events = [e for e in (self.decode(log) for log in logs) if e is not None]
        events.sort(key=lambda e: e.position)
        return events

    def read(self, first_block: int, last_block: int) -> list[ChainEvent]:
        """The platform's events of blocks first_block..last_block, in chain order."""
        return self.decode_all(read_raw_logs(self.platform.w3, first_block, last_block,
                                             self.addresses))  # fmt: skip


def _bytes(value: str) -> bytes:
    return bytes.fromhex(value[2:])
