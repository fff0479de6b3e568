"""Recomputing what the oracles attested: every score from IPFS data, every rewards root.

Content is fetched through the verifying IPFS stack, so bytes that do not match their CID
are never used. Content that no backend delivers is "could not check", not a discrepancy:
an outside auditor may simply lack a gateway that has it. Scores can be recomputed once a
phase's holdout is revealed (labels CID + split salt); rewards once the root is posted.
Code submissions (folders) are rerun instead (oracle/audit/rerun.py).
"""

from collections.abc import Callable, Mapping

from eth_utils.crypto import keccak

from oracle.audit.findings import AuditReport
from oracle.coderun.hidden_features import (
    HiddenFeaturesMismatch,
    check_hidden_features,
    read_revealed_holdout,
)
from oracle.errors import ContentTooLarge, CoopError, IpfsError, NotAFile
from oracle.ipfs.store import ContentStore
from oracle.ledger.licences import prize_ineligible
from oracle.ledger.model import Challenge, Ledger, Phase, RootStanding, Submission
from oracle.ledger.phase_rewards import phase_rewards
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import NearCopy
from oracle.rewards.report import REPORT_MAX_BYTES, RewardReport
from oracle.scoring.artifacts import is_code, predictions_file
from oracle.scoring.commitment import private_commitment
from oracle.scoring.correction import corrected_spec
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import Holdout, load_holdout
from oracle.scoring.rejection import ArtifactRejected
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, ScorerKind, load_spec
from oracle.status import Status
from oracle.types import SubmissionId, Wad

Counted = Callable[[int, int], None]  # (done, total) of a long check


class Fetcher:
    """Verified reads, each CID fetched once, whose failures are recorded, never raised.

    Content larger than the limit the ledger allows is a finding; content that cannot be
    fetched is recorded as could-not-check.
    """

    def __init__(self, store: ContentStore, report: AuditReport) -> None:
        self.store = store
        self.report = report
        self._fetched: dict[str, bytes | None] = {}
        self._specs: dict[tuple[int, str], ChallengeSpec | None] = {}
        self.unreachable: set[str] = set()  # CIDs no backend delivered

    def get(self, cid: str, max_bytes: int, what: str) -> bytes | None:
        if cid in self._fetched:
            return self._fetched[cid]
        data: bytes | None = None
        try:
            data = self.store.cat(cid, max_bytes=max_bytes)
        except ContentTooLarge as exc:
            self.report.fail("content", what, f"{cid}: {exc}")
        except IpfsError as exc:
            self.report.could_not_check("content", what, f"could not be fetched: {exc}")
            self.unreachable.add(cid)
        else:
            self.report.passed("content")
        self._fetched[cid] = data
        return data

    def scorer_program(self, spec: ChallengeSpec) -> bytes | None:
        if spec.scorer.kind is not ScorerKind.PROGRAM or spec.scorer.cid is None:
            return None
        return self.get(spec.scorer.cid, spec.max_artifact_bytes, "scorer program")

    def spec(self, phase: Phase) -> ChallengeSpec | None:
        """The phase's spec, read and checked against the schema once per phase (the licence
        check asks for it once per submission: 100,000 times at issue 18's size)."""
        key = (phase.index, phase.spec_cid)
        if key in self._specs:
            return self._specs[key]
        raw = self.get(phase.spec_cid, SPEC_MAX_BYTES, f"spec of phase {phase.index}")
        spec = None
        if raw is not None:
            try:
                spec = load_spec(raw)
            except CoopError as exc:
                self.report.fail("content", f"spec of phase {phase.index}", str(exc))
        self._specs[key] = spec
        return spec


