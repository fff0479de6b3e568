"""Rerunning code submissions from their receipts once the holdout is revealed.

For each code submission (a revealed folder) of a phase whose holdout is public, the audit
rebuilds what the oracles ran from public data alone: the folder by its CID, the inputs by
their CIDs (hidden test features from the holdout reveal, checked against the spec's
keccak256), the runtime by its digest, the spec's limits and the seed derived from the
chain id, challenge, phase and submission. It checks the receipt the oracles published
against those, runs the program in the sandbox, and compares the predictions' CID with
the receipt's; the predictions are then scored against the revealed labels and compared
with the status and public score on chain. `--sample N` reruns N of them, drawn at random.
"""

import json
import random
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from oracle.audit.recompute import Fetcher, revealed_inputs
from oracle.coderun.inputs import INPUT_MAX_BYTES, InputFile, fetch_inputs, sandbox_files
from oracle.coderun.run import code_seed, run_code
from oracle.errors import ConfigError, IpfsError
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import export_folder, is_directory
from oracle.ipfs.importer import import_bytes
from oracle.ledger.model import Challenge, Ledger, Submission
from oracle.runtime import Runtime, ensure_runtime
from oracle.scoring.artifacts import is_code
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import Holdout
from oracle.scoring.receipt import CodeReceipt
from oracle.scoring.score_report import score_report_cid
from oracle.spec import ChallengeSpec
from oracle.status import Status

REPORT_MAX_BYTES = 1 << 20
Progress = Callable[[str], None]


@dataclass(frozen=True)
class RerunTarget:
    submission: Submission
    spec: ChallengeSpec
    holdout: Holdout
    hidden_features: bytes | None


def expected_receipt(
    chain_id: int, submission: Submission, spec: ChallengeSpec, input_ids: dict[str, str]
) -> CodeReceipt:
    """What a receipt must say of the run, whatever the oracles saw: everything but how the
    run ended and what it wrote, from the chain and the spec alone."""
    code = spec.submission.code
    assert code is not None and submission.reveal is not None
    seed = code_seed(chain_id, submission.challenge_id, submission.phase, submission.submission_id)
    return CodeReceipt(
        code_cid=submission.reveal.artifact_cid,
        runtime_digest=code.runtime.digest,
        inputs=input_ids,
        limits={k: float(v) for k, v in asdict(code.limits).items()},
        seed=seed,
        exit_code=None,
        exception=None,
        predictions_cid=None,
    )


def receipt_in_report(report: bytes) -> CodeReceipt | None:
    """The `receipt` object of a per-submission report (None when it has none)."""
    try:
        data = json.loads(report)
        raw = data.get("receipt") if isinstance(data, dict) else None
        if not isinstance(raw, dict):
            return None
        return CodeReceipt.from_json(raw)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def differences(receipt: CodeReceipt, expected: CodeReceipt) -> list[str]:
    """What the receipt says differently from the chain and spec, in words."""
    ours, theirs = asdict(expected), asdict(receipt)
    checked = ("code_cid", "runtime_digest", "inputs", "limits", "seed")
    return [f"the receipt's {k} is {theirs[k]!r}, the ledger gives {ours[k]!r}"
            for k in checked if theirs[k] != ours[k]]  # fmt: skip


@dataclass(frozen=True)
class Rerun:
    status: Status
    reason: str
    predictions: bytes | None

    @property
    def predictions_cid(self) -> str | None:
        return None if self.predictions is None else str(import_bytes(self.predictions).cid)


def rerun(
    fetch: Fetcher, spec: ChallengeSpec, receipt: CodeReceipt, inputs: list[InputFile],
    runtime: Runtime,
) -> Rerun:  # fmt: skip
    """One run of the receipt's code on `inputs`, with the spec's limits and the receipt's seed."""
    code = spec.submission.code
    assert code is not None
    with tempfile.TemporaryDirectory(prefix="coop-audit-") as tmp:
        folder = Path(tmp) / "code"
        export_folder(fetch.store.get_block, parse_cid(receipt.code_cid), folder,
                      spec.max_artifact_bytes)  # fmt: skip
        run = run_code(folder, code.limits, sandbox_files(inputs), runtime, receipt.seed,
                       spec.max_artifact_bytes)  # fmt: skip
    return Rerun(run.status, run.reason, run.predictions)


