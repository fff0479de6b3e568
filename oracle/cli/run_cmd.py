"""`coop run CHALLENGE FOLDER`: run a code submission here exactly as the oracles will."""

import json
from pathlib import Path

import click

from oracle.cli.context import ChainContext, chain_options
from oracle.coderun.local import LocalRun
from oracle.participant.local_run import run_folder
from oracle.spec import ChallengeSpec

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
    say = (lambda line: None) if ctx.as_json else (lambda line: click.echo(line, err=True))
    result, spec, _ = run_folder(ctx.platform, ctx.content_store, ctx.settings.runtime_path,
                                 challenge, folder, phase, say)  # fmt: skip
    click.echo(json.dumps(_as_json(result, spec)) if ctx.as_json else _as_text(result, spec))
    if not result.status.is_valid:
        raise SystemExit(1)


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
