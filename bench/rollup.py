"""What a protocol step costs on an OP-stack rollup, where the fee is mostly data, next to
L1: the calldata and signed-transaction bytes of real transactions from the gas benchmark,
priced with the OP stack's Fjord L1 data fee formula (docs/gas.md, "On a rollup").

    l1FeeScaled   = baseFeeScalar * l1BaseFee * 16 + blobFeeScalar * l1BlobBaseFee
    estimatedSize = max(100 * 1e6, -42,585,600 + 836,500 * fastlzSize)   (bytes * 1e6)
    l1DataFee     = estimatedSize * l1FeeScaled / 1e12

fastlzSize is the FastLZ-compressed size of the signed transaction; this module uses the
GasPriceOracle's own upper bound for it (`getL1FeeUpperBound`: size + size/255 + 16), so
the data fee is a ceiling: the ABI's zero padding compresses, hashes and signatures do not.
"""

from dataclasses import dataclass

from web3 import Web3

COST_INTERCEPT = -42_585_600  # Fjord constants of the GasPriceOracle predeploy (scaled 1e6)
COST_FASTLZ_COEF = 836_500
MIN_TRANSACTION_SIZE = 100
GWEI = 10**9


@dataclass(frozen=True)
class Prices:
    """The inputs of one cost estimate: fees in wei, scalars as the chain configures them."""

    l1_base_fee: int = 5 * GWEI
    l1_blob_base_fee: int = 1 * GWEI
    base_fee_scalar: int = 5_227  # OP Mainnet's GasPriceOracle.baseFeeScalar() (* 1e-6)
    blob_fee_scalar: int = 1_014_213  # OP Mainnet's blobBaseFeeScalar() (* 1e-6)
    l2_gas_price: int = GWEI // 1000  # 0.001 gwei: an OP-stack L2's base fee + tip when quiet
    eth_usd: int = 3_000


@dataclass(frozen=True)
class TxBytes:
    """The bytes one transaction (or one item of a batch: `items` > 1) puts on chain."""

    name: str
    calldata: int
    zero_bytes: int
    signed_size: int
    gas_used: int
    items: int = 1

    @property
    def l1_calldata_gas(self) -> int:
        """The calldata part of its L1 gas: 4 per zero byte, 16 per other byte."""
        return 4 * self.zero_bytes + 16 * (self.calldata - self.zero_bytes)


def measure_tx(w3: Web3, name: str, tx_hash: bytes, items: int = 1) -> TxBytes:
    """The calldata, its zero bytes and the signed size of a mined transaction."""
    data = bytes(w3.eth.get_transaction(tx_hash)["input"])  # type: ignore[arg-type]
    raw = bytes(w3.eth.get_raw_transaction(tx_hash))  # type: ignore[arg-type]
    gas = int(w3.eth.get_transaction_receipt(tx_hash)["gasUsed"])  # type: ignore[arg-type]
    return TxBytes(name, len(data), data.count(0), len(raw), gas, items)


def l1_data_fee(signed_size: int, prices: Prices) -> int:
    """The Fjord L1 data fee (wei) of a signed transaction of `signed_size` bytes."""
    fastlz_upper = signed_size + signed_size // 255 + 16
    estimated = max(MIN_TRANSACTION_SIZE * 10**6, COST_INTERCEPT + COST_FASTLZ_COEF * fastlz_upper)
    scaled = prices.base_fee_scalar * prices.l1_base_fee * 16
    scaled += prices.blob_fee_scalar * prices.l1_blob_base_fee
    return estimated * scaled // 10**12


def cost_table(measured: list[TxBytes], prices: Prices) -> list[str]:
    """The docs table: bytes, and the cost per step (per item for a batch) on L1 and rollup."""

    def usd(wei: float) -> str:
        return f"${wei * prices.eth_usd / 10**18:,.5f}"

    lines = [
        "| step | calldata bytes (zero) | signed tx bytes | gas | on L1 | rollup: L1 data | "
        "rollup: L2 execution | rollup total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in measured:
        n = m.items
        on_l1 = m.gas_used * (prices.l1_base_fee + GWEI // 10) / n  # + a 0.1 gwei tip
        data = l1_data_fee(m.signed_size, prices) / n
        execution = m.gas_used * prices.l2_gas_price / n
        lines.append(
            f"| {m.name} | {m.calldata / n:,.0f} ({m.zero_bytes / n:,.0f}) | "
            f"{m.signed_size / n:,.0f} | {m.gas_used / n:,.0f} | {usd(on_l1)} | {usd(data)} | "
            f"{usd(execution)} | {usd(data + execution)} |"
        )
    return lines
