"""Revealing a phase's holdout from a stored secret, after the phase's reveal end.

Anyone holding the secret may send it (the owner, or an oracle the owner handed it to): the
registry checks it against the phase's commitment, and the event names who revealed it.

The labels go to IPFS (so the oracles and any auditor can rescore everything; with hidden
test features, a folder holding both, so anyone can rerun the code submissions) and the
split salt on chain, where the registry checks both against the phase's commitment. Every
refusal the contract would make is caught first and said in words with a time.
"""

from dataclasses import dataclass
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.chain.challenges import read_challenge, reveal_holdout
from oracle.chain.clock import chain_now, time_text
from oracle.chain.holdout_secrets import find_secret
from oracle.chain.platform import Platform
from oracle.chain.publish import writable_backends
from oracle.chain.sender import Sender
from oracle.coderun.hidden_features import add_revealed_holdout
from oracle.errors import CoopError, InvalidHoldout
from oracle.ipfs.store import ContentStore


class HoldoutNotDue(CoopError, ValueError):
    """The phase's reveal window has not ended: the holdout must stay hidden until then."""

    def __init__(self, message: str, opens_at: int) -> None:
        super().__init__(message)
        self.opens_at = opens_at


class HoldoutAlreadyRevealed(CoopError, ValueError):
    """The phase's holdout is public already."""


@dataclass(frozen=True)
class RevealedHoldout:
    challenge_id: int
    phase: int
    labels_cid: str
    labels_digest: str
    split_salt: str
    secret_path: Path


def reveal_stored_holdout(
    platform: Platform, revealer: Sender, store: ContentStore, data_dir: Path, challenge_id: int,
    phase: int | None = None, labels_path: Path | None = None,
) -> RevealedHoldout:  # fmt: skip
    """Reveals `phase` (default: the earliest phase not revealed yet) of a challenge.

    `labels_path` replaces the stored labels copy (it must be the committed file)."""
    challenge = read_challenge(platform, challenge_id)
    if phase is None:
        hidden = [p.index for p in challenge.phases if not p.holdout_revealed]
        if not hidden:
            raise HoldoutAlreadyRevealed(
                f"every phase of challenge {challenge_id} has its holdout revealed already"
            )
        phase = hidden[0]
    if not 0 <= phase < len(challenge.phases):
        raise InvalidHoldout(
            f"challenge {challenge_id} has phases 0 to {len(challenge.phases) - 1}, not {phase}"
        )
    view = challenge.phases[phase]
    if view.holdout_revealed:
        raise HoldoutAlreadyRevealed(
            f"the holdout of challenge {challenge_id} phase {phase} is revealed already; "
            f"`coop challenge status {challenge_id}` shows what happens next"
        )
    now = chain_now(platform)
    if now <= view.reveal_end:
        raise HoldoutNotDue(
            f"too early: the holdout of challenge {challenge_id} phase {phase} can be revealed "
            f"after the reveal window ends, {time_text(view.reveal_end + 1, now)}; until then "
            "it must stay secret",
            view.reveal_end + 1,
        )
    path, secret = find_secret(data_dir, view.holdout_commitment)
    if labels_path is not None:
        labels = labels_path.read_bytes()
        if "0x" + keccak(labels).hex() != secret.labels_digest:
            raise InvalidHoldout(
                f"{labels_path} is not the labels file committed for this phase (its keccak256 "
                f"differs from {secret.labels_digest}); use the exact file published with it"
            )
    else:
        labels = secret.labels(path.parent)
    test_features = secret.test_features(path.parent)
    labels_cid = add_revealed_holdout(writable_backends(store), labels, test_features)
    reveal_holdout(platform, revealer, challenge_id, phase, labels_cid, secret.digest_bytes,
                   secret.salt_bytes)  # fmt: skip
    return RevealedHoldout(challenge_id, phase, labels_cid, secret.labels_digest,
                           secret.split_salt, path)  # fmt: skip
