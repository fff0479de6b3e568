"""Score a code submission as an oracle does: fetch its folder, run it, score its output.

`score_code` returns the ScoreResult every oracle signs and the receipt of the run. The
receipt holds only what every honest oracle reaches alike for a deterministic program (the
code, runtime and input identities, the limits, how the run ended and the CID of the
predictions it wrote), so it can go into the report that `reportDigest` names; what
differs from machine to machine (resources used, the log) comes back beside it, for the
oracle's own record. Network faults raise IpfsError (try again later); a runtime that
cannot be built raises ConfigError (the operator's problem); everything the submission
does becomes a status.
"""

import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from oracle.coderun.inputs import INPUT_MAX_BYTES, fetch_inputs, sandbox_files
from oracle.coderun.run import CodeRun, run_code
from oracle.errors import ContentTooLarge, InvalidCid, MalformedDag, NotAFile
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import export_folder
from oracle.ipfs.importer import import_bytes
from oracle.ipfs.store import ContentStore
from oracle.runtime import ensure_runtime
from oracle.sandbox import Usage
from oracle.scoring.engine import ScoreResult, score_submission
from oracle.scoring.labels import Holdout
from oracle.scoring.receipt import CodeReceipt
from oracle.spec import ChallengeSpec
from oracle.status import Status


def run_outcome(status: Status, predictions_cid: str | None) -> str:
    """What oracles compare between their runs: the predictions' CID, or the status of a
    run that wrote none."""
    return predictions_cid or f"no predictions ({status.name})"


def not_reproducible_reason(outcomes: Iterable[str]) -> str:
    return (
        f"the oracles' runs of main.py ended differently ({', '.join(sorted(set(outcomes)))}); "
        "the same inputs and COOP_SEED must give the same predictions: do not read the "
        "clock or os.urandom, and seed every random generator from COOP_SEED"
    )


@dataclass(frozen=True)
class CodeScore:
    result: ScoreResult
    receipt: CodeReceipt
    usage: Usage | None  # this oracle's run: CPU, peak memory, wall (differs by machine)
    log: str  # this oracle's log (bounded, escaped)
    predictions: bytes | None = None  # what the run wrote (its CID is in the receipt)

    @property
    def outcome(self) -> str:
        return run_outcome(self.result.status, self.receipt.predictions_cid)


def score_code(
    spec: ChallengeSpec,
    holdout: Holdout,
    store: ContentStore,
    cid: str,
    runtime_dir: Path,
    seed: int,
    scorer_program: bytes | None = None,
    hidden_features: bytes | None = None,
) -> CodeScore:
    """`hidden_features`: the phase's hidden test features (PhaseMaterial.test_features)."""
    code = spec.submission.code
    if code is None:
        raise ValueError("score_code needs a phase that takes code")
    runtime = ensure_runtime(code.runtime, runtime_dir)
    inputs = fetch_inputs(
        spec, lambda input_cid: store.cat(input_cid, max_bytes=INPUT_MAX_BYTES), hidden_features
    )
    with tempfile.TemporaryDirectory(prefix="coop-code-") as tmp:
        folder = Path(tmp) / "code"
        refused = _export(store, cid, folder, spec.max_artifact_bytes)
        files, limit = sandbox_files(inputs), spec.max_artifact_bytes
        run = refused or run_code(folder, code.limits, files, runtime, seed, limit)
    result = ScoreResult(run.status, run.reason)
    if run.status is Status.VALID and run.predictions is not None:
        result = score_submission(spec, holdout, run.predictions, scorer_program=scorer_program)
    receipt = CodeReceipt(
        code_cid=cid,
        runtime_digest=code.runtime.digest,
        inputs={f.name: f.cid for f in inputs},
        limits={k: float(v) for k, v in asdict(code.limits).items()},
        seed=seed,
        exit_code=None if run.run is None or run.status is Status.TIMEOUT else run.run.exit_code,
        exception=run.exception,
        predictions_cid=None if run.predictions is None else str(import_bytes(run.predictions).cid),
    )
    return CodeScore(result, receipt, None if run.run is None else run.run.usage,
                     "" if run.run is None else run.run.log, run.predictions)  # fmt: skip


def _export(store: ContentStore, cid: str, folder: Path, max_bytes: int) -> CodeRun | None:
    """None when the folder was written; else the refusal as a CodeRun that never ran."""
    try:
        export_folder(store.get_block, parse_cid(cid), folder, max_bytes)
    except ContentTooLarge as exc:
        return CodeRun(Status.TOO_LARGE, str(exc), None, None, None, None)
    except (NotAFile, MalformedDag, InvalidCid) as exc:
        why = f"{exc}; a code submission is the CID of a folder with main.py"
        return CodeRun(Status.WRONG_FORMAT, why, None, None, None, None)
    return None
