"""Auditing licences: every scored submission's licence status re-derived from IPFS.

A submission whose licence the spec does not allow, or a fork whose licence its parents'
do not permit, must carry LICENCE_NOT_ALLOWED / LICENCE_INCOMPATIBLE; no other submission
may. This needs no holdout, so it is checked as soon as scores are posted.
"""

from oracle.audit.recompute import Fetcher
from oracle.errors import IpfsError
from oracle.ledger.licences import parent_sources, problem_of
from oracle.ledger.model import Challenge, Ledger, Phase
from oracle.spec import ChallengeSpec
from oracle.status import Status

LICENCE_STATUSES = (Status.LICENCE_NOT_ALLOWED, Status.LICENCE_INCOMPATIBLE)


class _SpecMissing(Exception):
    pass


def check_licences(ledger: Ledger, challenge: Challenge, fetch: Fetcher) -> None:
    report = fetch.report

    def spec_of(phase: Phase) -> ChallengeSpec:
        spec = fetch.spec(phase)
        if spec is None:
            raise _SpecMissing(phase.spec_cid)
        return spec

    for submission in ledger.submissions_of(challenge.challenge_id):
        score, reveal = submission.score, submission.reveal
        if score is None or reveal is None:
            continue
        subject = f"licence of submission #{submission.submission_id}"
        try:
            spec = spec_of(challenge.phases[submission.phase])
            parents = parent_sources(ledger, submission, spec_of)
            problem = problem_of(fetch.store, spec, reveal.artifact_cid, parents)
        except _SpecMissing as exc:
            report.could_not_check("licences", subject, f"the spec {exc} could not be read")
            continue
        except IpfsError as exc:
            report.could_not_check("licences", subject, f"an artifact could not be read: {exc}")
            continue
        posted = Status(score.status)
        if problem is not None and posted is not problem.status:
            report.fail("licences", subject,
                        f"status on chain {posted.name}, expected {problem.status.name} "
                        f"({problem.reason})")  # fmt: skip
        elif problem is None and posted in LICENCE_STATUSES:
            why = f"status on chain {posted.name}, but its licence breaks no rule"
            report.fail("licences", subject, why)
        else:
            report.passed("licences")
