"""Answering peers: signing a proposed score batch or rewards root only when it is ours too.

Runs on the HTTP server's threads (oracle/daemon/server.py), one review at a time, with the
server's own database connection. A batch is signed only when this oracle forms the very
same bytes at the proposal's cut from its own scores (oracle/daemon/attest.py); a root only
when it forms the same root and report (oracle/daemon/phase_end.py). Otherwise the answer
is a refusal saying why, and whether to ask again.
"""

import logging
from dataclasses import replace

from oracle.chain.attestation import reward_root_typed_data, score_batch_typed_data, sign_typed
from oracle.daemon.attest import Refusal, review_proposal
from oracle.daemon.context import DaemonContext
from oracle.daemon.materials import MaterialMissing
from oracle.daemon.phase_end import review_root
from oracle.daemon.reproduce import (
    Mismatch,
    not_reproducible_record,
    record_item,
    review_runs,
)
from oracle.daemon.wire import (
    MismatchModel,
    ProposalModel,
    RefusalModel,
    RootProposalModel,
    SignatureModel,
)
from oracle.scoring.score_report import NETWORK_STATUSES
from oracle.sqlite import transaction

log = logging.getLogger("oracle.daemon")


class Reviews:
    def __init__(self, ctx: DaemonContext) -> None:
        self.ctx = ctx
        self._refetched: set[int] = set()

    def _behind(self, cut_block: int) -> RefusalModel | None:
        read_up_to = self.ctx.chain.last_block
        if cut_block <= read_up_to:
            return None
        return RefusalModel(
            retry=True,
            reason=f"this oracle has read blocks up to {read_up_to}, not yet {cut_block}",
        )

    def review_scores(self, model: ProposalModel) -> SignatureModel | RefusalModel:
        ctx, jobs = self.ctx, self.ctx.server_jobs
        with ctx.server_lock:
            proposal = model.to_proposal()
            b = proposal.batch
            read_up_to = ctx.chain.last_block
            behind = self._behind(proposal.cut_block)
            if behind is not None:
                return behind
            ledger = ctx.chain.ledger(proposal.cut_block)
            if not ctx.serves(ledger, b.challenge_id):
                return RefusalModel(
                    retry=False,
                    reason=f"{ctx.address} does not serve challenge {b.challenge_id}",
                )
            own = jobs.scored(b.challenge_id)
            runs = jobs.runs(b.challenge_id)
            proposed = [(item, m.runs) for item, m in zip(proposal.items, model.items, strict=True)]
            mismatches, agreed = review_runs(proposed, runs)
            if mismatches:
                return self._mismatch(b.challenge_id, mismatches)
            adopted = {
                sid: not_reproducible_record(
                    ctx.keys, b.challenge_id, b.phase, sid, runs[sid], outcomes
                )
                for sid, outcomes in agreed.items()
            }
            for sid, (record, _) in adopted.items():
                if sid in own:
                    own[sid] = replace(own[sid], item=record_item(sid, record))
            waiting = {w.submission_id for w in jobs.waiting(b.challenge_id)}
            result = review_proposal(proposal, ledger, read_up_to, own, waiting)
            if isinstance(result, Refusal):
                refetch = self._refetch(result)
                if refetch is not None:
                    return refetch
                return self._refusal(result, f"score batch {b.seq} of challenge {b.challenge_id}")
            for sid, (record, report) in adopted.items():
                ctx.publish(report)
                with transaction(jobs.db):
                    jobs.replace_score(sid, record)
            typed = score_batch_typed_data(
                result.batch, ctx.chain_id, ctx.platform.score_board.address
            )
            ctx.metrics.signatures.labels("scores").inc()
            return self._signature(typed)

    def _mismatch(self, challenge_id: int, mismatches: list[Mismatch]) -> RefusalModel:
        """Our runs of code submissions ended otherwise than the proposal says: not signed,
        our outcomes sent back so the poster can list them (NOT_REPRODUCIBLE)."""
        said = "; ".join(f"submission {m.submission_id}: {m.outcome}" for m in mismatches)
        log.info(
            "challenge %d: our runs ended otherwise than the proposal's (%s)", challenge_id, said
        )
        return RefusalModel(
            retry=True,
            reason=f"this oracle's runs ended otherwise ({said})",
            mismatches=[
                MismatchModel(submission_id=m.submission_id, outcome=m.outcome) for m in mismatches
            ],
        )

    def review_root(self, model: RootProposalModel) -> SignatureModel | RefusalModel:
        ctx = self.ctx
        with ctx.server_lock:
            read_up_to = ctx.chain.last_block
            behind = self._behind(model.cut_block)
            if behind is not None:
                return behind
            ledger = ctx.chain.ledger(model.cut_block)
            challenge = ledger.challenges.get(model.challenge_id)
            if (
                challenge is None
                or not ctx.serves(ledger, model.challenge_id)
                or not (0 <= model.phase < len(challenge.phases))
            ):
                return RefusalModel(retry=False, reason="not a phase of a challenge served here")
            try:
                spec = ctx.materials.spec(challenge.phases[model.phase])
            except MaterialMissing as exc:
                return RefusalModel(retry=True, reason=str(exc))
            result = review_root(
                model.to_root(),
                model.report_cid,
                model.cut_block,
                ledger,
                read_up_to,
                spec,
                ctx.store,
            )
            if isinstance(result, Refusal):
                return self._refusal(result, f"rewards root of challenge {model.challenge_id}")
            ctx.publish(result.report)
            typed = reward_root_typed_data(result.root, ctx.chain_id, ctx.platform.vault.address)
            ctx.metrics.signatures.labels("rewards").inc()
            return self._signature(typed)

    def _refetch(self, refusal: Refusal) -> RefusalModel | None:
        """A peer scored items that this oracle could not fetch: the content exists somewhere,
        so fetch it again (once per submission) before deciding, and ask for a retry."""
        again = [
            d.submission_id
            for d in refusal.disagreements
            if d.ours.status in NETWORK_STATUSES
            and d.theirs.status not in NETWORK_STATUSES
            and d.submission_id not in self._refetched
        ]
        if not again:
            return None
        self._refetched.update(again)
        jobs = self.ctx.server_jobs
        with transaction(jobs.db):
            for submission_id in again:
                jobs.rescore(submission_id)
        log.info(
            "a peer scored submissions %s that this oracle could not fetch; fetching them again",
            again,
        )
        return RefusalModel(retry=True, reason=f"fetching submissions {again} again")

    def _refusal(self, refusal: Refusal, what: str) -> RefusalModel:
        if refusal.disagreements:
            self.ctx.metrics.disagreements.labels("peer").inc(len(refusal.disagreements))
            for d in refusal.disagreements:
                log.warning("DISAGREEMENT, not signing %s: %s", what, d.describe())
        elif not refusal.retry:
            log.warning("not signing %s: %s", what, refusal.reason)
        return RefusalModel(
            retry=refusal.retry, reason=refusal.reason, disagreements=len(refusal.disagreements)
        )

    def _signature(self, typed: dict[str, object]) -> SignatureModel:
        signed = sign_typed(typed, self.ctx.config.private_key)
        return SignatureModel(signer=signed.signer, signature="0x" + signed.signature.hex())

    def run_record(self, submission_id: int) -> bytes | None:
        """This oracle's record of its own run of a code submission (None if it ran none)."""
        with self.ctx.server_lock:
            return self.ctx.server_jobs.run_record(submission_id)
