"""Preparing each open phase's material before its first submission is revealed.

Loading a phase's holdout reads its labels and hashes its split (a few seconds of CPU for
millions of rows, docs/scoring.md). Done on demand, the phase's first revealed submission
waits for it; so as soon as a served phase's commit window is open, this duty loads the
phase's spec, holdout and scorer on a thread of its own (`Materials` keeps them), and the
first submission is scored as fast as the next. What cannot be had yet (the owner has not
handed over the secret, IPFS is slow) is tried again after RETRY_SECONDS; scoring itself
still loads on demand and says what is missing.
"""

import logging
import math
import time
from concurrent.futures import Future, ThreadPoolExecutor

from oracle.daemon.context import DaemonContext
from oracle.errors import CoopError
from oracle.ledger.model import Phase

log = logging.getLogger("oracle.daemon")

RETRY_SECONDS = 30.0


class Preparing:
    name = "prepare"

    def __init__(self, ctx: DaemonContext) -> None:
        self.ctx = ctx
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="prepare")
        self.pending: Future[None] | None = None
        self.tried: dict[tuple[int, int], float] = {}  # when each phase was last tried

    def close(self) -> None:
        self.thread.shutdown(wait=True, cancel_futures=True)

    def turn(self) -> bool:
        """Starts loading one open phase's material, if one is due and none is loading;
        never busy (the loading goes on while the loop sleeps)."""
        if self.pending is not None and not self.pending.done():
            return False
        ledger = self.ctx.chain.ledger()
        now = time.monotonic()
        due = [
            (challenge_id, phase)
            for challenge_id in self.ctx.served(ledger)
            for phase in ledger.challenges[challenge_id].phases
            if not self.ctx.materials.loaded(challenge_id, phase)
            and now - self.tried.get((challenge_id, phase.index), -math.inf) >= RETRY_SECONDS
        ]
        if not due:
            return False
        chain_time = self.ctx.chain_time()
        for challenge_id, phase in due:
            self.tried[(challenge_id, phase.index)] = now  # open or not, looked at again later
            if phase.commit_start <= chain_time <= phase.reveal_end:
                self.pending = self.thread.submit(self._prepare, challenge_id, phase)
                break
        return False

    def _prepare(self, challenge_id: int, phase: Phase) -> None:
        """Loads the phase's material (on the prepare thread)."""
        try:
            self.ctx.materials.material(challenge_id, phase)
        except CoopError as exc:
            log.debug(  # scoring says what is missing when a submission needs it
                "challenge %d phase %d: not prepared yet (%s); tried again in %.0f s",
                challenge_id,
                phase.index,
                exc,
                RETRY_SECONDS,
            )
        except Exception:
            log.exception("challenge %d phase %d: preparing failed", challenge_id, phase.index)
