"""The owner's correction of a phase's scorer and/or labels, published on chain.

`correct_phase` checks the correction can still be made (the phase's rewards root is not
claimable nor disputed: CorrectionRefused says why and what remains), uploads the reason's
text and the corrected scorer program to IPFS, files the corrected labels' holdout secret
(same split salt, new labels: found by its commitment, like every secret) before the
transaction, sends `ChallengeRegistry.publishCorrection` and returns what it published. A
posted root still in its dispute window is voided by the correction; the oracles then
score the whole phase again under the correction's number.
"""

from dataclasses import dataclass
from pathlib import Path

from web3.logs import DISCARD

from oracle.chain.challenges import call_struct, read_challenge
from oracle.chain.clock import chain_now, time_text
from oracle.chain.holdout_secrets import file_secret, find_secret, new_secret, save_pending
from oracle.chain.platform import Platform
from oracle.chain.publish import writable_backends
from oracle.chain.sender import Sender
from oracle.errors import CoopError
from oracle.ipfs.store import ContentStore

NO_NEW_LABELS = bytes(32)
POSTED, DISPUTED = 1, 2  # IRewardVault.RootState


class CorrectionRefused(CoopError, ValueError):
    """The phase can no longer be corrected, or the correction corrects nothing."""


@dataclass(frozen=True)
class PublishedCorrection:
    challenge_id: int
    phase: int
    correction: int  # 1 for the phase's first
    scorer_cid: str  # "" when the scorer stands
    holdout_commitment: str  # 0x-hex; zeros when the labels stand
    reason_cid: str
    voided_root: bool  # a posted root of the phase was voided
    tx_hash: str


def correct_phase(
    platform: Platform, owner: Sender, store: ContentStore, data_dir: Path, challenge_id: int,
    phase: int, reason: bytes, labels: bytes | None = None, scorer: bytes | None = None,
) -> PublishedCorrection:  # fmt: skip
    """Publishes a correction of `phase`: the corrected `labels` file and/or `scorer`
    program, with the `reason` text. The owner's holdout secret of the phase must be in
    `data_dir` when the labels are corrected (its split salt is kept)."""
    if labels is None and scorer is None:
        raise CorrectionRefused(
            "a correction needs a corrected labels file (--labels) or a corrected scorer "
            "program (--scorer), or both"
        )
    if not reason.strip():
        raise CorrectionRefused("give the reason for the correction (--reason): it is published")
    challenge = read_challenge(platform, challenge_id)
    if not 0 <= phase < len(challenge.phases):
        raise CorrectionRefused(
            f"challenge {challenge_id} has phases 0 to {len(challenge.phases) - 1}, not {phase}"
        )
    if owner.address.lower() != challenge.owner.lower():
        raise CorrectionRefused(
            f"only the owner {challenge.owner} corrects challenge {challenge_id}; "
            f"{owner.address} is not it (--account)"
        )
    _check_root(platform, challenge_id, phase)
    backends = writable_backends(store)
    reason_cid = _publish(backends, reason)
    scorer_cid = _publish(backends, scorer) if scorer is not None else ""
    pending = None
    commitment = NO_NEW_LABELS
    if labels is not None:
        _, old = find_secret(data_dir, challenge.phases[phase].holdout_commitment)
        pending = new_secret(int(platform.w3.eth.chain_id), labels, old.salt_bytes,
                             old.spec_cid)  # fmt: skip
        save_pending(data_dir, pending, labels)
        commitment = bytes.fromhex(pending.commitment[2:])
    fn = platform.registry.functions.publishCorrection(
        challenge_id, phase, scorer_cid, commitment, reason_cid
    )
    receipt = owner.transact(fn)
    if pending is not None:
        file_secret(data_dir, pending, challenge_id, phase)
    (event,) = platform.registry.events.CorrectionPublished().process_receipt(
        receipt, errors=DISCARD
    )
    voided = platform.vault.events.RewardsVoidedByCorrection().process_receipt(
        receipt, errors=DISCARD
    )
    return PublishedCorrection(
        challenge_id, phase, int(event["args"]["correction"]), scorer_cid,
        "0x" + commitment.hex(), reason_cid, bool(voided),
        "0x" + bytes(receipt["transactionHash"]).hex(),
    )  # fmt: skip


def _check_root(platform: Platform, challenge_id: int, phase: int) -> None:
    """What the RewardVault would refuse, said before anything is uploaded or filed."""
    root = call_struct(platform.vault.functions.getRoot(challenge_id, phase))
    state, claimable_at = int(root["state"]), int(root["claimableAt"])
    arbiter_deadline = int(root["arbiterDeadline"])
    now = chain_now(platform)
    if state == POSTED and now >= claimable_at:
        raise CorrectionRefused(
            f"the rewards of challenge {challenge_id} phase {phase} are claimable since "
            f"{time_text(claimable_at, now)}: a correction can no longer change them. What "
            "remains is the dispute path (docs/owner.md, 'Correcting a scorer')"
        )
    if state == DISPUTED:
        raise CorrectionRefused(
            f"the rewards root of challenge {challenge_id} phase {phase} is under dispute: "
            f"correct the phase once the arbiter decides (at the latest "
            f"{time_text(arbiter_deadline, now)})"
        )


def _publish(backends: list[ContentStore], data: bytes) -> str:
    """Adds and pins `data` on every writable backend; its CID."""
    if not backends:
        raise CorrectionRefused("no writable IPFS store to publish the correction's files to")
    cid = ""
    for backend in backends:
        cid = str(backend.add_bytes(data).cid)
        backend.pin(cid)
    return cid
