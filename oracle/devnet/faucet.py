"""Funding an account on a development chain: ETH from anvil's first account and tokens
minted by the deployer (anvil's first account too). Refused on any other chain."""

from dataclasses import dataclass

from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.dev_chains import is_dev_chain
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender, ether_text
from oracle.errors import ConfigError
from oracle.types import wad_text


@dataclass(frozen=True)
class Funded:
    address: str
    eth_sent: int
    tokens_minted: int
    eth_balance: int
    token_balance: int


def fund(platform: Platform, address: str, wei: int, token_units: int) -> Funded:
    """Sends `wei` and mints `token_units` to `address` on a dev chain whose token the
    dev deployer owns; says what to do instead anywhere else."""
    w3 = platform.w3
    to = Web3.to_checksum_address(address)
    if not is_dev_chain(w3.eth.chain_id):
        raise ConfigError(
            f"this is chain {w3.eth.chain_id}, not a development chain (anvil's or geth --dev's): "
            f"nobody mints here; send ETH and the reward token to {to} from a funded wallet"
        )
    deployer = Sender.from_key(w3, ANVIL_KEYS[0])
    owner = platform.token.functions.owner().call()
    if token_units and owner.lower() != deployer.address.lower():
        raise ConfigError(
            f"the token {platform.token.address} is owned by {owner}, not anvil's first "
            "account: only its owner mints; pass --tokens 0 to send ETH only"
        )
    if wei:
        deployer.send({"from": deployer.address, "to": to, "value": wei, "gas": 21_000})
    if token_units:
        deployer.transact(platform.token.functions.mint(to, token_units))
    return Funded(to, wei, token_units, w3.eth.get_balance(to),
                  platform.token.functions.balanceOf(to).call())  # fmt: skip


def describe(funded: Funded) -> str:
    return (
        f"Funded {funded.address}: +{ether_text(funded.eth_sent)}, "
        f"+{wad_text(funded.tokens_minted)} tokens.\n"
        f"  now holds {ether_text(funded.eth_balance)} and "
        f"{wad_text(funded.token_balance)} tokens"
    )
