"""Sending transactions from a local key or an unlocked node account, with clear reverts.

Every transaction gets the node's gas estimate plus GAS_MARGIN_PERCENT (at most the block
gas limit), as wallets do: the estimate is made against the latest block, and a commit or
reveal that lands after another one in the same block costs a little more. Only the gas
used is paid. A transaction that fails once mined is explained: `OutOfGas` with what to do
when it used all its gas, else the custom error that replaying it at its block gives,
decoded with the contract's ABI.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError
from web3.types import TxReceipt

from oracle.chain.errors import decode_custom_error
from oracle.errors import InsufficientFunds, OutOfGas, TransactionReverted
from oracle.types import Address, wad_text

GAS_MARGIN_PERCENT = 25


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
            params: dict[str, Any] = {"from": self.address, "value": value}
            tx: dict[str, Any] = dict(fn.build_transaction(params))  # type: ignore[arg-type]
        except (ContractCustomError, ContractLogicError) as exc:
            raise TransactionReverted(describe_revert(fn, exc)) from None
        except Web3RPCError as exc:
            raise self._explained(exc) from None
        return self.send(self._with_margin(tx), fn.fn_name, [dict(e) for e in fn.contract_abi])

    def deploy(self, abi: list[dict[str, Any]], bytecode: str, *args: Any) -> TxReceipt:
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        constructor = factory.constructor(*args)
        tx: dict[str, Any] = dict(constructor.build_transaction({"from": self.address}))
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
        """Signs and sends `tx` as it is, and waits for it; a failure once mined raises
        `OutOfGas` or `TransactionReverted` naming `what` and the custom error (from `abi`)."""
        try:
            if self.private_key is None:
                tx_hash = self.w3.eth.send_transaction(tx)  # type: ignore[arg-type]
            else:
                account = Web3.to_checksum_address(self.address)
                tx.setdefault("nonce", self.w3.eth.get_transaction_count(account, "pending"))
                tx.setdefault("chainId", self.w3.eth.chain_id)
                signed = Account.sign_transaction(tx, self.private_key)
                tx_hash = self.w3.eth.send_raw_transaction(signed.raw_transaction)
        except Web3RPCError as exc:
            raise self._explained(exc) from None
        receipt = self.w3.eth.wait_for_transaction_receipt(tx_hash, timeout=120)
        if receipt["status"] != 1:
            raise self._failed_on_chain(tx, receipt, what, abi or [])
        return receipt

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
