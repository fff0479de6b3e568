"""The one way every duty of the daemon posts: whose turn it is, the quorum, the send.

Each thing to post (a score batch, private scores, a holdout, a rewards root) has a key
and a rotation index (its seq, or its phase). `my_turn` says whether this oracle is the
one to post it now: the phase's oracles take turns by index, and each `failover_seconds`
that it stays unposted the turn passes to the next one (`batching.poster_for`), asking
peers at most once per key and poll interval. `quorum` collects the peers' signatures for
what needs them; `send` sends it through `ChainWriter` (which checks the chain first) and
records what happened, so a key on chain is never posted again until a reorg.
"""

import logging
import time
from collections.abc import Callable, Sequence

from oracle.chain.attestation import Signature, sign_typed
from oracle.daemon.batching import poster_for
from oracle.daemon.context import DaemonContext
from oracle.daemon.peers import PeerAnswer, PeerClient
from oracle.daemon.poster import ChainWriter, Outcome
from oracle.ledger.model import Challenge, Ledger

log = logging.getLogger("oracle.daemon")

Key = tuple[object, ...]


class Posting:
    def __init__(self, ctx: DaemonContext, peers: PeerClient) -> None:
        self.ctx = ctx
        self.peers = peers
        self.writer = ChainWriter(ctx.platform, ctx.sender)
        self.due_since: dict[Key, float] = {}
        self.last_ask: dict[Key, float] = {}
        self.landed: set[Key] = set()  # posted or found on chain, not confirmed yet

    def forget(self) -> None:
        """After a reorg: what landed may be gone, and what is due is due afresh."""
        self.due_since.clear()
        self.landed.clear()

    def my_turn(self, key: Key, index: int, oracles: Sequence[str]) -> bool:
        """True when `key` is not on chain yet and this oracle is the one to post it now."""
        if key in self.landed or not any(self.ctx.is_me(o) for o in oracles):
            return False  # landed, or judged by another version of the oracle set
        waited = time.monotonic() - self.due_since.setdefault(key, time.monotonic())
        poster = poster_for(index, oracles, waited, self.ctx.config.failover_seconds)
        return self.ctx.is_me(poster) and self._may_ask(key)

    def _may_ask(self, key: Key) -> bool:
        """At most one round of asks per key and poll interval (peers that said retry)."""
        now = time.monotonic()
        if now - self.last_ask.get(key, 0.0) < min(self.ctx.config.poll_seconds, 1.0):
            return False
        self.last_ask[key] = now
        return True

    def quorum(
        self,
        typed: dict[str, object],
        path: str,
        body: dict[str, object],
        challenge: Challenge,
        phase: int,
    ) -> tuple[list[Signature] | None, list[PeerAnswer]]:
        """Our signature and enough valid peer signatures for the phase's quorum (else None),
        and the peers' answers."""
        oracle_set = challenge.judges_of(phase)
        mine = sign_typed(typed, self.ctx.config.private_key)
        peer_sigs, answers = self.peers.collect(
            path, body, typed, oracle_set.oracles, oracle_set.quorum - 1
        )
        self._note_answers(answers)
        signatures = [mine, *(s for s in peer_sigs if not self.ctx.is_me(s.signer))]
        if len(signatures) < oracle_set.quorum:
            return None, answers
        return signatures, answers

    def _note_answers(self, answers: list[PeerAnswer]) -> None:
        for answer in answers:
            if answer.refusal is not None and not answer.refusal.retry:
                if answer.refusal.disagreements:
                    metric = self.ctx.metrics.disagreements.labels("self")
                    metric.inc(answer.refusal.disagreements)
                log.warning("peer %s refused to sign: %s", answer.peer, answer.refusal.reason)
            elif answer.error is not None:
                log.info("peer %s did not answer: %s", answer.peer, answer.error)

    def send(
        self, key: Key, kind: str, what: str, transaction: Callable[[ChainWriter], Outcome]
    ) -> Outcome:
        """Sends `transaction` and records its outcome: the key landed when it is on chain
        now, the `kind` of post counted when this oracle posted it."""
        outcome = transaction(self.writer)
        if outcome in (Outcome.POSTED, Outcome.ALREADY):
            self.landed.add(key)
        if outcome is Outcome.POSTED:
            self.ctx.metrics.posts.labels(kind).inc()
        log.log(
            logging.DEBUG if outcome is Outcome.ALREADY else logging.INFO,
            "%s: %s",
            what,
            outcome.value,
        )
        return outcome


class PostingDuty:
    """A loop duty that posts what each served challenge has due, through `Posting`: a
    subclass names itself and says what to do for one challenge (`challenge_turn`)."""

    name: str

    def __init__(self, ctx: DaemonContext, posting: Posting) -> None:
        self.ctx = ctx
        self.posting = posting

    def turn(self) -> bool:
        head = self.ctx.chain.ledger()
        busy = False
        for challenge_id in self.ctx.served(head):
            busy = self.challenge_turn(head, challenge_id) or busy
        return busy

    def challenge_turn(self, head: Ledger, challenge_id: int) -> bool:
        """Posts what the challenge has due at `head`; True when something was posted."""
        raise NotImplementedError
