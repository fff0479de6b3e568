"""`coop run CHALLENGE FOLDER`: run a code submission here exactly as the oracles will."""

import json
from dataclasses import replace
from pathlib import Path

import click

from oracle.cli.context import ChainContext, chain_options
from oracle.coderun import fetch_inputs, sandbox_files
from oracle.coderun.inputs import INPUT_MAX_BYTES
from oracle.coderun.local import LocalRun, run_locally
from oracle.errors import ConfigError
from oracle.ipfs.store import ContentStore
from oracle.ledger.challenge_status import challenge_status
from oracle.runtime import ensure_runtime
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec

LOG_LINES = 15


@click.command("run")
@click.argument("challenge", type=int)
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--phase", type=int, help="The phase whose rules to use (default: the one open "
              "for commits, else the latest).")  # fmt: skip
@chain_options
def run(challenge: int, folder: Path, phase: int | None, **options: object) -> None:
    """Run FOLDER/main.py locally in the oracles' sandbox, runtime and limits.

    \b
    The program sees the challenge's files read-only in /in (train.csv,
    test_features.csv and the public files, by the names in the spec), FOLDER as its
    read-only working directory, COOP_SEED in its environment and an empty /out, where it
    must write predictions.csv (or .parquet). Two runs, no transaction, no quota spent:
      1. on the challenge's own files: the status and reason an oracle would report, and
         the predictions checked against the test ids;
      2. on every fifth row of train held out as stand-in test features: the score of the
         challenge's metric on them (the real test labels are hidden).
    A challenge that hides its test features gets only the second run, which then
    gives the status too.
    The runtime (the spec's locked packages) is built once, into COOP_RUNTIME_DIR
    (default DATA_DIR/runtimes).

    \b
    Examples:
      $ coop run 2 examples/code/diabetes-ridge
      $ coop run 2 ./my-model --phase 1 --json
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    store = ctx.content_store
    spec, phase = _phase_spec(ctx, store, challenge, phase)
    code = spec.submission.code
    if code is None:
        raise ConfigError(
            f"phase {phase} of challenge {challenge} takes predictions files, not code: "
            f"score a file with `coop score`, submit it with `coop submit {challenge} FILE`"
        )
    public = replace(spec, data=replace(spec.data, hidden_test_features=None))
    fetched = fetch_inputs(public, lambda cid: store.cat(cid, max_bytes=INPUT_MAX_BYTES))
    inputs = sandbox_files(fetched)
    runtime = ensure_runtime(code.runtime, ctx.settings.runtime_path,
                             lambda line: click.echo(line, err=True))  # fmt: skip
    if not ctx.as_json:
        how = ("once: the test features are hidden, a sample of train stands in for them"
               if spec.data.features_hidden
               else "twice: the challenge's files, then a sample of train")  # fmt: skip
        click.echo(f"running {folder}/main.py for challenge {challenge} phase {phase} ({how})…",
                   err=True)  # fmt: skip
    result = run_locally(folder, spec, inputs, runtime)
    click.echo(json.dumps(_as_json(result, spec)) if ctx.as_json else _as_text(result, spec))
    if not result.status.is_valid:
        raise SystemExit(1)


def _phase_spec(
    ctx: ChainContext, store: ContentStore, challenge: int, phase: int | None
) -> tuple[ChallengeSpec, int]:
    status = challenge_status(ctx.platform, store, challenge)
    if phase is None:
        open_now = [p.phase.index for p in status.phases if p.stage == "commit"]
        phase = open_now[-1] if open_now else len(status.phases) - 1
    if not 0 <= phase < len(status.phases):
        raise ConfigError(f"challenge {challenge} has phases 0 to {len(status.phases) - 1}")
    return load_spec(store.cat(status.phases[phase].spec_cid, max_bytes=SPEC_MAX_BYTES)), phase


def _as_json(result: LocalRun, spec: ChallengeSpec) -> dict[str, object]:
    run = result.run.run
    sample = result.sample
    return {
        "status": int(result.status),
        "status_name": result.status.name,
        "reason": result.reason,
        "exception": result.run.exception,
        "runtime": spec.submission.code.runtime.digest if spec.submission.code else None,
        "usage": None if run is None else vars(run.usage),
        "exit_code": None if run is None else run.exit_code,
        "log": None if run is None else run.log,
        "sample": None if sample is None else vars(sample),
        "sample_status": None if result.sample_run is None else result.sample_run.status.name,
    }


def _as_text(result: LocalRun, spec: ChallengeSpec) -> str:
    code = spec.submission.code
    assert code is not None
    limits, run = code.limits, result.run.run
    lines = [f"status    {result.status.name} ({int(result.status)}): {result.reason or 'ok'}"]
    if run is not None:
        u = run.usage
        lines.append(
            f"resources CPU {u.cpu_seconds:g} s of {limits.cpu_seconds:g}, peak memory "
            f"{u.peak_memory_mb:g} MB of {limits.memory_mb}, wall {u.wall_seconds:g} s of "
            f"{limits.wall_seconds:g}; exit status {run.exit_code}"
        )
    if result.sample is not None:
        s = result.sample
        value = "not computed (a custom scorer program)" if s.value is None else f"{s.value:.6g}"
        lines.append(f"sample    {s.metric} {value} on {s.rows} rows held out of train "
                     "(the oracles score the hidden test labels instead)")  # fmt: skip
    elif result.sample_run is not None:
        lines.append(f"sample    not scored: {result.sample_run.status.name}: "
                     f"{result.sample_run.reason}")  # fmt: skip
    lines.append(f"runtime   {code.runtime.digest}")
    if run is not None and run.log.strip():
        tail = run.log.rstrip().splitlines()[-LOG_LINES:]
        lines += [f"log       (last {len(tail)} lines)", *(f"  {line}" for line in tail)]
    return "\n".join(lines)
