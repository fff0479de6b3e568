"""Sending transactions from a local key or an unlocked node account, with clear reverts."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eth_account import Account
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError
from web3.types import TxReceipt

from oracle.errors import InsufficientFunds, TransactionReverted
from oracle.types import Address, wad_text


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
        return self.send(tx)

    def deploy(self, abi: list[dict[str, Any]], bytecode: str, *args: Any) -> TxReceipt:
        factory = self.w3.eth.contract(abi=abi, bytecode=bytecode)
        constructor = factory.constructor(*args)
        tx: dict[str, Any] = dict(constructor.build_transaction({"from": self.address}))
        return self.send(tx)

    def send(self, tx: dict[str, Any]) -> TxReceipt:
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
            raise TransactionReverted(f"transaction {tx_hash.hex()} reverted on chain")
        return receipt

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
    data = getattr(exc, "data", None) or (exc.args[0] if exc.args else "")
    if isinstance(data, str) and data.startswith("0x") and len(data) >= 10:
        from oracle.chain.errors import decode_custom_error

        decoded = decode_custom_error([dict(e) for e in fn.contract_abi], data)
        if decoded is not None:
            return f"{fn.fn_name} reverted: {decoded}"
    return f"{fn.fn_name} reverted: {exc}"


def transact_explained(sender: Sender, fn: ContractFunction, explain: Callable[[], object],
                       value: int = 0) -> TxReceipt:  # fmt: skip
    """`sender.transact(fn)`; if it reverts, `explain()` runs the caller's checks again (the
    chain may have moved since they passed) so their words replace the raw custom error."""
    try:
        return sender.transact(fn, value)
    except TransactionReverted:
        explain()
        raise
