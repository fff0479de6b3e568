"""What scoring a phase needs: its spec, its holdout and its scorer program, loaded once.

- The spec comes from IPFS by the phase's spec CID (verified against the CID).
- The holdout (labels + split salt) must be known before the owner reveals it. The owner
  hands each oracle operator, privately, the `holdouts/` folder that `coop challenge
  create` writes (HoldoutSecret JSON files and the labels copies); the operator points
  COOP_HOLDOUT_DIR at it. The secret is found by the phase's on-chain holdout commitment
  and `load_holdout` checks labels and salt against it before anything is scored. After
  the owner revealed the holdout, the labels CID and split salt on chain are used instead.
- A custom scorer program is fetched by the CID the spec pins.

When something is missing it is not the submitter's fault: `MaterialMissing` says what,
and the job waits instead of getting a status.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from eth_utils.crypto import keccak

from oracle.chain.holdout_secrets import secret_in
from oracle.errors import CoopError, IpfsError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Phase
from oracle.scoring.artifacts import fetch_scorer_program
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


class Materials:
    """Caches each phase's spec and material; failures are not cached (tried again later)."""

    def __init__(self, store: ContentStore, holdout_dir: Path | None) -> None:
        self.store = store
        self.holdout_dir = holdout_dir
        self._specs: dict[str, ChallengeSpec] = {}
        self._material: dict[tuple[int, int], PhaseMaterial] = {}

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

    def material(self, challenge_id: int, phase: Phase) -> PhaseMaterial:
        key = (challenge_id, phase.index)
        cached = self._material.get(key)
        if cached is not None:
            return cached
        spec = self.spec(phase)
        holdout = self._holdout(challenge_id, phase, spec)
        try:
            program = fetch_scorer_program(self.store, spec)
        except IpfsError as exc:
            raise MaterialMissing(f"the scorer program cannot be fetched: {exc}") from None
        material = PhaseMaterial(spec, holdout, program)
        self._material[key] = material
        log.info(
            "challenge %d phase %d: spec and holdout loaded (%d test rows)",
            challenge_id,
            phase.index,
            len(holdout.labels),
        )
        return material

    def forget(self) -> None:
        """Drops the cache (after a reorg the phases may have changed)."""
        self._material.clear()

    def _holdout(self, challenge_id: int, phase: Phase, spec: ChallengeSpec) -> Holdout:
        commitment = phase.holdout_commitment
        where = f"challenge {challenge_id} phase {phase.index}"
        try:
            if self.holdout_dir is not None:
                found = secret_in(self.holdout_dir, commitment)
                if found is not None:
                    _, secret = found
                    labels = secret.labels(self.holdout_dir)
                    return load_holdout(spec, labels, secret.salt_bytes, commitment)
            if phase.holdout is not None:
                revealed = phase.holdout
                labels = self.store.cat(revealed.labels_cid, max_bytes=spec.max_uncompressed_bytes)
                if keccak(labels) != revealed.labels_digest:
                    raise MaterialMissing(
                        f"the revealed labels of {where} do not hash to the " "digest on chain"
                    )
                return load_holdout(spec, labels, revealed.split_salt, commitment)
        except IpfsError as exc:
            raise MaterialMissing(f"the labels of {where} cannot be fetched: {exc}") from None
        except MaterialMissing:
            raise
        except CoopError as exc:
            raise MaterialMissing(f"the holdout of {where} is unusable: {exc}") from None
        raise MaterialMissing(
            f"no holdout for {where}: the owner's secret matching commitment "
            f"0x{commitment.hex()} is not in COOP_HOLDOUT_DIR ({self.holdout_dir}); scoring "
            "waits for it or for the holdout reveal"
        )
