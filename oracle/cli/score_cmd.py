"""`coop score SPEC LABELS PREDICTIONS`: score a file locally exactly as the oracles would."""

import json
from pathlib import Path
from typing import Any

import click

from oracle.errors import CoopError, InvalidHoldout
from oracle.scoring import (
    ScoreResult,
    holdout_commitment,
    read_labels,
    score_submission,
    split_holdout,
    split_salt_hash,
)
from oracle.spec import ZERO_HASH, ChallengeSpec, load_spec

ZERO_SALT = bytes(32)


class InvalidInput(click.ClickException):
    """An invalid predictions file (or spec, labels, salt): exit status 2, one line on stderr."""

    exit_code = 2


def _bytes32(value: str | None, option: str) -> bytes | None:
    if value is None:
        return None
    try:
        raw = bytes.fromhex(value.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise click.BadParameter(
            "expected 32 bytes as 64 hex digits (0x optional)", param_hint=option
        )
    return raw


def _salt(spec: ChallengeSpec, salt: bytes | None) -> bytes:
    if salt is None:
        click.echo(
            "note: no --salt, so rows are split with the all-zero salt; the oracles' "
            "public/private rows differ until the holdout is revealed",
            err=True,
        )
        return ZERO_SALT
    if spec.salt_hash != ZERO_HASH and "0x" + split_salt_hash(salt).hex() != spec.salt_hash:
        raise InvalidHoldout(
            f"keccak256 of --salt is not the spec's split.salt_hash ({spec.salt_hash})"
        )
    return salt


def _summary(spec: ChallengeSpec, result: ScoreResult) -> dict[str, Any]:
    def wad(value: int | None) -> str | None:  # a string: JSON readers lose big integers
        return None if value is None else str(value)

    return {
        "status": int(result.status),
        "status_name": result.status.name,
        "reason": result.reason,
        "metric": spec.metric.name,
        "direction": str(spec.direction),
        "rows": result.rows,
        "public_rows": result.public_rows,
        "private_rows": result.private_rows,
        "public_score": result.public_score,
        "private_score": result.private_score,
        "public_wad": wad(result.public_wad),
        "private_wad": wad(result.private_wad),
    }


@click.command("score")
@click.argument("spec_path", metavar="SPEC", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("labels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("predictions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--salt",
    metavar="HEX",
    help="The 32-byte split salt (the owner's; public after "
    "the holdout reveal). Checked against the spec's split.salt_hash.",
)
@click.option(
    "--commitment",
    metavar="HEX",
    help="The phase's on-chain holdout commitment: "
    "refuse LABELS and --salt unless they match it.",
)
@click.option(
    "--scorer",
    "scorer_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The spec's custom scorer program (checked against its CID).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def score(
    spec_path: Path,
    labels: Path,
    predictions: Path,
    salt: str | None,
    commitment: str | None,
    scorer_path: Path | None,
    as_json: bool,
) -> None:
    """Score PREDICTIONS against LABELS with the metric and rules of SPEC.

    Prints the status, the public and private scores as floats, and the WAD integers the
    oracles sign (the public one snapped to the eta grid). Exit status 0 for a valid
    file; 2 with the reason on stderr for an invalid one (or an unusable spec or labels).

    \b
    Example:
      $ python examples/specs/make_data.py data/
      $ coop score examples/specs/diabetes-regression.json \\
          data/diabetes-regression/labels.csv \\
          data/diabetes-regression/sample_submission.csv --salt 0x$(printf '%064x' 7)
    """
    try:
        spec = load_spec(spec_path)
        split_salt = _salt(spec, _bytes32(salt, "--salt"))
        labels_bytes = labels.read_bytes()
        expected = _bytes32(commitment, "--commitment")
        if expected is not None and holdout_commitment(labels_bytes, split_salt) != expected:
            raise InvalidHoldout("LABELS and --salt do not match --commitment")
        holdout = split_holdout(spec, read_labels(spec, labels_bytes), split_salt)
        program = scorer_path.read_bytes() if scorer_path is not None else None
        result = score_submission(spec, holdout, predictions, scorer_program=program)
    except CoopError as exc:
        raise InvalidInput(str(exc)) from None
    summary = _summary(spec, result)
    if as_json:
        click.echo(json.dumps(summary))
    if not result.valid:
        raise InvalidInput(f"{result.status.name} ({int(result.status)}): {result.reason}")
    if not as_json:
        _print(spec, summary)


def _print(spec: ChallengeSpec, s: dict[str, Any]) -> None:
    click.echo(
        f"{s['status_name']} ({s['status']}): {spec.metric.name} ({s['direction']} is "
        f"better) on {s['rows']} test rows, {s['public_rows']} public and "
        f"{s['private_rows']} private"
    )
    click.echo(f"  public   {s['public_score']!r:>24}  wad {s['public_wad']} (eta grid {spec.eta})")
    click.echo(f"  private  {s['private_score']!r:>24}  wad {s['private_wad']}")
