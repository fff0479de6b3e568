"""Platform logs decoded into typed events, in chain order.

Every consumer of the ledger (the oracle daemon, the indexer, the auditor) reads events
through `EventDecoder`, so a log is decoded one way everywhere. Values are plain Python:
ints, checksummed address strings, bytes for fixed/dynamic bytes, tuples for arrays.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from hexbytes import HexBytes
from web3 import Web3
from web3.contract.contract import ContractEvent
from web3.types import LogReceipt

from oracle.chain.artifacts import load_artifact
from oracle.chain.platform import Platform


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


def _plain(value: Any) -> Any:
    if isinstance(value, HexBytes | bytearray):
        return bytes(value)
    if isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, Mapping):
        return MappingProxyType({k: _plain(v) for k, v in value.items()})
    return value


class EventDecoder:
    """Decodes the logs of the platform's contracts; other logs are ignored."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self._by_topic: dict[tuple[str, bytes], tuple[str, ContractEvent]] = {}
        contracts = {
            "CoopToken": platform.token,
            "ChallengeRegistry": platform.registry,
            "SubmissionBook": platform.book,
            "ScoreBoard": platform.score_board,
            "RewardVault": platform.vault,
        }
        for contract_name, contract in contracts.items():
            for abi in load_artifact(contract_name).abi:
                if abi.get("type") != "event":
                    continue
                event: ContractEvent = contract.events[abi["name"]]()
                signature = "{}({})".format(
                    abi["name"], ",".join(_canonical_type(i) for i in abi["inputs"])
                )
                topic = Web3.keccak(text=signature)
                self._by_topic[(contract.address.lower(), bytes(topic))] = (contract_name, event)

    @property
    def addresses(self) -> list[str]:
        return sorted({address for address, _ in self._by_topic})

    def decode(self, log: LogReceipt) -> ChainEvent | None:
        topics = log["topics"]
        if not topics:
            return None
        key = (str(log["address"]).lower(), bytes(topics[0]))
        found = self._by_topic.get(key)
        if found is None:
            return None
        contract_name, event = found
        data = event.process_log(log)
        return ChainEvent(
            contract=contract_name,
            name=str(data["event"]),
            args=_plain(dict(data["args"])),
            block_number=int(log["blockNumber"]),
            block_hash=bytes(log["blockHash"]),
            tx_hash=bytes(log["transactionHash"]),
            log_index=int(log["logIndex"]),
        )

    def decode_all(self, logs: Iterable[LogReceipt]) -> list[ChainEvent]:
        events = [e for e in (self.decode(log) for log in logs) if e is not None]
        events.sort(key=lambda e: e.position)
        return events


def _canonical_type(param: Mapping[str, Any]) -> str:
    kind = str(param["type"])
    if kind.startswith("tuple"):
        inner = ",".join(_canonical_type(c) for c in param["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind
