"""What scoring a phase needs: its spec, its holdout and its scorer program, loaded once.

- The spec comes from IPFS by the phase's spec CID (verified against the CID).
- The holdout (labels + split salt) must be known before the owner reveals it. The owner
  hands each oracle operator, privately, the `holdouts/` folder that `coop challenge
  create` writes (HoldoutSecret JSON files and the labels copies); the operator points
  COOP_HOLDOUT_DIR at it. The secret is found by the phase's on-chain holdout commitment
  and `load_holdout` checks labels and salt against it before anything is scored. After
  the owner revealed the holdout, the labels CID and split salt on chain are used instead.
- Hidden test features (a code-only challenge's `data.hidden_test_features`) come the same
  way: before the reveal the copy next to the holdout secret, after it the file in the
  revealed holdout folder; either must hash to the spec's commitment, else
  HiddenFeaturesMismatch (a ConfigError: the operator was given the wrong file).
- A custom scorer program is fetched by the CID the spec pins, or by the CID of the
  phase's newest corrected scorer (the spec then scores with it: corrected_spec).
- After a correction the material is loaded again: its key holds the correction number, and
  corrected labels come with their new holdout commitment (their secret, or their reveal).

When something is missing it is not the submitter's fault: `MaterialMissing` says what,
and the job waits instead of getting a status.
"""

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.chain.holdout_secrets import secret_in
from oracle.coderun.hidden_features import (
    HiddenFeaturesMismatch,
    check_hidden_features,
    read_revealed_holdout,
)
from oracle.errors import CoopError, IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Phase
from oracle.scoring.artifacts import fetch_scorer_program
from oracle.scoring.correction import corrected_spec
from oracle.scoring.labels import Holdout, load_holdout
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec

log = logging.getLogger(__name__)


class MaterialMissing(CoopError):
    """The spec, holdout or scorer of a phase cannot be had now; scoring waits."""


@dataclass(frozen=True)
class PhaseMaterial:
    spec: ChallengeSpec
    holdout: Holdout
    program: bytes | None
    test_features: bytes | None = None  # the hidden test features, checked; else None


class Materials:
    """Caches each phase's spec and material; failures are not cached (tried again later).
    The loop and the prepare thread (preparing.py) both ask: one loads at a time, and
    whoever asks for a phase being loaded waits for it instead of loading it again."""

    def __init__(self, store: ContentStore, holdout_dir: Path | None) -> None:
        self.store = store
        self.holdout_dir = holdout_dir
        self._specs: dict[str, ChallengeSpec] = {}
        self._material: dict[tuple[int, int, int], PhaseMaterial] = {}
        self._loading = threading.Lock()

    def spec(self, phase: Phase) -> ChallengeSpec:
        cached = self._specs.get(phase.spec_cid)
        if cached is not None:
            return cached
        try:
            spec = load_spec(self.store.cat(phase.spec_cid, max_bytes=SPEC_MAX_BYTES))
        except IpfsError as exc:
            raise MaterialMissing(f"the spec {phase.spec_cid} cannot be fetched: {exc}") from None
        except CoopError as exc:
            raise MaterialMissing(f"the spec {phase.spec_cid} is unusable: {exc}") from None
        self._specs[phase.spec_cid] = spec
        return spec

    def loaded(self, challenge_id: int, phase: Phase) -> bool:
        """Whether `phase`'s material under its current correction is loaded."""
        return _key(challenge_id, phase) in self._material

    def material(self, challenge_id: int, phase: Phase) -> PhaseMaterial:
        key = _key(challenge_id, phase)
        cached = self._material.get(key)
        if cached is not None:
            return cached
        with self._loading:
            return self._material.get(key) or self._load(challenge_id, phase)

    def _load(self, challenge_id: int, phase: Phase) -> PhaseMaterial:
        key = _key(challenge_id, phase)
        spec = corrected_spec(self.spec(phase), phase.corrected_scorer_cid)
        holdout, test_features = self._holdout(challenge_id, phase, spec)
        try:
            program = fetch_scorer_program(self.store, spec)
        except IpfsError as exc:
            raise MaterialMissing(f"the scorer program cannot be fetched: {exc}") from None
        material = PhaseMaterial(spec, holdout, program, test_features)
        self._material[key] = material
        log.info(
            "challenge %d phase %d (correction %d): spec and holdout loaded (%d test rows)",
            challenge_id,
            phase.index,
            phase.correction,
            len(holdout.labels),
        )
        return material

    def forget(self) -> None:
        """Drops the cache (after a reorg the phases may have changed)."""
        with self._loading:
            self._material.clear()

    def _holdout(
        self, challenge_id: int, phase: Phase, spec: ChallengeSpec
    ) -> tuple[Holdout, bytes | None]:
        commitment = phase.holdout_commitment
        where = f"challenge {challenge_id} phase {phase.index}"
        try:
            if self.holdout_dir is not None:
                found = secret_in(self.holdout_dir, commitment)
                if found is not None:
                    path, secret = found
                    labels = secret.labels(self.holdout_dir)
                    features = _hidden(spec, secret.test_features(self.holdout_dir), str(path))
                    return load_holdout(spec, labels, secret.salt_bytes, commitment), features
            if phase.holdout is not None:
                revealed = phase.holdout
                files = read_revealed_holdout(
                    self.store, revealed.labels_cid, spec.max_uncompressed_bytes
                )
                if keccak(files.labels) != revealed.labels_digest:
                    raise MaterialMissing(
                        f"the revealed labels of {where} do not hash to the " "digest on chain"
                    )
                features = _hidden(spec, files.test_features, f"the revealed holdout of {where}")
                holdout = load_holdout(spec, files.labels, revealed.split_salt, commitment)
                return holdout, features
        except IpfsError as exc:
            raise MaterialMissing(f"the labels of {where} cannot be fetched: {exc}") from None
        except (MaterialMissing, HiddenFeaturesMismatch):
            raise
        except CoopError as exc:
            raise MaterialMissing(f"the holdout of {where} is unusable: {exc}") from None
        raise MaterialMissing(
            f"no holdout for {where}: the owner's secret matching commitment "
            f"0x{commitment.hex()} is not in COOP_HOLDOUT_DIR ({self.holdout_dir}); scoring "
            "waits for it or for the holdout reveal"
        )


def _hidden(spec: ChallengeSpec, features: bytes | None, where: str) -> bytes | None:
    """The hidden test features found in `where`, checked against the spec's commitment."""
    if not spec.data.features_hidden:
        return None
    if features is None:
        raise HiddenFeaturesMismatch(
            f"the spec hides its test features but {where} holds no copy of them; ask the "
            "owner for the holdouts/ folder with the test-features file"
        )
    return check_hidden_features(spec, features, where)


def _key(challenge_id: int, phase: Phase) -> tuple[int, int, int]:
    """A phase's material is loaded per correction: a corrected scorer or labels reload it."""
    return (challenge_id, phase.index, phase.correction)
