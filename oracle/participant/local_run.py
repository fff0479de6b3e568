"""Running a code submission locally, as the oracles would: the one implementation behind
`coop run` and the notebook SDK's `run`."""

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from oracle.chain.platform import Platform
from oracle.coderun import fetch_inputs, sandbox_files
from oracle.coderun.inputs import INPUT_MAX_BYTES
from oracle.coderun.local import LocalRun, run_locally
from oracle.errors import ConfigError
from oracle.ipfs.store import ContentStore
from oracle.ledger.challenge_status import Stage, challenge_status
from oracle.runtime import ensure_runtime
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec


def phase_spec(platform: Platform, store: ContentStore, challenge: int,
               phase: int | None) -> tuple[ChallengeSpec, int]:  # fmt: skip
    """The spec of `phase`, or of the phase open for commits (else the latest)."""
    status = challenge_status(platform, store, challenge)
    if phase is None:
        open_now = [p.phase.index for p in status.phases if p.stage is Stage.COMMIT]
        phase = open_now[-1] if open_now else len(status.phases) - 1
    if not 0 <= phase < len(status.phases):
        raise ConfigError(f"challenge {challenge} has phases 0 to {len(status.phases) - 1}")
    return load_spec(store.cat(status.phases[phase].spec_cid, max_bytes=SPEC_MAX_BYTES)), phase


def run_folder(platform: Platform, store: ContentStore, runtime_dir: Path, challenge: int,
               folder: Path, phase: int | None,
               say: Callable[[str], None]) -> tuple[LocalRun, ChallengeSpec, int]:  # fmt: skip
    """FOLDER/main.py run in the sandbox on the challenge's public files, then on a sample
    of train (docs/code-submissions.md); hidden test features are never fetched here."""
    spec, phase = phase_spec(platform, store, challenge, phase)
    code = spec.submission.code
    if code is None:
        raise ConfigError(
            f"phase {phase} of challenge {challenge} takes predictions files, not code: "
            f"score a file with `coop score`, submit it with `coop submit {challenge} FILE`"
        )
    public = replace(spec, data=replace(spec.data, hidden_test_features=None))
    fetched = fetch_inputs(public, lambda cid: store.cat(cid, max_bytes=INPUT_MAX_BYTES))
    runtime = ensure_runtime(code.runtime, runtime_dir, say)
    how = ("once: the test features are hidden, a sample of train stands in for them"
           if spec.data.features_hidden
           else "twice: the challenge's files, then a sample of train")  # fmt: skip
    say(f"running {folder}/main.py for challenge {challenge} phase {phase} ({how})…")
    return run_locally(folder, spec, sandbox_files(fetched), runtime), spec, phase