def code_targets(ledger: Ledger, challenge: Challenge, fetch: Fetcher) -> list[RerunTarget]:
    """Every scored code submission of every phase whose holdout is revealed."""
    targets = []
    for phase in challenge.phases:
        if phase.holdout is None:
            continue
        spec = fetch.spec(phase)
        if spec is None or not spec.submission.takes_code:
            continue
        revealed = revealed_inputs(phase, spec, fetch)
        if revealed is None:
            continue
        holdout, hidden = revealed
        for s in ledger.submissions_of(challenge.challenge_id, phase.index):
            if s.reveal is None or s.score is None:
                continue
            try:
                folder = is_code(spec, fetch.store, s.reveal.artifact_cid) and is_directory(
                    fetch.store.get_block, parse_cid(s.reveal.artifact_cid)
                )
            except (IpfsError, ValueError):
                folder = False  # a file (or unreachable): the score check handles it
            if folder:
                targets.append(RerunTarget(s, spec, holdout, hidden))
    return targets


def check_code_reruns(
    ledger: Ledger, challenge: Challenge, fetch: Fetcher, chain_id: int, runtime_dir: Path,
    sample: int | None, progress: Progress,
) -> None:  # fmt: skip
    """Reruns every code submission (or `sample` of them) and records what differs."""
    report = fetch.report
    targets = code_targets(ledger, challenge, fetch)
    if sample is not None and sample < len(targets):
        chosen = random.SystemRandom().sample(targets, sample)
        targets = sorted(chosen, key=lambda t: t.submission.submission_id)
        report.notes.append(
            f"reran a random sample of {sample} code submission(s): "
            + ", ".join(f"#{t.submission.submission_id}" for t in targets)
        )
    for number, target in enumerate(targets, 1):
        subject = f"submission #{target.submission.submission_id}"
        progress(f"rerunning {subject} ({number} of {len(targets)})")
        try:
            _check_one(target, fetch, chain_id, runtime_dir, progress)
        except IpfsError as exc:
            report.could_not_check("reruns", subject, f"its folder or inputs: {exc}")
        except ConfigError as exc:
            report.could_not_check("reruns", subject, f"the runtime could not be built: {exc}")


def _check_one(target: RerunTarget, fetch: Fetcher, chain_id: int, runtime_dir: Path,
               progress: Progress) -> None:  # fmt: skip
    report, spec, submission = fetch.report, target.spec, target.submission
    score = submission.score
    assert score is not None
    subject = f"submission #{submission.submission_id}"
    code = spec.submission.code
    assert code is not None
    fetched = fetch_inputs(spec, lambda cid: fetch.store.cat(cid, max_bytes=INPUT_MAX_BYTES),
                           target.hidden_features)  # fmt: skip
    expected = expected_receipt(chain_id, submission, spec, {f.name: f.cid for f in fetched})
    published = fetch.get(
        score_report_cid(score.report_digest), REPORT_MAX_BYTES, f"report of {subject}"
    )
    receipt = receipt_in_report(published) if published is not None else None
    if receipt is None:
        report.notes.append(f"{subject}: no receipt in its report; rerun against the score only")
        receipt = expected
    wrong = differences(receipt, expected)
    if wrong:
        report.fail("reruns", subject, "; ".join(wrong))
        return
    runtime = ensure_runtime(code.runtime, runtime_dir, progress)
    ran = rerun(fetch, spec, receipt, fetched, runtime)
    if receipt.predictions_cid is not None and ran.predictions_cid != receipt.predictions_cid:
        report.fail(
            "reruns", subject,
            f"the rerun wrote predictions {ran.predictions_cid or 'none'} ({ran.status.name}"
            f"{': ' + ran.reason if ran.reason else ''}), the receipt says "
            f"{receipt.predictions_cid}: same code, runtime, inputs, limits and seed",
        )  # fmt: skip
        return
    status, public = ran.status, None
    if ran.status is Status.VALID and ran.predictions is not None:
        result = score_submission(spec, target.holdout, ran.predictions,
                                  scorer_program=fetch.scorer_program(spec))  # fmt: skip
        status, public = result.status, result.public_wad
    if int(status) != score.status or (public is not None and public != score.public_score):
        report.fail(
            "reruns", subject,
            f"on chain {Status(score.status).name} {score.public_score}, the rerun gives "
            f"{status.name} {public}",
        )  # fmt: skip
        return
    report.passed("reruns")
