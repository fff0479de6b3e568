"""The owner's holdout secrets: the labels and split salt of each phase, kept in the data dir.

Nothing else can reveal a phase's holdout, so a secret is written (mode 600, atomically)
*before* the transaction that commits to it is sent, under a name made of its commitment;
once the chain has given the challenge its id, the secret is filed as
`holdouts/<chain>-<challenge>.json` (phase 0) or `<chain>-<challenge>-phase<N>.json`. A file
is never overwritten: an older secret with the same name (a chain restarted from scratch)
is moved aside first. Secrets are found by the on-chain holdout commitment, so a secret
whose transaction was interrupted is found too.

The oracle operators get the same files (privately): the labels copy sits next to the JSON,
and so does the test features copy of a challenge that keeps them hidden
(oracle/coderun/hidden_features.py).
"""

import json
import os
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.coderun.hidden_features import TEST_FEATURES, HiddenFeaturesMismatch
from oracle.coderun.inputs import input_name
from oracle.errors import InvalidHoldout
from oracle.scoring.commitment import holdout_commitment_of_digest

HOLDOUTS = "holdouts"


class HoldoutSecretMissing(InvalidHoldout, LookupError):
    """No stored secret matches a phase's on-chain holdout commitment."""


@dataclass(frozen=True)
class HoldoutSecret:
    """What reveals one phase's holdout: the labels (a copy, by file name) and the split salt."""

    chain_id: int
    challenge_id: int  # 0 while the creating transaction is not mined yet
    labels_digest: str  # 0x keccak256 of the labels file
    split_salt: str  # 0x 32 bytes
    phase: int = 0
    commitment: str = ""  # 0x keccak256(abi.encode(labelsDigest, keccak256(splitSalt)))
    labels_file: str = ""  # the labels copy, in the same folder
    spec_cid: str = ""
    test_features_file: str = ""  # hidden test features: their copy in the same folder
    test_features_digest: str = ""  # 0x keccak256 of it (the spec's data.hidden_test_features)

    @property
    def salt_bytes(self) -> bytes:
        return bytes.fromhex(self.split_salt.removeprefix("0x"))

    @property
    def digest_bytes(self) -> bytes:
        return bytes.fromhex(self.labels_digest.removeprefix("0x"))

    def file_name(self) -> str:
        if self.challenge_id == 0:
            return f"pending-{self.chain_id}-{self.commitment[2:18]}.json"
        suffix = "" if self.phase == 0 else f"-phase{self.phase}"
        return f"{self.chain_id}-{self.challenge_id}{suffix}.json"

    def labels(self, folder: Path) -> bytes:
        """The labels copy, checked against the digest committed on chain."""
        needs = "the holdout cannot be revealed without"
        return _committed_copy(folder / self.labels_file, self.labels_digest, "labels", needs,
                               InvalidHoldout)  # fmt: skip

    def test_features(self, folder: Path) -> bytes | None:
        """The hidden test features copy (None when the phase publishes its features),
        checked against the spec's commitment (HiddenFeaturesMismatch, a ConfigError)."""
        if not self.test_features_file:
            return None
        return _committed_copy(folder / self.test_features_file, self.test_features_digest,
                               "hidden test features", "the holdout reveal publishes",
                               HiddenFeaturesMismatch)  # fmt: skip


def _committed_copy(path: Path, digest: str, what: str, needs: str,
                    changed: type[Exception]) -> bytes:  # fmt: skip
    """The bytes of a copy kept with a secret; `changed` when they no longer hash to `digest`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidHoldout(
            f"the {what} copy {path} cannot be read ({exc.strerror}); restore it from your "
            f"backup: {needs} the exact committed file"
        ) from None
    if "0x" + keccak(data).hex() != digest:
        raise changed(
            f"{path} was changed since it was committed (its keccak256 is not {digest}); "
            "restore the original file"
        )
    return data


def new_secret(chain_id: int, labels: bytes, split_salt: bytes, spec_cid: str,
               labels_suffix: str = ".csv",
               test_features: bytes | None = None) -> HoldoutSecret:  # fmt: skip
    digest = keccak(labels)
    commitment = holdout_commitment_of_digest(digest, split_salt)
    features_file = features_digest = ""
    if test_features is not None:
        features_digest = "0x" + keccak(test_features).hex()
        name = input_name(TEST_FEATURES, test_features)
        features_file = name.replace(TEST_FEATURES, f"test-features-{features_digest[2:18]}", 1)
    return HoldoutSecret(
        chain_id=chain_id, challenge_id=0, labels_digest="0x" + digest.hex(),
        split_salt="0x" + split_salt.hex(), commitment="0x" + commitment.hex(),
        labels_file=f"labels-{digest.hex()[:16]}{labels_suffix}", spec_cid=spec_cid,
        test_features_file=features_file, test_features_digest=features_digest,
    )  # fmt: skip


def _write_private(path: Path, data: bytes) -> None:
    """Writes `data` to `path` (mode 600) through a temporary file and an atomic rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def _move_aside(path: Path) -> None:
    if path.exists():
        path.replace(path.with_name(f"{path.stem}.superseded-{time.time_ns()}{path.suffix}"))


def save_pending(data_dir: Path, secret: HoldoutSecret, labels: bytes,
                 test_features: bytes | None = None) -> Path:  # fmt: skip
    """Stores the labels copy (and hidden test features) and the secret before the
    committing transaction is sent."""
    folder = data_dir / HOLDOUTS
    copies = [(secret.labels_file, labels)]
    if test_features is not None:
        copies.append((secret.test_features_file, test_features))
    for name, data in copies:
        if not (folder / name).exists():
            _write_private(folder / name, data)
    path = folder / secret.file_name()
    _write_private(path, json.dumps(asdict(secret), indent=2).encode())
    return path


def file_secret(data_dir: Path, pending: HoldoutSecret, challenge_id: int, phase: int) -> Path:
    """Files a pending secret under its challenge and phase once the chain has accepted it."""
    folder = data_dir / HOLDOUTS
    final = replace(pending, challenge_id=challenge_id, phase=phase)
    path = folder / final.file_name()
    _move_aside(path)
    _write_private(path, json.dumps(asdict(final), indent=2).encode())
    (folder / pending.file_name()).unlink(missing_ok=True)
    return path


def load_secret(path: Path) -> HoldoutSecret:
    data = json.loads(path.read_text())
    return HoldoutSecret(**data)


def secret_in(folder: Path, commitment: bytes) -> tuple[Path, HoldoutSecret] | None:
    """The secret file in `folder` (a holdouts/ folder) whose labels digest and split salt
    give `commitment` (a phase's on-chain holdout commitment), or None."""
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            secret = load_secret(path)
            computed = holdout_commitment_of_digest(secret.digest_bytes, secret.salt_bytes)
        except (ValueError, TypeError, OSError):
            continue
        if computed == commitment:
            return path, secret
    return None


def find_secret(data_dir: Path, commitment: bytes) -> tuple[Path, HoldoutSecret]:
    """The owner's stored secret for `commitment`; HoldoutSecretMissing says where to look."""
    folder = data_dir / HOLDOUTS
    found = secret_in(folder, commitment)
    if found is not None:
        return found
    wanted = "0x" + commitment.hex()
    raise HoldoutSecretMissing(
        f"no holdout secret in {folder} matches the on-chain commitment {wanted}; run this "
        "where the challenge was created (same COOP_DATA_DIR), or copy its holdouts/ folder here"
    )
