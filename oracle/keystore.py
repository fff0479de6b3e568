"""Encrypted keystores (Web3 Secret Storage, scrypt): create, import, list, unlock.

A key is never written in clear; passwords come from a hidden prompt or, for scripts,
from COOP_PASSWORD. Files are created readable by their owner only.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3

from oracle.errors import CoopError


class KeystoreError(CoopError, ValueError):
    """A keystore is missing, exists already, or its password is wrong."""


@dataclass(frozen=True)
class KeystoreEntry:
    name: str
    address: str
    path: Path


def _path(directory: Path, name: str) -> Path:
    if not name or "/" in name or name.startswith("."):
        raise KeystoreError(f"invalid account name {name!r}: use letters, digits, - and _")
    return directory / f"{name}.json"


def save_key(directory: Path, name: str, private_key: str, password: str) -> KeystoreEntry:
    """Encrypts `private_key` under `password` as <directory>/<name>.json."""
    path = _path(directory, name)
    if path.exists():
        raise KeystoreError(f"account {name!r} exists already at {path}; choose another name")
    try:
        account = Account.from_key(private_key)
    except (ValueError, TypeError):
        raise KeystoreError("that is not a valid private key (expected 32 bytes in hex)") from None
    encrypted = Account.encrypt(account.key, password)
    directory.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(encrypted, handle)
    return KeystoreEntry(name, account.address, path)


def new_key(directory: Path, name: str, password: str) -> KeystoreEntry:
    """Creates a fresh random key and stores it encrypted."""
    return save_key(directory, name, Account.create().key.hex(), password)


def list_keys(directory: Path) -> list[KeystoreEntry]:
    entries = []
    for path in sorted(directory.glob("*.json")):
        try:
            address = "0x" + json.loads(path.read_text())["address"].removeprefix("0x")
        except (ValueError, KeyError):
            continue
        entries.append(KeystoreEntry(path.stem, _checksum(address), path))
    return entries


def _checksum(address: str) -> str:
    return str(Web3.to_checksum_address(address))


def unlock(directory: Path, name: str, password: str) -> LocalAccount:
    """The account stored as `name`, decrypted with `password`."""
    path = _path(directory, name)
    if not path.is_file():
        known = ", ".join(e.name for e in list_keys(directory)) or "none"
        raise KeystoreError(
            f"no account named {name!r} in {directory} (known: {known}); "
            "create one with `coop account new` or `coop account import`"
        )
    try:
        key = Account.decrypt(json.loads(path.read_text()), password)
    except ValueError:
        raise KeystoreError(f"wrong password for account {name!r}") from None
    account: LocalAccount = Account.from_key(key)
    return account
