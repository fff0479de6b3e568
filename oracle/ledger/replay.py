"""Replaying the platform's events into a Ledger: the auditor's view of the chain.

`read_ledger` fetches every platform log from the deployment block to a block (the head
by default) and `replay` folds them, in chain order, into typed records. Only events are
read, never contract storage, so what the ledger says can be checked by anyone with logs.
"""

from collections.abc import Callable, Iterable
from typing import Any

from oracle.chain.events import ChainEvent, EventDecoder
from oracle.chain.platform import Platform
from oracle.ledger.model import (
    Challenge,
    Claim,
    Correction,
    DisputeFiled,
    EscrowMove,
    HoldoutReveal,
    Ledger,
    OracleSet,
    Phase,
    PhaseExtension,
    PrivateScore,
    QuotaRelease,
    Reveal,
    ReviewEntry,
    RewardRootPosted,
    RootStanding,
    Score,
    ScoreBatchPosted,
    Submission,
    Team,
)
from oracle.scoring.commitment import private_commitment
from oracle.types import Verdict, Wad

BLOCKS_PER_QUERY = 5000


def read_events(platform: Platform, to_block: int | None = None) -> list[ChainEvent]:
    """Every platform event from the deployment block to `to_block`, in chain order."""
    w3 = platform.w3
    decoder = EventDecoder(platform)
    last = int(w3.eth.block_number) if to_block is None else to_block
    events: list[ChainEvent] = []
    start = platform.deployment.block
    while start <= last:
        end = min(last, start + BLOCKS_PER_QUERY - 1)
        events.extend(decoder.read(start, end))
        start = end + 1
    return events


def read_ledger(platform: Platform, to_block: int | None = None) -> Ledger:
    last = int(platform.w3.eth.block_number) if to_block is None else to_block
    return replay(read_events(platform, last), last)


def replay(events: Iterable[ChainEvent], last_block: int) -> Ledger:
    ledger = Ledger(last_block=last_block)
    for event in sorted(events, key=lambda e: e.position):
        handler = _HANDLERS.get(event.name)
        if handler is not None:
            handler(ledger, event)
    return ledger


def _challenge_created(ledger: Ledger, e: ChainEvent) -> None:
    c: Any = e["config"]
    challenge_id = int(e["challengeId"])
    ledger.challenges[challenge_id] = Challenge(
        challenge_id=challenge_id, owner=e["owner"], token=c["token"],
        dispute_window=int(c["disputeWindow"]),
        dispute_bond=int(c["disputeBond"]), arbiter=c["arbiter"], daily_cap=int(c["dailyCap"]),
        commit_bond=int(c["commitBond"]), parent_challenge=int(c["parentChallenge"]),
        spec_cid=str(e["specCid"]), block=e.block_number,
        notice_period=int(c["noticePeriod"]), scoring_deadline=int(c["scoringDeadline"]),
        max_outage_extension=int(c["maxOutageExtension"]),
    )  # fmt: skip


def _oracles_rotated(ledger: Ledger, e: ChainEvent) -> None:
    ledger.challenges[int(e["challengeId"])].oracle_sets.append(
        OracleSet(
            version=int(e["configVersion"]),
            oracles=tuple(e["oracles"]),
            quorum=int(e["quorum"]),
            config_digest=e["configDigest"],
            from_block=e.block_number,
            arbiter=e["arbiter"],
            active_from=int(e["activeFrom"]),
        )
    )


def _phase_added(ledger: Ledger, e: ChainEvent) -> None:
    c: Any = e["config"]
    challenge = ledger.challenges[int(e["challengeId"])]
    challenge.phases.append(
        Phase(
            index=int(e["phase"]),
            spec_cid=str(c["specCid"]),
            higher_is_better=bool(c["higherIsBetter"]),
            baseline=int(c["baseline"]),
            target=int(c["target"]),
            eta=int(c["eta"]),
            commit_start=int(c["commitStart"]),
            commit_end=int(c["commitEnd"]),
            reveal_end=int(c["revealEnd"]),
            holdout_commitment=c["holdoutCommitment"],
            bounty=int(c["bounty"]),
            block=e.block_number,
        )  # fmt: skip
    )


def _holdout_revealed(ledger: Ledger, e: ChainEvent) -> None:
    phase = ledger.challenges[int(e["challengeId"])].phases[int(e["phase"])]
    phase.holdout = HoldoutReveal(
        str(e["labelsCid"]), e["labelsDigest"], e["splitSalt"], e.block_number, e["revealer"]
    )


