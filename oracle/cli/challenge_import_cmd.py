"""`coop challenge import BUNDLE.zip`: a Codabench/CodaLab competition bundle, published as a
challenge (docs/codabench.md)."""

from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from oracle.chain.publish import publish_challenge
from oracle.cli.challenge_publish import (
    publish_options,
    report_published,
    terms_options,
    window_options,
)
from oracle.cli.context import ChainContext, chain_options, progress
from oracle.codabench.bundle import read_bundle
from oracle.codabench.convert import Terms, convert


@click.command("import")
@click.argument("bundle", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the challenge's files [default: BUNDLE's name without "
              ".zip, next to it].")  # fmt: skip
@click.option("--baseline", type=Decimal, required=True,
              help="The score the improvement ladder starts from (a bundle has none).")  # fmt: skip
@click.option("--target", type=Decimal, required=True,
              help="The score that closes the whole gap (a bundle has none).")  # fmt: skip
@click.option("--eta", type=Decimal, default=Decimal("0.0001"), show_default=True,
              help="The smallest gain that counts on the public board.")  # fmt: skip
@click.option("--result-file", default=None,
              help="The file name the scoring program reads in input/res [default: the "
              "reference file's name].")  # fmt: skip
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write the challenge's files and say what was not mapped; publish nothing.",
)
@window_options
@terms_options
@chain_options
def import_cmd(bundle: Path, out: Path | None, baseline: Decimal, target: Decimal, eta: Decimal,
               result_file: str | None, dry_run: bool, start: int | None, commit_for: int,
               reveal_for: int, bounty: Decimal, oracles: tuple[str, ...], quorum: int | None,
               arbiter: str | None, notice_period: int, dispute_window: int,
               dispute_bond: Decimal, **options: Any) -> None:  # fmt: skip
    """Publish a Codabench/CodaLab competition BUNDLE (a zip) as a new challenge.

    Reads competition.yaml (Codabench v2 or CodaLab v1.5), the first phase's first task:
    its reference data becomes the secret labels (one file: a CSV with an optional `id`
    column and one label column, or one number per line), its scoring program becomes
    the challenge's scorer program, run in the oracles' sandbox on each part of the rows
    with Codabench's input/ref, input/res and output/scores.txt (or scores.json)
    conventions, and the first leaderboard column is the score (`sorting: asc` means lower
    is better). Then publishes it as `coop challenge create` does (the sample submission
    is scored by the bundle's program before anything is sent). Everything the bundle
    says that has no place here is listed, not dropped.

    \b
    Examples:
      $ coop challenge import bundle.zip --baseline 1.0 --target 0 --account owner
      $ coop challenge import bundle.zip --baseline 0.5 --target 1 --dry-run
    """
    ctx = ChainContext.from_options(**options)
    say = progress(ctx)
    say(f"reading the bundle {bundle}")
    read = read_bundle(bundle)
    folder = out if out is not None else bundle.with_suffix("")
    converted = convert(read, Terms(baseline, target, eta, result_file), folder)
    for line in converted.adapted:
        click.echo(f"adapted: {line}", err=True)
    for line in converted.not_mapped:
        click.echo(f"not mapped: {line}", err=True)
    listed = {"folder": str(folder), "not_mapped": list(converted.not_mapped),
              "adapted": list(converted.adapted)}  # fmt: skip
    if dry_run:
        ctx.emit(f"Wrote the challenge's files to {folder} (nothing published: --dry-run). "
                 f"Publish them with `coop challenge create {converted.spec_path}`.",
                 listed)  # fmt: skip
        return
    publish = publish_options(ctx, start, commit_for, reveal_for, bounty, oracles, quorum,
                              arbiter, notice_period, dispute_window, dispute_bond)  # fmt: skip
    published = publish_challenge(ctx.platform, ctx.sender, ctx.content_store,
                                  ctx.settings.data_dir, converted.spec_path,
                                  converted.labels_path, publish, folder, say)  # fmt: skip
    report_published(ctx, published, f"Imported {bundle.name} as challenge "
                     f"{published.challenge_id}", listed)  # fmt: skip
