"""Bulk JSON-RPC reads as the node answers them (hex strings), for catching up fast.

Through web3, `eth_getLogs` and `eth_getBlockByNumber` answers pass a middleware that
wraps every object in an AttributeDict and formatters that convert every field; a
catch-up spent most of its time there. These reads keep web3's provider (the connection,
retries) and its error handling (`RequestManager.formatted_response`), and skip the rest:
callers read the few hex fields they need (oracle/chain/events.py decodes the logs).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from web3 import Web3
from web3.types import RPCEndpoint

RawLog = Mapping[str, Any]  # one entry of an `eth_getLogs` answer, fields as hex strings
RawBlock = Mapping[str, Any]  # an `eth_getBlockByNumber` answer without transactions


def read_raw_logs(
    w3: Web3, first_block: int, last_block: int, addresses: Sequence[str]
) -> list[RawLog]:
    """The logs of `addresses` in blocks first_block..last_block, in the node's order."""
    params = {"fromBlock": hex(first_block), "toBlock": hex(last_block),
              "address": [str(a).lower() for a in addresses]}  # fmt: skip
    response = w3.provider.make_request(RPCEndpoint("eth_getLogs"), [params])
    logs: list[RawLog] = w3.manager.formatted_response(response, [params])
    return logs


def read_raw_blocks(w3: Web3, numbers: Sequence[int]) -> list[RawBlock | None]:
    """The headers of blocks `numbers` in one JSON-RPC batch; None for a block the chain
    does not have (yet, or any more)."""
    calls = [(RPCEndpoint("eth_getBlockByNumber"), [hex(n), False]) for n in numbers]
    answers = w3.provider.make_batch_request(calls)  # type: ignore[attr-defined]
    if not isinstance(answers, list):  # the node refused the batch as a whole
        w3.manager.formatted_response(answers, calls)
        raise ValueError(f"the node answered a batch of {len(calls)} calls with {answers}")
    return [
        w3.manager.formatted_response(a, call[1]) for a, call in zip(answers, calls, strict=True)
    ]