def check_scores(
    ledger: Ledger, challenge: Challenge, fetch: Fetcher, counted: Counted = lambda d, t: None
) -> None:
    """Recomputes every scored submission of the phases whose holdout is revealed; after
    each one, `counted(done, total)` (a progress bar: 100,000 take minutes)."""
    report = fetch.report
    total = sum(
        1
        for phase in challenge.phases
        if phase.holdout is not None
        for s in ledger.submissions_of(challenge.challenge_id, phase.index)
        if s.score
    )
    done = 0
    counted(done, total)
    for phase in challenge.phases:
        scored = [s for s in ledger.submissions_of(challenge.challenge_id, phase.index) if s.score]
        if phase.holdout is None:
            if scored:
                report.notes.append(
                    f"phase {phase.index}: holdout not revealed yet, {len(scored)} scores "
                    "cannot be recomputed until the owner reveals it"
                )
            continue
        spec = fetch.spec(phase)
        revealed = revealed_inputs(phase, spec, fetch) if spec is not None else None
        if spec is None or revealed is None:
            needed = {phase.spec_cid, phase.holdout.labels_cid}
            if needed & fetch.unreachable:
                report.could_not_check(
                    "scores", f"phase {phase.index}",
                    f"{len(scored)} scores not recomputed: their spec or labels could not be "
                    "fetched",
                )  # fmt: skip
            continue
        spec = corrected_spec(spec, phase.corrected_scorer_cid)
        program = fetch.scorer_program(spec)
        if spec.scorer.kind is ScorerKind.PROGRAM and program is None:
            continue
        for submission in scored:
            _check_one(submission, spec, revealed[0], program, fetch)
            done += 1
            counted(done, total)


def revealed_inputs(
    phase: Phase, spec: ChallengeSpec, fetch: Fetcher
) -> tuple[Holdout, bytes | None] | None:
    """The revealed holdout and, for a challenge that hid them, the test features, each
    checked against its commitment; None (recorded) when they cannot be had or are wrong."""
    assert phase.holdout is not None
    subject = f"holdout of phase {phase.index}"
    cid = phase.holdout.labels_cid
    try:
        files = read_revealed_holdout(fetch.store, cid, spec.max_uncompressed_bytes)
    except ContentTooLarge as exc:
        fetch.report.fail("content", subject, f"{cid}: {exc}")
        return None
    except IpfsError as exc:
        fetch.report.could_not_check("content", subject, f"could not be fetched: {exc}")
        fetch.unreachable.add(cid)
        return None
    fetch.report.passed("content")
    if keccak(files.labels) != phase.holdout.labels_digest:
        fetch.report.fail("content", subject, "labels do not hash to the revealed digest")
        return None
    try:
        hidden = None
        if spec.data.features_hidden:
            if files.test_features is None:
                raise HiddenFeaturesMismatch("the reveal holds no test features (a labels file)")
            hidden = check_hidden_features(spec, files.test_features, f"the reveal {cid}")
        holdout = load_holdout(spec, files.labels, phase.holdout.split_salt,
                               phase.holdout_commitment)  # fmt: skip
    except CoopError as exc:
        fetch.report.fail("scores", subject, str(exc))
        return None
    return holdout, hidden


def _check_one(submission: Submission, spec: ChallengeSpec, holdout: Holdout,
               program: bytes | None, fetch: Fetcher) -> None:  # fmt: skip
    report = fetch.report
    score, reveal = submission.score, submission.reveal
    assert score is not None and reveal is not None
    subject = f"submission #{submission.submission_id}"
    if score.status in (Status.LICENCE_NOT_ALLOWED, Status.LICENCE_INCOMPATIBLE):
        return  # never scored: oracle/audit/licences.py checks the status
    try:
        if spec.submission.takes_code and is_code(spec, fetch.store, reveal.artifact_cid):
            return  # a folder: code, rerun by oracle/audit/rerun.py
        cid = predictions_file(fetch.store, reveal.artifact_cid)
        artifact = fetch.store.cat(cid, max_bytes=spec.max_artifact_bytes)
    except ArtifactRejected as exc:
        if int(exc.status) == score.status:
            report.passed("scores")
        else:
            why = f"status on chain {Status(score.status).name}, recomputed {exc}"
            report.fail("scores", subject, why)
        return
    except IpfsError as exc:
        if isinstance(exc, NotAFile) and spec.submission.takes_code:
            return  # a folder: code, rerun by oracle/audit/rerun.py
        if score.status in (Status.UNREACHABLE, Status.DIGEST_MISMATCH, Status.TOO_LARGE):
            report.passed("scores")
        elif isinstance(exc, ContentTooLarge):
            report.fail("scores", subject, f"status on chain {Status(score.status).name}: {exc}")
        else:
            report.could_not_check(
                "scores", subject, f"artifact {reveal.artifact_cid} could not be fetched: {exc}"
            )
        return
    result = score_submission(spec, holdout, artifact, scorer_program=program)
    if int(result.status) != score.status:
        report.fail(
            "scores", subject,
            f"status on chain {Status(score.status).name}, recomputed {result.status.name} "
            f"({result.reason})",
        )  # fmt: skip
        return
    if result.valid and result.public_wad != score.public_score:
        report.fail(
            "scores",
            subject,
            f"public score on chain {score.public_score}, recomputed {result.public_wad}",
        )
        return
    opened = submission.private
    if result.valid and opened is not None:
        if opened.score != result.private_wad:
            report.fail(
                "scores",
                subject,
                f"private score on chain {opened.score}, recomputed {result.private_wad}",
            )
            return
        expected = private_commitment(submission.submission_id, Wad(opened.score), opened.salt)
        if expected != score.private_commitment:
            report.fail("scores", subject, "opened private score does not match its commitment")
            return
    report.passed("scores")


