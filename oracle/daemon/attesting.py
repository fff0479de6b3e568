"""Score batches: forming this oracle's proposal, gathering the quorum, posting it.

For each served challenge, the next batch is formed at the latest cut where this oracle
has scored every member (oracle/daemon/attest.py) and kept in the `proposals` table, so
a restart proposes the same bytes. When it is this oracle's turn (`Posting`), peers are
asked to sign; peers whose runs of a code submission ended otherwise turn that item into
NOT_REPRODUCIBLE, proposed afresh (oracle/daemon/reproduce.py).
"""

import logging

from oracle.chain.attestation import ordered_signatures, score_batch_typed_data
from oracle.daemon.attest import choose_cut, form_proposal, last_seq, oracles_of
from oracle.daemon.batching import Proposal
from oracle.daemon.jobs import OwnRun
from oracle.daemon.peers import PeerAnswer
from oracle.daemon.poster import Outcome
from oracle.daemon.posting import PostingDuty
from oracle.daemon.reproduce import item_runs, not_reproducible_record, widened
from oracle.daemon.wire import ProposalModel
from oracle.ledger.model import Ledger
from oracle.sqlite import transaction

log = logging.getLogger("oracle.daemon")


class Attesting(PostingDuty):
    name = "attest"

    def challenge_turn(self, head: Ledger, challenge_id: int) -> bool:
        ctx = self.ctx
        challenge = head.challenges[challenge_id]
        own = ctx.jobs.scored(challenge_id)
        ctx.db.execute(
            "DELETE FROM proposals WHERE challenge_id = ? AND seq <= ?",
            (challenge_id, last_seq(challenge)),
        )
        proposal = self._stored_proposal(challenge_id, last_seq(challenge) + 1)
        if proposal is None:
            waiting = {w.submission_id for w in ctx.jobs.waiting(challenge_id)}
            cut = choose_cut(head, challenge_id, own, waiting)
            at_cut = ctx.chain.ledger(cut)
            if last_seq(at_cut.challenges[challenge_id]) != last_seq(challenge):
                return False  # a batch landed after the cut: wait until the rest is scored
            proposal = form_proposal(at_cut, challenge_id, own, waiting)
        if proposal is None:
            return False
        seq, phase = proposal.batch.seq, proposal.batch.phase
        key = ("scores", challenge_id, seq)
        if not self.posting.my_turn(key, seq, oracles_of(challenge, phase)):
            return False
        self._store_proposal(proposal)
        typed = score_batch_typed_data(
            proposal.batch, ctx.chain_id, ctx.platform.score_board.address
        )
        runs = ctx.jobs.runs(challenge_id)
        body = ProposalModel.of(
            proposal,
            {i.submission_id: item_runs(i, runs.get(i.submission_id)) for i in proposal.items},
        ).model_dump()
        signatures, answers = self.posting.quorum(typed, "/v1/proposals", body, challenge, phase)
        if signatures is None:
            self._not_reproducible(proposal, answers, runs)
            return False
        outcome = self.posting.send(
            key,
            "scores",
            f"score batch {seq} of challenge {challenge_id} ({len(proposal.items)} items, "
            f"cut block {proposal.cut_block})",
            lambda writer: writer.post_scores(proposal, ordered_signatures(signatures)),
        )
        if outcome is Outcome.POSTED:
            ctx.metrics.posted_items.inc(len(proposal.items))
        return outcome is Outcome.POSTED

    def _not_reproducible(
        self, proposal: Proposal, answers: list[PeerAnswer], runs: dict[int, OwnRun]
    ) -> None:
        """Peers whose runs of a code submission ended otherwise than ours: our item becomes
        NOT_REPRODUCIBLE listing every outcome, proposed afresh (oracle/daemon/reproduce.py)."""
        told: dict[int, set[str]] = {}
        for answer in answers:
            for m in answer.refusal.mismatches if answer.refusal is not None else ():
                told.setdefault(m.submission_id, set()).add(m.outcome)
        b = proposal.batch
        for item in proposal.items:
            own = runs.get(item.submission_id)
            outcomes = None if own is None else widened(item, own, told.get(item.submission_id, ()))
            if own is None or outcomes is None:
                continue
            record, report = not_reproducible_record(
                self.ctx.keys, b.challenge_id, b.phase, item.submission_id, own, outcomes
            )
            self.ctx.publish(report)
            with transaction(self.ctx.db):
                self.ctx.jobs.replace_score(item.submission_id, record)
                self.ctx.db.execute(
                    "DELETE FROM proposals WHERE challenge_id = ? AND seq = ?",
                    (b.challenge_id, b.seq),
                )
            log.info(
                "submission %d: the oracles' runs ended differently (%s); proposing it "
                "NOT_REPRODUCIBLE",
                item.submission_id,
                ", ".join(outcomes),
            )

    def _stored_proposal(self, challenge_id: int, seq: int) -> Proposal | None:
        row = self.ctx.db.execute(
            "SELECT body FROM proposals WHERE challenge_id = ? AND seq = ?", (challenge_id, seq)
        ).fetchone()
        return None if row is None else ProposalModel.model_validate_json(row[0]).to_proposal()

    def _store_proposal(self, proposal: Proposal) -> None:
        b = proposal.batch
        body = ProposalModel.of(proposal).model_dump_json()
        with transaction(self.ctx.db):
            self.ctx.db.execute(
                "INSERT OR IGNORE INTO proposals (challenge_id, seq, cut_block, body) "
                "VALUES (?, ?, ?, ?)",
                (b.challenge_id, b.seq, proposal.cut_block, body),
            )
