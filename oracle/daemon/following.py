"""Following the chain: applying confirmed steps, and a scoring job for every reveal.

Each turn reads up to MAX_STEPS_PER_TURN confirmed steps (`Follower`); a step and the
jobs it adds are one transaction. A reorg rewinds the jobs of the rewound reveals and
makes the other duties forget what they had seen on the old chain (`on_rewind`).
"""

import logging
from collections.abc import Callable

from oracle.chain.follower import Advance, Follower, Rewind, Step
from oracle.daemon.context import DaemonContext
from oracle.sqlite import transaction

log = logging.getLogger("oracle.daemon")

MAX_STEPS_PER_TURN = 20


class Following:
    name = "follow"

    def __init__(self, ctx: DaemonContext, on_rewind: Callable[[], None]) -> None:
        self.ctx = ctx
        self.on_rewind = on_rewind
        self.follower = Follower(ctx.platform, confirmations=ctx.config.confirmations)

    def turn(self) -> bool:
        self.ctx.head = int(self.ctx.platform.w3.eth.block_number)
        moved = False
        for _ in range(MAX_STEPS_PER_TURN):
            if self.ctx.stopping.is_set():
                break
            step = self.follower.next_step(self.ctx.chain.cursor)
            if step is None:
                break
            self._apply(step)
            moved = True
        return moved

    def _apply(self, step: Step) -> None:
        chain, jobs = self.ctx.chain, self.ctx.jobs
        try:
            with transaction(self.ctx.db):
                chain.write(step)
                chain.commit(step)
                if isinstance(step, Rewind):
                    dropped = jobs.rewind(step.to_block)
                else:
                    self._new_jobs(step)
        except BaseException:
            chain.reload()
            raise
        if isinstance(step, Rewind):
            self.ctx.metrics.rewinds.inc()
            self.ctx.materials.forget()
            self.on_rewind()
            log.warning(
                "reorg: %s; %d job(s) of rewound reveals dropped, the new chain's "
                "reveals will be scored",
                step.reason,
                dropped,
            )
        elif isinstance(step, Advance) and step.events:
            log.debug(
                "read blocks %d-%d: %d event(s)",
                step.first_block,
                step.last_block,
                len(step.events),
            )
            if any(e.name in ("ChallengeCreated", "OraclesRotated") for e in step.events):
                self.reconcile_jobs()

    def _new_jobs(self, step: Advance) -> None:
        ledger = self.ctx.chain.ledger()
        for e in step.events:
            if e.name != "Revealed":
                continue
            submission = ledger.submissions[int(e["submissionId"])]
            if self.ctx.serves(ledger, submission.challenge_id):
                self.ctx.jobs.add(
                    submission.submission_id,
                    submission.challenge_id,
                    submission.phase,
                    e.block_number,
                    str(e["artifactCid"]),
                )
        self.ctx.jobs.follow(step.events)

    def reconcile_jobs(self) -> None:
        """A job for every revealed submission of a served challenge (after a start, or
        when this oracle joined a challenge), in the state the chain says it is in."""
        ledger = self.ctx.chain.ledger()
        served = set(self.ctx.served(ledger))
        with transaction(self.ctx.db):
            for s in ledger.submissions.values():
                if s.challenge_id in served and s.reveal is not None:
                    self.ctx.jobs.add(
                        s.submission_id,
                        s.challenge_id,
                        s.phase,
                        s.reveal.block,
                        s.reveal.artifact_cid,
                    )
            self.ctx.jobs.follow(
                tuple(
                    e
                    for e in self.ctx.chain.events()
                    if e.name in ("ScoreRecorded", "PrivateScoreRevealed")
                )
            )