def _phase_extended(ledger: Ledger, e: ChainEvent) -> None:
    phase = ledger.challenges[int(e["challengeId"])].phases[int(e["phase"])]
    phase.commit_end, phase.reveal_end = int(e["commitEnd"]), int(e["revealEnd"])
    phase.extension = PhaseExtension(
        int(e["waitingSubmissionId"]), int(e["revealedAt"]), int(e["outage"]),
        int(e["extension"]), e.block_number,
    )  # fmt: skip


def _quota_released(ledger: Ledger, e: ChainEvent) -> None:
    submission = ledger.submissions[int(e["submissionId"])]
    submission.quota_release = QuotaRelease(
        int(e["committedAt"]), bool(e["slotFreed"]), e.block_number
    )


def _team_proposed(ledger: Ledger, e: ChainEvent) -> None:
    team_id = int(e["teamId"])
    ledger.teams[team_id] = Team(team_id, int(e["challengeId"]), tuple(e["members"]),
                                 tuple(int(s) for s in e["sharesPpm"]), e.block_number)  # fmt: skip


def _team_formed(ledger: Ledger, e: ChainEvent) -> None:
    team = ledger.teams[int(e["teamId"])]
    team.formed_block = e.block_number
    team.combined_submissions = int(e["combinedSubmissions"])


def _team_merged(ledger: Ledger, e: ChainEvent) -> None:
    ledger.teams[int(e["teamId"])].merged_into = int(e["intoTeamId"])


def _correction_published(ledger: Ledger, e: ChainEvent) -> None:
    """Scores of the phase start over: each submission's score and opening move to its
    history, and the corrected labels (if any) wait for their own reveal."""
    challenge_id, index = int(e["challengeId"]), int(e["phase"])
    phase = ledger.challenges[challenge_id].phases[index]
    commitment = bytes(e["holdoutCommitment"])
    relabelled = any(commitment)
    phase.corrections.append(
        Correction(
            int(e["correction"]),
            str(e["scorerCid"]),
            commitment,
            str(e["reasonCid"]),
            e.block_number,
            phase.holdout if relabelled else None,
        )  # fmt: skip
    )
    if relabelled:
        phase.holdout_commitment = commitment
        phase.holdout = None
    for submission in ledger.submissions_of(challenge_id, index):
        if submission.score is not None:
            submission.earlier.append((submission.score, submission.private))
        submission.score = None
        submission.private = None


def _bounty_escrowed(ledger: Ledger, e: ChainEvent) -> None:
    _escrow_move(ledger, e, int(e["amount"]), "deposit")


def _escrow_move(ledger: Ledger, e: ChainEvent, amount: int, cause: str) -> None:
    challenge = ledger.challenges[int(e["challengeId"])]
    challenge.escrow_moves.append(EscrowMove(e.position, amount, cause))


def _committed(ledger: Ledger, e: ChainEvent) -> None:
    sid = int(e["submissionId"])
    ledger.submissions[sid] = Submission(
        submission_id=sid, challenge_id=int(e["challengeId"]), submitter=e["submitter"],
        phase=int(e["phase"]), commitment=e["commitment"], bond=int(e["bond"]),
        commit_block=e.block_number,
    )  # fmt: skip


def _revealed(ledger: Ledger, e: ChainEvent) -> None:
    ledger.submissions[int(e["submissionId"])].reveal = Reveal(
        str(e["artifactCid"]),
        tuple(int(p) for p in e["parents"]),
        tuple(int(w) for w in e["weightsPpm"]),
        e.block_number,
    )


def _reviewed(ledger: Ledger, e: ChainEvent) -> None:
    ledger.reviews.append(
        ReviewEntry(
            int(e["submissionId"]),
            int(e["challengeId"]),
            e["reviewer"],
            Verdict(int(e["verdict"])),
            str(e["reviewCid"]),
            e.block_number,
            e.log_index,
        )  # fmt: skip
    )


def _scores_posted(ledger: Ledger, e: ChainEvent) -> None:
    ledger.challenges[int(e["challengeId"])].batches.append(
        ScoreBatchPosted(
            int(e["challengeId"]),
            int(e["phase"]),
            int(e["seq"]),
            e["itemsHash"],
            int(e["itemCount"]),
            e["relayer"],
            e.block_number,
            e.tx_hash,
            int(e["correction"]),
        )  # fmt: skip
    )


def _score_recorded(ledger: Ledger, e: ChainEvent) -> None:
    submission = ledger.submissions[int(e["submissionId"])]
    # The ScoreBoard takes a batch only under the phase's current correction.
    correction = ledger.challenges[submission.challenge_id].phases[submission.phase].correction
    submission.score = Score(
        int(e["seq"]), int(e["status"]), int(e["publicScore"]), e["privateCommitment"],
        e["reportDigest"], e.block_number, e.tx_hash, e.position, correction,
    )  # fmt: skip


