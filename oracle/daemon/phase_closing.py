"""A phase's end on chain: the holdout the owner left hidden, the private scores, the root.

Each turn, for every served challenge: reveal a holdout still hidden past the grace period
from the secret the owner handed this oracle (COOP_HOLDOUT_DIR); open the private scores
of the batches whose reveal window has ended; post the rewards root of each phase ready
for one (oracle/daemon/phase_end.py decides what is due). Every post goes through
`Posting`, so the oracles take turns and fail over as for score batches.
"""

import logging

from oracle.chain.attestation import ordered_signatures, reward_root_typed_data
from oracle.chain.holdout_secrets import secret_in
from oracle.chain.publish import writable_backends
from oracle.coderun.hidden_features import add_revealed_holdout
from oracle.daemon.attest import oracles_of
from oracle.daemon.phase_end import form_root, holdouts_due, openings_due, roots_due
from oracle.daemon.poster import Outcome
from oracle.daemon.posting import PostingDuty
from oracle.daemon.wire import RootProposalModel
from oracle.ipfs.importer import import_bytes
from oracle.ledger.model import Challenge, Ledger

log = logging.getLogger("oracle.daemon")


class PhaseClosing(PostingDuty):
    name = "phase_end"
    _chain_time: int | None = None  # read once per turn, when a challenge needs it

    def turn(self) -> bool:
        self._chain_time = None
        return super().turn()

    def _now(self) -> int:
        if self._chain_time is None:
            self._chain_time = self.ctx.chain_time()
        return self._chain_time

    def challenge_turn(self, head: Ledger, challenge_id: int) -> bool:
        challenge = head.challenges[challenge_id]
        busy = False
        if any(p.holdout is None for p in challenge.phases):
            grace = self.ctx.config.holdout_grace_seconds
            for phase in holdouts_due(head, challenge_id, self._now(), grace):
                busy = self._reveal_holdout(challenge, phase) or busy
        if any(self._unopened(head, challenge_id, b.seq) for b in challenge.batches):
            busy = self._open_private(head, challenge_id, self._now()) or busy
        for phase in roots_due(head, challenge_id):
            busy = self._post_root(head, challenge_id, phase) or busy
        return busy

    def _reveal_holdout(self, challenge: Challenge, phase: int) -> bool:
        """Reveals a phase's holdout the owner left hidden past the grace period, from the
        secret the owner handed this oracle (COOP_HOLDOUT_DIR)."""
        challenge_id = challenge.challenge_id
        key = ("holdout", challenge_id, phase)
        if not self.posting.my_turn(key, phase, oracles_of(challenge, phase)):
            return False
        holdout_dir = self.ctx.config.holdout_dir
        commitment = challenge.phases[phase].holdout_commitment
        found = secret_in(holdout_dir, commitment) if holdout_dir is not None else None
        if found is None:
            self.ctx.warn_once(
                f"challenge {challenge_id} phase {phase}: the owner has not revealed the "
                f"holdout and no secret for commitment 0x{commitment.hex()} is in "
                f"COOP_HOLDOUT_DIR ({holdout_dir}); this oracle cannot reveal it"
            )
            return False
        path, secret = found
        labels = secret.labels(path.parent)
        hidden_features = secret.test_features(path.parent)
        if hidden_features is None:
            self.ctx.publish(labels)
            labels_cid = str(import_bytes(labels).cid)
        else:  # a folder with the labels and the hidden test features
            labels_cid = add_revealed_holdout(
                writable_backends(self.ctx.store), labels, hidden_features
            )
        outcome = self.posting.send(
            key,
            "holdout",
            f"holdout of challenge {challenge_id} phase {phase} (the owner did not reveal it)",
            lambda writer: writer.reveal_holdout(
                challenge_id, phase, labels_cid, secret.digest_bytes, secret.salt_bytes
            ),
        )
        return outcome is Outcome.POSTED

    def _unopened(self, ledger: Ledger, challenge_id: int, seq: int) -> bool:
        return any(
            s.private is None
            for s in ledger.submissions_of(challenge_id)
            if s.score is not None and s.score.seq == seq
        )

    def _open_private(self, head: Ledger, challenge_id: int, chain_time: int) -> bool:
        own = self.ctx.jobs.scored(challenge_id)
        challenge = head.challenges[challenge_id]
        busy = False
        events = self.ctx.chain.events()
        for opening in openings_due(head, events, challenge_id, chain_time, own):
            key = ("private", challenge_id, opening.seq)
            if not self.posting.my_turn(key, opening.seq, oracles_of(challenge, opening.phase)):
                continue
            outcome = self.posting.send(
                key,
                "private",
                f"private scores of batch {opening.seq} of challenge {challenge_id} "
                f"({len(opening.items)} items)",
                lambda writer, opening=opening: writer.open_private(opening),  # type: ignore[misc]
            )
            busy = outcome is Outcome.POSTED or busy
        return busy

    def _post_root(self, head: Ledger, challenge_id: int, phase: int) -> bool:
        ctx = self.ctx
        challenge = head.challenges[challenge_id]
        seq = max((r.seq for r in challenge.roots), default=0) + 1
        key = ("root", challenge_id, phase, seq)
        if not self.posting.my_turn(key, seq, oracles_of(challenge, phase)):
            return False
        spec = ctx.materials.spec(challenge.phases[phase])
        proposal = form_root(head, challenge_id, phase, spec, ctx.store)
        if proposal is None:
            ctx.warn_once(
                f"challenge {challenge_id} phase {phase}: the rewards pay nobody; no root to post"
            )
            return False
        ctx.publish(proposal.report)
        typed = reward_root_typed_data(proposal.root, ctx.chain_id, ctx.platform.vault.address)
        body = RootProposalModel.of(
            proposal.cut_block, proposal.root, proposal.report_cid
        ).model_dump()
        signatures, _ = self.posting.quorum(typed, "/v1/root-proposals", body, challenge, phase)
        if signatures is None:
            return False
        outcome = self.posting.send(
            key,
            "rewards",
            f"rewards root of challenge {challenge_id} phase {phase} (total "
            f"{proposal.root.total}, report {proposal.report_cid})",
            lambda writer: writer.post_root(
                proposal.root, proposal.report_cid, ordered_signatures(signatures)
            ),
        )
        return outcome is Outcome.POSTED
