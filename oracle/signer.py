"""Which account signs: one rule for the CLI and the notebook SDK (docs/decisions.md, "Which
account signs"): an explicit keystore name wins; otherwise exactly one of a keystore account
and a raw dev key may be set in the settings."""

from dataclasses import dataclass

from web3 import Web3

from oracle.chain.sender import Sender
from oracle.errors import ConfigError
from oracle.keystore import unlock
from oracle.settings import Settings
from oracle.types import Address


@dataclass(frozen=True)
class SignerChoice:
    keystore: str | None  # a keystore name, or None for the raw key
    private_key: str  # the raw key when keystore is None
    origin: str  # where the choice came from, said to the user


def signer_choice(settings: Settings, account_flag: str | None) -> SignerChoice:
    """--account on the command line wins; otherwise exactly one of COOP_ACCOUNT (or
    `account` in coop.toml) and COOP_PRIVATE_KEY (or `private_key`) may be set."""
    key = settings.private_key.get_secret_value() if settings.private_key else None
    ignored = "; COOP_PRIVATE_KEY is ignored" if key else ""
    if account_flag is not None:
        where = settings.keystore_dir / f"{account_flag}.json"
        return SignerChoice(account_flag, "", f"keystore {where}, from --account{ignored}")
    if settings.account is not None and key is not None:
        raise ConfigError(
            f"both a keystore account ({settings.account}, from COOP_ACCOUNT or coop.toml) and "
            "COOP_PRIVATE_KEY are set: pass --account NAME to sign with the keystore, or unset "
            'one of them (docs/participant.md, "Which account signs")'
        )
    if settings.account is not None:
        where = settings.keystore_dir / f"{settings.account}.json"
        return SignerChoice(settings.account, "", f"keystore {where}, from COOP_ACCOUNT")
    if key is not None:
        return SignerChoice(None, key, "the raw key in COOP_PRIVATE_KEY")
    raise ConfigError(
        "no account to sign with: pass --account NAME (see `coop account list`) "
        "or set COOP_ACCOUNT; create one with `coop account new NAME`"
    )


def open_sender(w3: Web3, settings: Settings, choice: SignerChoice,
                password: str | None) -> Sender:  # fmt: skip
    """The account `choice` names, ready to sign: the raw key, or the keystore unlocked with
    `password` (a wrong one raises, saying so)."""
    if choice.keystore is None:
        return Sender.from_key(w3, choice.private_key)
    local = unlock(settings.keystore_dir, choice.keystore, password or "")
    return Sender(w3, Address(local.address), local.key.hex())
