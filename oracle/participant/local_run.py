"""Running a code submission locally, as the oracles would: the one implementation behind
`coop run` and the notebook SDK's `run`."""

from collections.abc import Callable
from pathlib import Path

from oracle.chain.challenge_status import challenge_status
from oracle.chain.platform import Platform
from oracle.coderun import fetch_inputs, sandbox_files
from oracle.coderun.inputs import INPUT_MAX_BYTES
from oracle.coderun.local import LocalRun, run_locally
from oracle.errors import ConfigError
from oracle.ipfs.store import ContentStore
from oracle.runtime import ensure_runtime
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec


def phase_spec(platform: Platform, store: ContentStore, challenge: int,
               phase: int | None) -> tuple[ChallengeSpec, int]:  # fmt: skip
    """The spec of `phase`, or of the phase open for commits (else the latest)."""
    status = challenge_status(platform, store, challenge)
    if phase is None:
        open_now = [p.phase.index for p in status.phases if p.stage == "commit"]
        phase = open_now[-1] if open_now else len(status.phases) - 1
    if not 0 <= phase < len(status.phases):
        raise ConfigError(f"challenge {challenge} has phases 0 to {len(status.phases) - 1}")
    return load_spec(store.cat(status.phases[phase].spec_cid, max_bytes=SPEC_MAX_BYTES)), phase


def run_folder(platform: Platform, store: ContentStore, runtime_dir: Path, challenge: int,
               folder: Path, phase: int | None,
               say: Callable[[str], None]) -> tuple[LocalRun, ChallengeSpec, int]:  # fmt: skip
    """FOLDER/main.py run twice in the sandbox: on the challenge's files, then on a sample of
    train (docs/code-submissions.md)."""
    spec, phase = phase_spec(platform, store, challenge, phase)
    code = spec.submission.code
    if code is None:
        raise ConfigError(
            f"phase {phase} of challenge {challenge} takes predictions files, not code: "
            f"score a file with `coop score`, submit it with `coop submit {challenge} FILE`"
        )
    fetched = fetch_inputs(spec, lambda cid: store.cat(cid, max_bytes=INPUT_MAX_BYTES))
    runtime = ensure_runtime(code.runtime, runtime_dir, say)
    say(f"running {folder}/main.py for challenge {challenge} phase {phase} "
        "(twice: the challenge's files, then a sample of train)…")  # fmt: skip
    return run_locally(folder, spec, sandbox_files(fetched), runtime), spec, phase
