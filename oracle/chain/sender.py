"""Sending transactions from a local key or an unlocked node account, with clear reverts.

Every transaction gets the node's gas estimate plus GAS_MARGIN_PERCENT (at most the block
gas limit), as wallets do: the estimate is made against the latest block, and a commit or
reveal that lands after another one in the same block costs a little more. Only the gas
used is paid. Fees follow EIP-1559 from the node's answers (oracle/chain/fees.py).

While waiting for its receipt the transaction is watched: if the node forgets it (dropped
from its pool) it is resent with bumped fees, at most MAX_RESENDS times; if another
transaction with its nonce was mined instead (replaced from another wallet), that is
said in plain words (`TransactionReplaced`). A transaction that fails once mined is
explained: `OutOfGas` with what to do when it used all its gas, else the custom error that
replaying it at its block gives, decoded with the contract's ABI.
"""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import (
    ContractCustomError,
    ContractLogicError,
    TransactionNotFound,
    Web3RPCError,
)
from web3.types import TxReceipt

from oracle.chain.errors import decode_custom_error
from oracle.chain.fees import bumped, with_fees
from oracle.errors import (
    ChainError,
    InsufficientFunds,
    OutOfGas,
    TransactionDropped,
    TransactionReplaced,
    TransactionReverted,
)
from oracle.types import Address, wad_text

log = logging.getLogger(__name__)

GAS_MARGIN_PERCENT = 25
MAX_RESENDS = 3  # a dropped transaction is resent with bumped fees at most this often
RECEIPT_TIMEOUT_SECONDS = 300.0  # then the wait gives up (the transaction may still land)
POLL_SECONDS = 0.2
# What geth and anvil answer when another transaction already holds a nonce.
NONCE_TAKEN = ("replacement transaction underpriced", "nonce too low")


