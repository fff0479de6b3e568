"""Sending the daemon's transactions, each only if the chain does not hold it yet.

Before every send the contract's own record is read: a batch whose seq is already taken
(by these very bytes, or by another batch), private scores already opened, a root already
posted. So a restarted oracle, or two posters racing after a fail-over, never post a thing
twice; a race lost between the check and the send ends in the contract's revert, which is
reported as `lost`, not as an error.
"""

import logging
from collections.abc import Sequence
from enum import StrEnum

from oracle.chain.attestation import RewardRoot, items_as_call_arg
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.daemon.batching import Proposal
from oracle.daemon.phase_end import Opening
from oracle.errors import TransactionReverted

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    POSTED = "posted"
    ALREADY = "already on chain"
    STALE = "stale (another batch took this seq)"
    LOST = "refused by the contract (a race lost, or not due yet)"


class ChainWriter:
    def __init__(self, platform: Platform, sender: Sender) -> None:
        self.platform = platform
        self.sender = sender

    def post_scores(self, proposal: Proposal, signatures: Sequence[bytes]) -> Outcome:
        board = self.platform.score_board.functions
        b = proposal.batch
        on_chain = bytes(board.batchHash(b.challenge_id, b.seq).call())
        if on_chain != bytes(32):  # a seq is used once, by whichever batch came first
            return Outcome.ALREADY if on_chain == b.items_hash else Outcome.STALE
        fn = board.postScores(b.as_call_arg(), items_as_call_arg(proposal.items), list(signatures))
        return self._send(fn, f"score batch {b.challenge_id}/{b.seq}")

    def open_private(self, opening: Opening) -> Outcome:
        board = self.platform.score_board.functions
        if bool(board.privateRevealed(opening.challenge_id, opening.seq).call()):
            return Outcome.ALREADY
        fn = board.revealPrivateScores(
            opening.challenge_id,
            opening.seq,
            items_as_call_arg(opening.items),
            list(opening.scores),
            list(opening.salts),
        )
        return self._send(fn, f"private scores of batch {opening.challenge_id}/{opening.seq}")

    def post_root(self, root: RewardRoot, report_cid: str, signatures: Sequence[bytes]) -> Outcome:
        vault = self.platform.vault.functions
        record = vault.getRoot(root.challenge_id, root.phase).call()
        if int(record[2]) >= root.seq:  # roots of a phase take increasing seqs
            same = bytes(record[0]) == root.merkle_root and int(record[2]) == root.seq
            return Outcome.ALREADY if same else Outcome.STALE
        fn = vault.postRewards(root.as_call_arg(), report_cid, list(signatures))
        return self._send(fn, f"rewards root {root.challenge_id}/{root.phase}")

    def reveal_holdout(
        self, challenge_id: int, phase: int, labels_cid: str, labels_digest: bytes, salt: bytes
    ) -> Outcome:
        registry = self.platform.registry.functions
        if bool(registry.getPhase(challenge_id, phase).call()[3]):  # holdoutRevealed
            return Outcome.ALREADY
        fn = registry.revealHoldout(challenge_id, phase, labels_cid, labels_digest, salt)
        return self._send(fn, f"holdout of {challenge_id}/{phase}")

    def _send(self, fn: object, what: str) -> Outcome:
        try:
            self.sender.transact(fn)  # type: ignore[arg-type]
        except TransactionReverted as exc:
            log.info("%s not posted: %s", what, exc)
            return Outcome.LOST
        return Outcome.POSTED
