"""The lean log decoding gives exactly what web3's own decoding gives, on every event type.

Two sources of logs: a whole challenge life on a real anvil chain (real contracts, the
logs as the node answers `eth_getLogs`), and, for every event of every platform ABI
(including those a life does not emit: disputes, refunds, bonds, ownership), logs built
with eth_abi from random values. Each log goes through `EventDecoder` (raw hex) and
through web3's `ContractEvent.process_log` (web3-formatted); the arguments must agree in
value and in Python type.
"""

import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from eth_abi.abi import encode
from eth_utils.address import to_checksum_address
from hexbytes import HexBytes
from web3 import Web3
from web3.types import FilterParams

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.artifacts import CONTRACT_NAMES, load_artifact
from oracle.chain.events import EventDecoder
from oracle.chain.log_layouts import EventLayout, LogLayoutError, canonical_type
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.raw_reads import read_raw_logs
from oracle.chain.sender import Sender
from oracle.ipfs.embedded import EmbeddedStore
from tests.indexer.story import rewarded
from tests.ledger.lifecycle import Life, diabetes_files


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    """One deployment for the tests that only need the contracts' addresses."""
    anvil = start_anvil()
    try:
        w3 = Web3(Web3.HTTPProvider(anvil.url))
        yield Platform.connect(w3, deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0])))
    finally:
        anvil.stop()