def _private_revealed(ledger: Ledger, e: ChainEvent) -> None:
    """The opening goes to the score whose commitment it opens: the current one, or one
    under an earlier correction (a batch opened after a correction)."""
    submission = ledger.submissions[int(e["submissionId"])]
    opened = PrivateScore(int(e["privateScore"]), e["salt"], e.block_number)
    commitment = private_commitment(submission.submission_id, Wad(opened.score), opened.salt)
    if submission.score is not None and submission.score.private_commitment == commitment:
        submission.private = opened
        return
    for k, (score, _) in enumerate(submission.earlier):
        if score.private_commitment == commitment:
            submission.earlier[k] = (score, opened)


def _rewards_posted(ledger: Ledger, e: ChainEvent) -> None:
    ledger.challenges[int(e["challengeId"])].roots.append(
        RewardRootPosted(
            int(e["challengeId"]),
            int(e["phase"]),
            int(e["seq"]),
            e["merkleRoot"],
            int(e["total"]),
            str(e["reportCid"]),
            int(e["claimableAt"]),
            e.block_number,
            e.tx_hash,
            e.position,
        )  # fmt: skip
    )
    _escrow_move(ledger, e, -int(e["total"]), "root posted")


def _latest_root(ledger: Ledger, e: ChainEvent) -> RewardRootPosted:
    challenge = ledger.challenges[int(e["challengeId"])]
    phase = int(e["phase"])
    return [r for r in challenge.roots if r.phase == phase][-1]


def _rewards_disputed(ledger: Ledger, e: ChainEvent) -> None:
    root = _latest_root(ledger, e)
    root.state = RootStanding.DISPUTED
    root.disputes.append(
        DisputeFiled(e["disputer"], int(e["bond"]), str(e["reasonCid"]), e.block_number)
    )


def _dispute_resolved(ledger: Ledger, e: ChainEvent) -> None:
    root = _latest_root(ledger, e)
    root.state = RootStanding.VOIDED if e["upheld"] else RootStanding.LIVE
    if e["upheld"]:
        _escrow_move(ledger, e, root.total, "root voided")
    else:
        root.claimable_at = int(e["claimableAt"])  # the window resumed


def _dispute_lapsed(ledger: Ledger, e: ChainEvent) -> None:
    """The arbiter let its deadline pass: the root stands, its window resumes."""
    root = _latest_root(ledger, e)
    root.state = RootStanding.LIVE
    root.claimable_at = int(e["claimableAt"])


def _voided_by_correction(ledger: Ledger, e: ChainEvent) -> None:
    root = _latest_root(ledger, e)
    root.state = RootStanding.VOIDED
    root.voided_by_correction = True
    _escrow_move(ledger, e, root.total, "root voided by a correction")


def _claimed(ledger: Ledger, e: ChainEvent) -> None:
    ledger.challenges[int(e["challengeId"])].claims.append(
        Claim(
            int(e["challengeId"]), int(e["phase"]), e["account"], int(e["amount"]), e.block_number
        )  # fmt: skip
    )


def _refunded(ledger: Ledger, e: ChainEvent) -> None:
    _escrow_move(ledger, e, -int(e["amount"]), "refund")


_HANDLERS: dict[str, Callable[[Ledger, ChainEvent], None]] = {
    "ChallengeCreated": _challenge_created,
    "OraclesRotated": _oracles_rotated,
    "PhaseAdded": _phase_added,
    "HoldoutRevealed": _holdout_revealed,
    "PhaseExtended": _phase_extended,
    "QuotaReleased": _quota_released,
    "TeamProposed": _team_proposed,
    "TeamFormed": _team_formed,
    "TeamMerged": _team_merged,
    "CorrectionPublished": _correction_published,
    "BountyEscrowed": _bounty_escrowed,
    "Committed": _committed,
    "Revealed": _revealed,
    "Reviewed": _reviewed,
    "ScoresPosted": _scores_posted,
    "ScoreRecorded": _score_recorded,
    "PrivateScoreRevealed": _private_revealed,
    "RewardsPosted": _rewards_posted,
    "RewardsDisputed": _rewards_disputed,
    "DisputeResolved": _dispute_resolved,
    "DisputeLapsed": _dispute_lapsed,
    "RewardsVoidedByCorrection": _voided_by_correction,
    "Claimed": _claimed,
    "RemainderRefunded": _refunded,
}
