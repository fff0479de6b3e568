"""`coop export`: a challenge's public history as Parquet tables, or its grades as CSV."""

from pathlib import Path

import click

from oracle.cli.context import ChainContext, chain_options, progress
from oracle.export.files import write_folder
from oracle.export.grades import grades_csv
from oracle.export.read import read_export


@click.command()
@click.argument("targets", nargs=-1, metavar="[CHALLENGE] [DIR]")
@click.option("--all", "every", is_flag=True, help="Export every challenge (then only DIR).")
@click.option("--grades", is_flag=True,
              help="Write the teacher's CSV (one row per participant) instead of the tables: "
              "to DIR/grades.csv, or to stdout without DIR.")  # fmt: skip
@chain_options
def export(targets: tuple[str, ...], every: bool, grades: bool, config: Path | None,
           rpc_url: str | None, deployment: Path | None, account: str | None,
           as_json: bool) -> None:  # fmt: skip
    """Write a challenge's public history as Parquet tables (docs/export.md), or its grades as CSV.

    `coop export CHALLENGE DIR` writes CHALLENGE's whole history into DIR.
    The rows come from the chain's events, replayed as `coop audit` replays them:
    challenges, phases, submissions (status, public and private scores, receipt digest),
    forks with weights, reviews, score batches, rewards roots, each root's Merkle leaves
    (read from its report on IPFS, kept only when they rebuild the posted root), claims
    and escrow changes. The schema and DuckDB examples: docs/export.md.

    \b
    Examples:
      coop export 1 ./challenge-1            # ./challenge-1/submissions.parquet, …
      coop export --all ./everything
      coop export 1 --grades > grades.csv    # participant, submissions, valid, …
      duckdb -c "SELECT status, count(*) FROM './challenge-1/submissions.parquet' GROUP BY 1"
    """
    challenge_ids, folder = _targets(targets, every, grades)
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    say = progress(ctx)
    say("replaying the chain's events and fetching the rewards reports")
    tables = read_export(ctx.platform, ctx.content_store, challenge_ids)
    what = "every challenge" if challenge_ids is None else f"challenge {challenge_ids[0]}"
    if grades:
        text = grades_csv(tables)
        if folder is None:
            click.echo(text, nl=False)
            return
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "grades.csv").write_text(text)
        ctx.emit(f"Wrote the grades of {what} to {folder / 'grades.csv'}",
                 {"grades": str(folder / "grades.csv")})  # fmt: skip
        return
    assert folder is not None
    written = write_folder(tables, folder)
    counts = {name: table.num_rows for name, table in tables.items()}
    lines = [f"Exported {what} to {folder}:"]
    lines += [f"  {path.name:<22} {counts[path.stem]:>6} rows" for path in written]
    ctx.emit("\n".join(lines), {"folder": str(folder), "rows": counts})


def _targets(targets: tuple[str, ...], every: bool,
             grades: bool) -> tuple[list[int] | None, Path | None]:  # fmt: skip
    usage = "coop export CHALLENGE DIR, coop export --all DIR, or coop export CHALLENGE --grades"
    if every:
        if len(targets) != 1:
            raise click.UsageError(f"--all takes only DIR ({usage})")
        return None, Path(targets[0])
    if not targets or not targets[0].isdigit():
        raise click.UsageError(f"name a challenge id ({usage})")
    if len(targets) > 2 or (len(targets) == 1 and not grades):
        raise click.UsageError(f"expected CHALLENGE then DIR ({usage})")
    return [int(targets[0])], Path(targets[1]) if len(targets) == 2 else None