def check_rewards(
    ledger: Ledger,
    challenge: Challenge,
    fetch: Fetcher,
    tie_groups: Mapping[int, tuple[tuple[SubmissionId, ...], ...]],
    near_copies: Mapping[int, tuple[NearCopy, ...]],
) -> dict[int, RewardReport]:
    """Recomputes every live root; `tie_groups` (per phase, from check_ties) are shared
    prizes' groups, used when the phase's spec shares prizes within ties; `near_copies`
    (per phase, from check_near_copies) are rewarded as forks. Returns the reports it
    recomputed, by root seq (what the rank-changes check reads the compensations from)."""
    report = fetch.report
    recomputed: dict[int, RewardReport] = {}
    for root in challenge.roots:
        subject = f"rewards root of phase {root.phase} (seq {root.seq})"
        if root.state is RootStanding.VOIDED:
            by = "a correction of its phase" if root.voided_by_correction else "the arbiter"
            report.notes.append(f"{subject} was voided by {by}; not recomputed")
            continue
        spec = fetch.spec(challenge.phases[root.phase])
        if spec is None:
            if challenge.phases[root.phase].spec_cid in fetch.unreachable:
                report.could_not_check("rewards", subject, "not recomputed: the phase's spec "
                                       "could not be fetched")  # fmt: skip
            continue
        if spec.ties.share_prizes and root.phase not in tie_groups:
            why = "not recomputed: the spec shares prizes within ties; ties not derived"
            report.could_not_check("rewards", subject, why)
            continue
        if root.phase not in near_copies:
            why = "not recomputed: the phase's near-copies could not be derived"
            report.could_not_check("rewards", subject, why)
            continue
        try:
            closed = prize_ineligible(ledger, fetch.store, challenge.challenge_id, root.phase, spec)
        except IpfsError as exc:
            report.could_not_check("rewards", subject, "not recomputed: an artifact's licence "
                                   f"could not be read: {exc}")  # fmt: skip
            continue
        try:
            ours = phase_rewards(
                ledger,
                challenge.challenge_id,
                root.phase,
                spec,
                challenge.unallocated_before(root.position),
                tie_groups[root.phase] if spec.ties.share_prizes else (),
                prize_ineligible=closed,
                near_copies=near_copies[root.phase],
            )
        except CoopError as exc:
            report.fail("rewards", subject, f"cannot recompute: {exc}")
            continue
        recomputed[root.seq] = ours
        our_root = bytes.fromhex(build_tree(ours.leaves).root[2:]) if ours.leaves else None
        if ours.total != root.total or our_root != root.merkle_root:
            report.fail(
                "rewards", subject,
                f"posted root 0x{root.merkle_root.hex()} paying {root.total}; the ledger gives "
                f"{'0x' + our_root.hex() if our_root else 'no leaves'} paying {ours.total}",
            )  # fmt: skip
            continue
        published = fetch.get(root.report_cid, REPORT_MAX_BYTES, f"report of {subject}")
        if published is not None and published.decode(errors="replace") != ours.to_json():
            report.fail("rewards", subject, "the report on IPFS differs from the recomputed one")
            continue
        report.passed("rewards")
    return recomputed
