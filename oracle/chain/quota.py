"""No quota lost to the oracles: releasing an unscored submission's cap slot and extending a
phase after an oracle outage (`releaseQuota`, `extendForOutage`; docs/participant.md).

Anyone may send either. Each is simulated first, so a refusal comes back as a QuotaRefused
that says what is wrong and what to do, not as a raw custom error.
"""

from dataclasses import dataclass

from web3.contract.contract import ContractFunction
from web3.exceptions import ContractCustomError, ContractLogicError
from web3.logs import DISCARD

from oracle.chain.platform import Platform
from oracle.chain.sender import Sender, describe_revert, tx_hash_of
from oracle.errors import CoopError


class QuotaRefused(CoopError, ValueError):
    """The contract would refuse the release or the extension; the message says why."""


@dataclass(frozen=True)
class QuotaReleased:
    submission_id: int
    challenge_id: int
    submitter: str
    committed_at: int
    slot_freed: bool  # False: the commit was over a day old, it no longer held a slot
    tx_hash: str


@dataclass(frozen=True)
class PhaseExtended:
    challenge_id: int
    phase: int
    waiting_submission_id: int
    outage: int  # seconds the submission waited unscored
    extension: int  # seconds both windows moved (the outage, capped)
    commit_end: int
    reveal_end: int
    tx_hash: str


# What to do about each refusal, by the custom error's name.
_ADVICE = {
    "NotRevealed": "only a revealed submission waits for the oracles; reveal it first",
    "QuotaNotProtected": "this challenge has no daily cap or no scoring deadline "
    "(limits.scoring_deadline_s in its spec): its commits are never released",
    "QuotaAlreadyReleased": "its cap slot was released already",
    "ScoringDeadlineNotPassed": "the oracles still have time to score it; try again after dueBy",
    "SubmissionScored": "the oracles scored it, so its commit counts against the cap",
    "OutageExtensionOff": "this challenge allows no outage extension "
    "(limits.max_outage_extension_s is 0)",
    "PhaseAlreadyExtended": "a phase is extended at most once",
    "LaterPhaseExists": "only the challenge's newest phase can be extended",
    "PhaseOver": "the phase's reveal window has closed; it can no longer move",
    "SubmissionNotInPhase": "name a submission of this challenge and phase",
    "SubmissionNotWaiting": "name a revealed submission the oracles have not scored",
    "OutageTooShort": "an outage counts once a submission waited the scoring deadline; "
    "try again later",
    "OutageNotInLastDay": "only an outage in the last day of commits extends the phase, "
    "for a submission revealed before the commit end",
    "UnknownSubmission": "check the submission id (`coop status ID`)",
    "UnknownChallenge": "check the challenge id",
    "UnknownPhase": "check the phase number (`coop challenge status ID`)",
    "TeamOverCap": "together you committed more than the cap allows for the days so far; "
    "wait for more days to pass",
    "MergeLeavesOutMember": "a formed team merges whole: list every one of its members "
    "(`coop team show TEAM`)",
    "NotATeamMember": "only a listed member may propose or join the team",
    "AlreadyConsented": "you consented already; the other members must join",
    "TeamAlreadyFormed": "every member consented already",
    "TeamSharesDoNotSumToMillion": "make the percentages add up to 100",
    "InvalidTeamSize": "a team has 2 to 8 members",
}


def simulate(fn: ContractFunction, sender: Sender, refusal: type[CoopError]) -> None:
    """Calls `fn` as `sender` first: a refusal raises `refusal` with the decoded error and,
    when known, what to do about it."""
    try:
        fn.call({"from": sender.address})
    except (ContractCustomError, ContractLogicError) as exc:
        reason = describe_revert(fn, exc)
        name = reason.split(": ", 1)[-1].split("(", 1)[0]
        advice = _ADVICE.get(name)
        raise refusal(f"{reason}: {advice}" if advice else reason) from None


def release_quota(platform: Platform, sender: Sender, submission_id: int) -> QuotaReleased:
    """Takes an unscored submission's commit out of its submitter's daily cap."""
    fn = platform.book.functions.releaseQuota(submission_id)
    simulate(fn, sender, QuotaRefused)
    receipt = sender.transact(fn)
    (event,) = platform.book.events.QuotaReleased().process_receipt(receipt, errors=DISCARD)
    a = event["args"]
    return QuotaReleased(
        int(a["submissionId"]), int(a["challengeId"]), a["submitter"], int(a["committedAt"]),
        bool(a["slotFreed"]), tx_hash_of(receipt),
    )  # fmt: skip


def extend_for_outage(platform: Platform, sender: Sender, challenge_id: int, phase: int,
                      waiting_submission_id: int) -> PhaseExtended:  # fmt: skip
    """Moves the phase's windows later by the oracles' outage (once, capped)."""
    fn = platform.registry.functions.extendForOutage(challenge_id, phase, waiting_submission_id)
    simulate(fn, sender, QuotaRefused)
    receipt = sender.transact(fn)
    events = platform.registry.events.PhaseExtended().process_receipt(receipt, errors=DISCARD)
    a = events[0]["args"]
    return PhaseExtended(int(a["challengeId"]), int(a["phase"]), int(a["waitingSubmissionId"]),
                         int(a["outage"]), int(a["extension"]), int(a["commitEnd"]),
                         int(a["revealEnd"]), tx_hash_of(receipt))  # fmt: skip
