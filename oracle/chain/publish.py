"""Publishing a challenge from a spec file: validate, commit the holdout, upload, create.

Shared by `brownie run scripts/create_challenge.py` and (later) `coop challenge create`,
so the logic lives once. Nothing is sent before the spec and the labels pass their checks.
"""

import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.chain.challenges import ChallengeTerms, PhaseTerms, create_challenge, holdout_commitment
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.errors import InvalidSpec
from oracle.ipfs.store import ContentStore
from oracle.spec import load_spec

ZERO_HASH = "0x" + "00" * 32


@dataclass(frozen=True)
class HoldoutSecret:
    """What the owner needs to reveal the holdout later; kept out of git, mode 600."""

    chain_id: int
    challenge_id: int
    labels_digest: str
    split_salt: str

    def save(self, data_dir: Path) -> Path:
        path = data_dir / "holdouts" / f"{self.chain_id}-{self.challenge_id}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(self), handle, indent=2)
        return path


@dataclass(frozen=True)
class Published:
    challenge_id: int
    spec_cid: str
    secret_path: Path


@dataclass(frozen=True)
class PublishOptions:
    bounty: int
    oracles: tuple[str, ...]
    quorum: int
    arbiter: str
    commit_seconds: int = 7 * 86400
    reveal_seconds: int = 86400
    dispute_window: int = 3600
    dispute_bond: int = 10**16


def publish_challenge(
    platform: Platform, owner: Sender, store: ContentStore, data_dir: Path, spec_path: Path,
    labels_path: Path, options: PublishOptions,
) -> Published:  # fmt: skip
    spec = load_spec(spec_path)
    labels = labels_path.read_bytes()
    if not labels.strip():
        raise InvalidSpec(f"labels file {labels_path} is empty")
    salt = secrets.token_bytes(32)
    raw = dict(spec.raw)
    if raw["split"]["salt_hash"] != ZERO_HASH:
        raise InvalidSpec(
            f"{spec_path}: split.salt_hash must be {ZERO_HASH}; publishing draws the split salt "
            "and writes its hash into the uploaded spec"
        )
    raw["split"] = {**raw["split"], "salt_hash": "0x" + keccak(salt).hex()}
    spec_bytes = json.dumps(raw, indent=2, sort_keys=True).encode()
    load_spec(spec_bytes)  # the uploaded spec is valid too
    spec_cid = str(store.add_bytes(spec_bytes).cid)
    store.pin(spec_cid)
    labels_digest = keccak(labels)
    now = platform.w3.eth.get_block("latest")["timestamp"]
    terms = ChallengeTerms(
        token=platform.token.address, bounty=options.bounty, higher_is_better=spec.higher_is_better,
        baseline=spec.wad(spec.baseline), target=spec.wad(spec.target), eta=spec.wad(spec.eta),
        oracles=options.oracles, quorum=options.quorum, arbiter=options.arbiter,
        dispute_window=options.dispute_window, dispute_bond=options.dispute_bond,
        daily_cap=spec.daily_cap, commit_bond=spec.commit_bond_wei,
    )  # fmt: skip
    commit_end = now + options.commit_seconds
    phase = PhaseTerms(spec_cid, now, commit_end, commit_end + options.reveal_seconds,
                       holdout_commitment(labels_digest, salt), options.bounty)  # fmt: skip
    challenge_id = create_challenge(platform, owner, terms, spec_cid, phase)
    secret = HoldoutSecret(platform.w3.eth.chain_id, challenge_id, "0x" + labels_digest.hex(),
                           "0x" + salt.hex())  # fmt: skip
    return Published(challenge_id, spec_cid, secret.save(data_dir))