@dataclass
class Sender:
    """Who pays for and signs transactions: a private key, or an account the node unlocks."""

    w3: Web3
    address: Address
    private_key: str | None = None

    @classmethod
    def from_key(cls, w3: Web3, private_key: str) -> "Sender":
        return cls(w3, Address(Account.from_key(private_key).address), private_key)

    def transact(self, fn: ContractFunction, value: int = 0) -> TxReceipt:
        """Sends `fn` and waits for it; raises TransactionReverted naming the custom error."""
        try:
            params: dict[str, Any] = {"from": self.address, "value": value,
                                      **with_fees(self.w3, {})}  # fmt: skip
            tx: dict[str, Any] = dict(fn.build_transaction(params))  # type: ignore[arg-type]
        except (ContractCustomError, ContractLogicError) as exc:
            raise TransactionReverted(describe_revert(fn, exc)) from None
        except Web3RPCError as exc:
            raise self._explained(exc) from None
        return self.send(self._with_margin(tx), fn.fn_name, [dict(e) for e in fn.contract_abi])

    def deploy(self, abi: list[dict[str, Any]], bytecode: str, *args: Any) -> TxReceipt:
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        constructor = factory.constructor(*args)
        params = {"from": self.address, **with_fees(self.w3, {})}
        tx: dict[str, Any] = dict(constructor.build_transaction(params))
        return self.send(self._with_margin(tx), "deployment", abi)

    def _with_margin(self, tx: dict[str, Any]) -> dict[str, Any]:
        """`tx` with its estimated gas raised by GAS_MARGIN_PERCENT, within the block gas limit."""
        block_limit = int(self.w3.eth.get_block("latest")["gasLimit"])
        estimate = int(tx["gas"])
        with_margin = estimate * (100 + GAS_MARGIN_PERCENT) // 100
        return {**tx, "gas": max(estimate, min(with_margin, block_limit))}

    def send(
        self, tx: dict[str, Any], what: str = "transaction", abi: list[dict[str, Any]] | None = None
    ) -> TxReceipt:
        """Signs and sends `tx` (current fees unless it names its own), and waits for it,
        resending it if it is dropped; a failure once mined raises `OutOfGas` or
        `TransactionReverted` naming `what` and the custom error (from `abi`)."""
        account = Web3.to_checksum_address(self.address)
        tx = with_fees(self.w3, dict(tx))
        tx.setdefault("nonce", self.w3.eth.get_transaction_count(account, "pending"))
        tx.setdefault("chainId", self.w3.eth.chain_id)
        receipt = self._mined(tx, what)
        if receipt["status"] != 1:
            raise self._failed_on_chain(tx, receipt, what, abi or [])
        return receipt

    def _submit(self, tx: dict[str, Any]) -> bytes:
        """Hands `tx` to the node: signed here, or by the node for its unlocked account."""
        try:
            return self._hand_over(tx)
        except Web3RPCError as exc:
            raise self._explained(exc) from None

    def _hand_over(self, tx: dict[str, Any]) -> bytes:
        if self.private_key is None:
            return bytes(self.w3.eth.send_transaction(tx))  # type: ignore[arg-type]
        signed = Account.sign_transaction(tx, self.private_key)
        return bytes(self.w3.eth.send_raw_transaction(signed.raw_transaction))

    def _mined(self, tx: dict[str, Any], what: str) -> TxReceipt:
        """Sends `tx` and returns its receipt once mined, resending it with bumped fees
        when the node drops it; raises TransactionReplaced when another transaction took
        its nonce, TransactionDropped when resending does not help."""
        nonce = int(tx["nonce"])
        sent = [self._submit(tx)]
        contested = False  # another transaction holds this nonce in the node's pool
        deadline = time.monotonic() + RECEIPT_TIMEOUT_SECONDS
        while True:
            receipt = self._receipt_of_any(sent)
            if receipt is not None:
                return receipt
            if self._nonce_used(nonce) and not any(self._known(h) for h in sent):
                # (a node may count the nonce before it serves the receipt: ours is known then)
                raise TransactionReplaced(self._replaced_text(tx, sent[-1], what))
            if not contested and not self._known(sent[-1]):
                if len(sent) > MAX_RESENDS:
                    raise TransactionDropped(
                        f"{what} (nonce {nonce} from {self.address}) was dropped by the node "
                        f"{len(sent)} times, the last time with a fee cap of {_fee_text(tx)}; "
                        "the node may refuse this account's transactions or its fee market "
                        "moved fast: check the account and try again"
                    )
                tx = bumped(self.w3, tx)
                log.warning(
                    "%s 0x%s (nonce %d) is no longer known to the node; resending it with a "
                    "fee cap of %s", what, sent[-1].hex(), nonce, _fee_text(tx),
                )  # fmt: skip
                try:
                    sent.append(self._hand_over(tx))
                except Web3RPCError as exc:
                    if not any(m in str(exc).lower() for m in NONCE_TAKEN):
                        raise self._explained(exc) from None
                    contested = True  # replaced in the pool: wait to see it mined
            if time.monotonic() > deadline:
                raise ChainError(
                    f"{what} 0x{sent[-1].hex()} (nonce {nonce}) is not mined after "
                    f"{RECEIPT_TIMEOUT_SECONDS:.0f} s; it may still be: look it up before "
                    "sending it again"
                )
            time.sleep(POLL_SECONDS)

    def _receipt_of_any(self, hashes: list[bytes]) -> TxReceipt | None:
        for tx_hash in hashes:
            try:
                return self.w3.eth.get_transaction_receipt(tx_hash)  # type: ignore[arg-type]
            except TransactionNotFound:
                continue
        return None

    def _known(self, tx_hash: bytes) -> bool:
        """Whether the node still has the transaction (pending or mined)."""
        try:
            self.w3.eth.get_transaction(tx_hash)  # type: ignore[arg-type]
        except TransactionNotFound:
            return False
        return True

    def _nonce_used(self, nonce: int) -> bool:
        account = Web3.to_checksum_address(self.address)
        return int(self.w3.eth.get_transaction_count(account, "latest")) > nonce

    def _replaced_text(self, tx: dict[str, Any], tx_hash: bytes, what: str) -> str:
        return (
            f"{what} 0x{tx_hash.hex()} was replaced: another transaction from {self.address} "
            f"with the same nonce ({tx['nonce']}) was mined instead, so this one did not run. "
            "Is another wallet or program sending from this account? Look at the account's "
            "latest transactions, then try again if it is still needed"
        )

    def _failed_on_chain(
        self, tx: dict[str, Any], receipt: TxReceipt, what: str, abi: list[dict[str, Any]]
    ) -> TransactionReverted:
        """Why a mined transaction failed: out of gas, or the error a replay at its block gives."""
        where = f"{what} (transaction 0x{bytes(receipt['transactionHash']).hex()}, block "
        where += f"{receipt['blockNumber']})"
        limit = int(tx.get("gas") or self.w3.eth.get_transaction(receipt["transactionHash"])["gas"])
        call = {k: tx[k] for k in ("from", "to", "data", "value") if k in tx}
        call.setdefault("from", self.address)
        try:
            needed = None if int(receipt["gasUsed"]) >= limit else self._replay(call, receipt)
        except (ContractCustomError, ContractLogicError) as exc:
            return TransactionReverted(f"{where} reverted: {revert_reason(abi, exc)}")
        except Web3RPCError as exc:
            return TransactionReverted(f"{where} reverted: {exc}")
        if needed is None or needed > limit:
            return OutOfGas(
                f"{where} ran out of gas: it was given {limit} gas"
                + ("" if needed is None else f" and needs about {needed}")
                + ", so nothing it did was kept (other transactions in the same block can make "
                "it cost more than estimated); try again: it is estimated afresh with a margin"
            )
        return TransactionReverted(
            f"{where} reverted on chain, though it passes when replayed at the end of its "
            "block: a transaction before it in that block changed what it depends on; try again"
        )

    def _replay(self, call: dict[str, Any], receipt: TxReceipt) -> int:
        """The gas `call` needs at the end of the receipt's block; raises its revert."""
        return int(self.w3.eth.estimate_gas(call, receipt["blockNumber"]))  # type: ignore[arg-type]

    def _explained(self, exc: Web3RPCError) -> Exception:
        """The node's refusal of a transaction: an unfunded account is the user's to fix."""
        if "insufficient funds" not in str(exc).lower():
            return exc
        balance = self.w3.eth.get_balance(Web3.to_checksum_address(self.address))
        return InsufficientFunds(
            f"{self.address} holds {ether_text(balance)}, not enough for this transaction's gas "
            "(and the ETH it sends); send some ETH to it and try again"
        )


