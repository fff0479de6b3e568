"""What reward rule v1 reads for one phase, taken from the ledger and the phase's spec.

The oracles (before posting a root) and the auditor (after) both call `reward_inputs`, so
a root can only be recomputed one way. A submission counts as valid when a quorum scored
it valid and its private score was opened on chain; everything else earns nothing.
"""

from oracle.ledger.model import Ledger, Submission
from oracle.ledger.teams import formed_teams
from oracle.rewards.model import NearCopy, ParentRef, Review, RewardInputs, SubmissionRecord
from oracle.spec import ChallengeSpec, Direction
from oracle.status import Status
from oracle.types import ChallengeId, PhaseIndex, SubmissionId, Wad


def reward_inputs(
    ledger: Ledger,
    challenge_id: int,
    phase: int,
    spec: ChallengeSpec,
    escrow: int,
    prize_tie_groups: tuple[tuple[SubmissionId, ...], ...] = (),
    prize_ineligible: tuple[SubmissionId, ...] = (),
    near_copies: tuple[NearCopy, ...] = (),
    before_correction: bool = False,
) -> RewardInputs:
    """RewardInputs of `phase`; `escrow` is what the vault has left for this root;
    `prize_tie_groups` from oracle.ledger.ties.shared_prize_groups when the spec shares;
    `prize_ineligible` from oracle.ledger.licences.prize_ineligible; `near_copies` from
    oracle.ledger.near_copies.phase_near_copies. With `before_correction`, the scores are
    those of the phase's previous correction (rule v2 compares the two; the phase must have
    a correction)."""
    challenge = ledger.challenges[challenge_id]
    judged = challenge.phases[phase]
    rules = spec.rewards
    revealed = [s for s in ledger.submissions_of(challenge_id, phase) if s.reveal is not None]
    phase_ids = {s.submission_id for s in revealed}
    return RewardInputs(
        challenge_id=ChallengeId(challenge_id),
        phase=PhaseIndex(phase),
        bounty=judged.bounty,
        improvement_bps=rules.improvement_bps,
        prize_bps=rules.prize_bps,
        review_bps=rules.review_bps,
        prize_ranks_bps=rules.prize_ranks_bps,
        review_cap_per_reviewer=rules.review_cap_per_reviewer,
        fork_share_bps=rules.fork_share_bps,
        direction=Direction.HIGHER if judged.higher_is_better else Direction.LOWER,
        baseline=Wad(judged.baseline),
        target=Wad(judged.target),
        eta=Wad(judged.eta),
        escrow_left=escrow,
        submissions=tuple(
            _record(ledger, s, phase, judged.correction - 1 if before_correction else None)
            for s in revealed
        ),
        reviews=tuple(
            Review(r.reviewer, SubmissionId(r.submission_id), r.block, r.log_index)
            for r in ledger.reviews_of(challenge_id)
            if r.submission_id in phase_ids
        ),
        prize_tie_groups=prize_tie_groups,
        prize_ineligible=prize_ineligible,
        near_copies=near_copies,
        teams=formed_teams(ledger, challenge_id, phase),
    )


def _comparable_score(parent: Submission, phase: int) -> Wad | None:
    """A parent's private score when it was judged under this phase's rules; a parent from
    another phase (another metric, data or holdout) has no score to compare with."""
    return private_score(parent) if parent.phase == phase else None


def private_score(submission: Submission) -> Wad | None:
    """The opened private score of a submission a quorum scored valid; else None."""
    score, opened = submission.score, submission.private
    if score is None or opened is None or score.status != Status.VALID:
        return None
    return Wad(opened.score)


def score_under(submission: Submission, correction: int) -> Wad | None:
    """The opened private score a submission had under an earlier `correction` of its
    phase, if a quorum scored it valid then; else None."""
    for score, opened in reversed(submission.earlier):
        if score.correction == correction:
            valid = opened is not None and score.status == Status.VALID
            return Wad(opened.score) if valid and opened else None
    return None


def _record(ledger: Ledger, s: Submission, phase: int, correction: int | None) -> SubmissionRecord:
    assert s.reveal is not None
    parents = tuple(
        ParentRef(
            SubmissionId(pid),
            ledger.submissions[pid].submitter,
            _comparable_score(ledger.submissions[pid], phase),
        )
        for pid in s.reveal.parents
    )
    score = private_score(s) if correction is None else score_under(s, correction)
    return SubmissionRecord(
        submission_id=SubmissionId(s.submission_id),
        submitter=s.submitter,
        challenge_id=ChallengeId(s.challenge_id),
        commit_block=s.commit_block,
        valid=score is not None,
        private_score=score,
        parents=parents,
        weights_ppm=s.reveal.weights_ppm,
    )