def _canonical(value: Any) -> Any:
    """Value and Python type, recursively: HexBytes is not bytes, a list not a tuple."""
    if isinstance(value, Mapping):
        return ("mapping", sorted((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_canonical(v) for v in value])
    return (type(value).__name__, value)


def _web3_plain(value: Any) -> Any:
    """web3's decoded arguments as ChainEvent carries them (the conversion main used)."""
    if isinstance(value, HexBytes | bytearray):
        return bytes(value)
    if isinstance(value, list | tuple):
        return tuple(_web3_plain(v) for v in value)
    if isinstance(value, Mapping):
        return {k: _web3_plain(v) for k, v in value.items()}
    return value


def _web3_args(platform: Platform, contract: str, log: Any) -> Mapping[str, Any]:
    contracts = {"CoopToken": platform.token, "ChallengeRegistry": platform.registry,
                 "SubmissionBook": platform.book, "ScoreBoard": platform.score_board,
                 "RewardVault": platform.vault}  # fmt: skip
    event_name = next(
        a["name"]
        for a in load_artifact(contract).abi
        if a.get("type") == "event"
        and EventLayout.from_abi(contract, a).topic == bytes(log["topics"][0])
    )
    decoded = contracts[contract].events[event_name]().process_log(log)
    plain: Mapping[str, Any] = _web3_plain(dict(decoded["args"]))
    return plain


def test_a_challenge_life_decodes_as_web3_decodes_it(
    fast_platform: Platform, tmp_path: Path
) -> None:
    life = Life(fast_platform, EmbeddedStore(tmp_path / "ipfs"), tmp_path, diabetes_files())
    life.publish()
    rewarded(life)
    decoder = EventDecoder(fast_platform)
    w3 = fast_platform.w3
    head = int(w3.eth.block_number)
    raw = read_raw_logs(w3, 0, head, decoder.addresses)
    formatted = w3.eth.get_logs(FilterParams(
        fromBlock=0, toBlock=head, address=[to_checksum_address(a) for a in decoder.addresses]
    ))  # fmt: skip
    assert len(raw) == len(formatted) > 0
    names = set()
    for raw_log, web3_log in zip(raw, formatted, strict=True):
        event = decoder.decode(raw_log)
        assert event is not None
        names.add(event.name)
        assert _canonical(event.args) == _canonical(_web3_args(fast_platform, event.contract,
                                                               web3_log))  # fmt: skip
        assert event.block_number == web3_log["blockNumber"]
        assert event.log_index == web3_log["logIndex"]
        assert event.block_hash == bytes(web3_log["blockHash"])
        assert event.tx_hash == bytes(web3_log["transactionHash"])
    assert {"ChallengeCreated", "PhaseAdded", "Committed", "Revealed", "Reviewed",
            "ScoresPosted", "ScoreRecorded", "BestReleased", "PrivateScoreRevealed",
            "HoldoutRevealed", "RewardsPosted", "BountyEscrowed", "Transfer"} <= names  # fmt: skip


def _random_value(rng: random.Random, param: Mapping[str, Any]) -> Any:
    kind = str(param["type"])
    if kind.endswith("]"):
        inner = {**param, "type": kind[: kind.rindex("[")]}
        return [_random_value(rng, inner) for _ in range(rng.randrange(4))]
    if kind == "tuple":
        return tuple(_random_value(rng, c) for c in param["components"])
    if kind == "address":
        return to_checksum_address(rng.randbytes(20))
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "string":
        return "".join(rng.choice("bafkré🚀x") for _ in range(rng.randrange(70)))
    if kind == "bytes":
        return rng.randbytes(rng.randrange(70))
    if kind.startswith("bytes"):
        return rng.randbytes(int(kind[5:]))
    bits = int(kind.lstrip("uint") or 256)
    if kind.startswith("int"):
        return rng.randrange(-(2 ** (bits - 1)), 2 ** (bits - 1))
    return rng.choice([0, 2**bits - 1, rng.randrange(2**bits)])


def _synthetic_log(rng: random.Random, address: str, abi: Mapping[str, Any]) -> dict[str, Any]:
    """A log of this event with random arguments, as eth_getLogs answers (hex strings)."""
    inputs = abi["inputs"]
    topics = [EventLayout.from_abi("", abi).topic]
    data_types, data_values = [], []
    for param in inputs:
        value = _random_value(rng, param)
        kind = canonical_type(param)
        if not param["indexed"]:
            data_types.append(kind)
            data_values.append(value)
        elif kind in ("string", "bytes") or kind.endswith("]") or kind.startswith("("):
            topics.append(rng.randbytes(32))  # a dynamic indexed value is logged as its hash
        else:
            topics.append(encode([kind], [value]))
    return {"address": address.lower(), "topics": ["0x" + t.hex() for t in topics],
            "data": "0x" + encode(data_types, data_values).hex(),
            "blockNumber": hex(rng.randrange(1, 10**9)), "blockHash": "0x" + "ab" * 32,
            "transactionHash": "0x" + "cd" * 32, "logIndex": hex(rng.randrange(10**4)),
            "transactionIndex": "0x0", "removed": False}  # fmt: skip


def _web3_formatted(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {"address": to_checksum_address(raw["address"]),
            "topics": [HexBytes(t) for t in raw["topics"]], "data": HexBytes(raw["data"]),
            "blockNumber": int(raw["blockNumber"], 16), "blockHash": HexBytes(raw["blockHash"]),
            "transactionHash": HexBytes(raw["transactionHash"]),
            "logIndex": int(raw["logIndex"], 16), "transactionIndex": 0,
            "removed": False}  # fmt: skip


# the contracts the indexer follows (not the GrantPool yet: grants are read from the chain)
FOLLOWED = tuple(c for c in CONTRACT_NAMES if c != "GrantPool")


@pytest.mark.parametrize("contract", FOLLOWED)
def test_every_event_type_decodes_as_web3_decodes_it(platform: Platform, contract: str) -> None:
    decoder = EventDecoder(platform)
    address = {"CoopToken": platform.token, "ChallengeRegistry": platform.registry,
               "SubmissionBook": platform.book, "ScoreBoard": platform.score_board,
               "RewardVault": platform.vault}[contract].address  # fmt: skip
    rng = random.Random(contract)
    events = [a for a in load_artifact(contract).abi if a.get("type") == "event"]
    assert events
    for abi in events:
        for _ in range(25):
            raw = _synthetic_log(rng, address, abi)
            event = decoder.decode(raw)
            assert event is not None and (event.contract, event.name) == (contract, abi["name"])
            expected = _web3_args(platform, contract, _web3_formatted(raw))
            assert _canonical(event.args) == _canonical(expected), abi["name"]


def test_a_log_that_does_not_fit_its_event_is_refused_with_the_reason(
    platform: Platform,
) -> None:
    decoder = EventDecoder(platform)
    (abi,) = [a for a in load_artifact("ScoreBoard").abi if a.get("name") == "ScoreRecorded"]
    raw = _synthetic_log(random.Random(1), platform.score_board.address, abi)
    with pytest.raises(LogLayoutError, match="the data .* ends before the word at byte 160"):
        decoder.decode({**raw, "data": raw["data"][:-64]})
    with pytest.raises(LogLayoutError, match="ScoreBoard.ScoreRecorded log has 0 indexed topics"):
        decoder.decode({**raw, "topics": raw["topics"][:1]})
    assert decoder.decode({**raw, "address": "0x" + "00" * 20}) is None  # not the platform's


@pytest.mark.parametrize(
    ("event", "word", "value"),
    [("ScoreRecorded", 1, "01" + "00" * 31),  # seq, a uint64, with a high byte set
     ("ScoreRecorded", 2, "00" * 31 + "07"),  # status, a uint8 enum: fits, decoded as web3 does
     ("ScoresPosted", 2, "ff" * 12 + "00" * 20),  # relayer, an address with dirty padding
     ("BestReleased", 0, "00" * 31 + "05"),  # an int256: any word is a valid int256
     ("Reviewed", 0, "00" * 31 + "02"),  # verdict, a uint8
     ("DisputeResolved", 0, "00" * 31 + "02")],  # upheld, a bool that is neither 0 nor 1
)  # fmt: skip
def test_words_eth_abi_refuses_are_refused_and_the_rest_agree(
    platform: Platform, event: str, word: int, value: str
) -> None:
    contract = {"ScoreRecorded": "ScoreBoard", "ScoresPosted": "ScoreBoard",
                "BestReleased": "ScoreBoard", "Reviewed": "SubmissionBook",
                "DisputeResolved": "RewardVault"}[event]  # fmt: skip
    (abi,) = [a for a in load_artifact(contract).abi if a.get("name") == event]
    address = {"ScoreBoard": platform.score_board, "SubmissionBook": platform.book,
               "RewardVault": platform.vault}[contract].address  # fmt: skip
    raw = _synthetic_log(random.Random(2), address, abi)
    data = raw["data"][2:]
    raw = {**raw, "data": "0x" + data[: 64 * word] + value + data[64 * (word + 1) :]}
    try:
        expected = _web3_args(platform, contract, _web3_formatted(raw))
    except Exception:  # web3 (eth_abi) refuses the word: so must we
        with pytest.raises(LogLayoutError, match="is not a valid"):
            EventDecoder(platform).decode(raw)
        return
    event_seen = EventDecoder(platform).decode(raw)
    assert event_seen is not None and _canonical(event_seen.args) == _canonical(expected)
