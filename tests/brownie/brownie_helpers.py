"""Constants and helpers shared by the brownie tests (importable: pytest puts this folder on
sys.path)."""

from eth_account import Account
from eth_utils.crypto import keccak

from oracle.chain.anvil import ANVIL_KEYS

ETA = 10**16
BOUNTY = 1000 * 10**18
ORACLE_KEYS = sorted(ANVIL_KEYS[7:10], key=lambda k: int(Account.from_key(k).address, 16))
LABELS_DIGEST = keccak(b"labels")
SPLIT_SALT = keccak(b"salt")
