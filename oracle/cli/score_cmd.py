"""`coop score SPEC LABELS PREDICTIONS`: score a file locally exactly as the oracles would."""

import json
from pathlib import Path

import click

from oracle.scoring.engine import read_labels, score_submission
from oracle.scoring.files import ArtifactRejected
from oracle.spec import load_spec


class InvalidPredictions(click.ClickException):
    exit_code = 2


@click.command("score")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--salt", default="0x" + "00" * 32, show_default="zero salt",
              help="The split salt (owners know it; all do after the holdout reveal).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def score(spec: Path, labels: Path, predictions: Path, salt: str, as_json: bool) -> None:
    """Score PREDICTIONS against LABELS with the metric and rules of SPEC.

    Prints the public and private scores (float, and the WAD integers the oracles sign:
    the public one snapped to the challenge's eta grid), or the status and reason that
    make the file invalid (exit status 2).

    \b
    Example:
      $ coop score examples/specs/diabetes-regression.json labels.csv predictions.csv
    """
    challenge = load_spec(spec)
    salt_bytes = bytes.fromhex(salt.removeprefix("0x"))
    if len(salt_bytes) != 32:
        raise click.BadParameter("the split salt is 32 bytes of hex", param_hint="--salt")
    try:
        truth = read_labels(challenge, labels.read_bytes())
    except ArtifactRejected as exc:
        raise InvalidPredictions(f"the labels file is invalid: {exc.reason}") from None
    result = score_submission(challenge, truth, predictions.read_bytes(), salt_bytes)
    data = {
        "status": int(result.status), "status_name": result.status.name, "reason": result.reason,
        "rows": result.rows, "metric": challenge.metric,
        "public_score": result.public_score, "private_score": result.private_score,
        "public_wad": str(result.public_wad), "private_wad": str(result.private_wad),
    }  # fmt: skip
    if not result.valid:
        if as_json:
            click.echo(json.dumps(data))
        raise InvalidPredictions(f"{result.status.name} ({int(result.status)}): {result.reason}")
    if as_json:
        click.echo(json.dumps(data))
    else:
        click.echo(f"{challenge.metric} on {result.rows} rows\n"
                   f"  public  {result.public_score!r:>24}  wad {result.public_wad} (eta grid)\n"
                   f"  private {result.private_score!r:>24}  wad {result.private_wad}")  # fmt: skip
