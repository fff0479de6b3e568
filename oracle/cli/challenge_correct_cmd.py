"""`coop challenge correct`: the owner corrects a phase's scorer and/or labels in the open
(added to the `challenge` group in challenge_cmd.py)."""

from pathlib import Path
from typing import Any

import click

from oracle.chain.corrections import correct_phase
from oracle.cli.context import ChainContext, chain_options, progress

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("correct", short_help="Correct a phase's scorer or labels in the open (owner).")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option("--phase", type=int, required=True, help="The phase whose scoring was wrong.")
@click.option(
    "--labels",
    type=_FILE,
    default=None,
    help="The corrected labels file (the rows and columns of the committed one).",
)
@click.option(
    "--scorer",
    type=_FILE,
    default=None,
    help="The corrected scorer program (a Python file, as a spec's scorer.cid).",
)
@click.option("--reason", "reason", type=_FILE, required=True,
              help="A text file saying what was wrong and what the correction changes; it is "
                   "published on IPFS with the correction.")  # fmt: skip
@chain_options
def correct_cmd(challenge_id: int, phase: int, labels: Path | None, scorer: Path | None,
                reason: Path, **options: Any) -> None:  # fmt: skip
    """Correct how a phase of CHALLENGE was scored, in the open: a corrected scorer
    program (--scorer) and/or corrected labels (--labels), with the reason (--reason).

    What happens: the correction is an on-chain event with a number (1 for the phase's
    first) and the reason's text on IPFS. The oracles score every submission of the phase
    again with the correction and post the new scores; the boards show them, and
    `coop leaderboard CHALLENGE --phase N --changes` lists every submission whose rank or
    status changed. A rewards root of the phase still in its dispute window is voided, and
    the oracles post a new one computed on the corrected scores (rules v2: plus the
    compensation the spec declared for lost prize ranks). Corrected labels are committed
    like the first ones (same split salt, a new secret in DATA_DIR/holdouts: hand it to the
    oracles) and revealed again after the correction with `coop challenge reveal-holdout`.

    When: until the phase's rewards are claimable. Once claims are open the correction is
    refused (what remains is the dispute path), and while the root is disputed it waits
    for the arbiter.

    \b
    Examples:
      $ coop challenge correct 1 --phase 0 --labels fixed-labels.csv \\
          --reason why.txt --account owner
      $ coop challenge correct 1 --phase 1 --scorer scorer-v2.py --reason why.txt --json
    """
    ctx = ChainContext.from_options(**options)
    changes = " and ".join(
        what for what, given in (("labels", labels), ("scorer", scorer)) if given is not None
    )
    progress(ctx)(f"publishing a correction of the {changes or 'nothing'} of challenge "
                   f"{challenge_id} phase {phase}")  # fmt: skip
    done = correct_phase(
        ctx.platform, ctx.sender, ctx.content_store, ctx.settings.data_dir, challenge_id, phase,
        reason.read_bytes(), labels.read_bytes() if labels else None,
        scorer.read_bytes() if scorer else None,
    )  # fmt: skip
    lines = [
        f"Published correction {done.correction} of challenge {challenge_id} phase {phase} "
        f"(tx {done.tx_hash}).",
        f"  reason: {done.reason_cid}",
    ]
    if done.scorer_cid:
        lines.append(f"  corrected scorer: {done.scorer_cid}")
    if labels is not None:
        lines.append(f"  corrected labels committed: {done.holdout_commitment} (reveal them "
                     f"with `coop challenge reveal-holdout {challenge_id} --phase {phase}`; "
                     "hand the oracles the new secret in DATA_DIR/holdouts)")  # fmt: skip
    if done.voided_root:
        lines.append("  the phase's rewards root was voided; the oracles post a new one")
    lines.append(f"Next: the oracles rescore the phase; `coop leaderboard {challenge_id} "
                 f"--phase {phase} --changes` shows what changed.")  # fmt: skip
    ctx.emit(
        "\n".join(lines),
        {"challenge_id": challenge_id, "phase": phase, "correction": done.correction,
         "scorer_cid": done.scorer_cid, "holdout_commitment": done.holdout_commitment,
         "reason_cid": done.reason_cid, "voided_root": done.voided_root,
         "tx_hash": done.tx_hash},
    )  # fmt: skip