def _fee_text(tx: dict[str, Any]) -> str:
    fee = int(tx.get("maxFeePerGas", tx.get("gasPrice", 0)))
    return f"{fee / 10**9:.3f} gwei"


def tx_hash_of(receipt: TxReceipt) -> str:
    """A mined transaction's hash, as 0x-hex."""
    return "0x" + bytes(receipt["transactionHash"]).hex()


def ether_text(wei: int) -> str:
    """Wei as ETH, exact, trailing zeros dropped: "0.01 ETH"."""
    return wad_text(wei) + " ETH"


def describe_revert(fn: ContractFunction, exc: Exception) -> str:
    """Names the custom error (and its values) that a call reverted with, from the ABI."""
    return f"{fn.fn_name} reverted: {revert_reason([dict(e) for e in fn.contract_abi], exc)}"


def revert_reason(abi: list[dict[str, Any]], exc: Exception) -> str:
    """`Name(arg=value, ...)` of the custom error in `exc`'s revert data, else its text."""
    data = getattr(exc, "data", None) or (exc.args[0] if exc.args else "")
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        decoded = decode_custom_error(abi, data)
        if decoded is not None:
            return decoded
    return str(exc)


def transact_explained(sender: Sender, fn: ContractFunction, explain: Callable[[], object],
                       value: int = 0) -> TxReceipt:  # fmt: skip
    """`sender.transact(fn)`; if it reverts, `explain()` runs the caller's checks again (the
    chain may have moved since they passed) so their words replace the raw custom error."""
    try:
        return sender.transact(fn, value)
    except TransactionReverted:
        explain()
        raise
