"""`coop submit`, `coop reveal`, `coop review`: what a participant does, from the terminal."""

import contextlib
import tempfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from web3 import Web3

from oracle.chain.submission_checks import is_for, reveal_blocker
from oracle.chain.submissions import drop_pending, pending_reveals, reveal
from oracle.cli.context import ChainContext, chain_options, progress
from oracle.errors import CoopError, TransactionReverted
from oracle.participant.review import review_submission
from oracle.participant.submit import submit_path
from oracle.submission_source import SourceManifest, snapshot
from oracle.types import PPM, Verdict, plural


def parse_parents(specs: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """`ID[:weight]` items → (ascending ids, ppm weights summing to 1,000,000).

    Weights are fractions (0.6) or percentages (60%); missing ones share what is left
    equally, and the integer remainder goes to the first parent.
    """
    if not specs:
        return (), ()
    given: dict[int, Decimal | None] = {}
    for spec in specs:
        raw_id, _, raw_weight = spec.partition(":")
        try:
            parent = int(raw_id)
            weight = None
            if raw_weight:
                pct = raw_weight.endswith("%")
                weight = Decimal(raw_weight.rstrip("%")) / (100 if pct else 1)
        except (ValueError, InvalidOperation):
            raise click.BadParameter(
                f"{spec!r}: expected ID or ID:WEIGHT, e.g. 12:0.6 or 12:60%"
            ) from None
        if parent in given:
            raise click.BadParameter(f"parent {parent} is given twice")
        given[parent] = weight
    fixed = sum((w for w in given.values() if w is not None), Decimal(0))
    free = [p for p, w in given.items() if w is None]
    if fixed > 1 or (not free and fixed != 1):
        raise click.BadParameter(f"parent weights add up to {fixed}; they must add up to 1 (100%)")
    share = (1 - fixed) / len(free) if free else Decimal(0)
    ppm = {p: int((w if w is not None else share) * PPM) for p, w in given.items()}
    ids = tuple(sorted(ppm))
    ppm[ids[0]] += PPM - sum(ppm.values())
    return ids, tuple(ppm[p] for p in ids)


@click.command("submit")
@click.argument("challenge", type=int)
@click.argument("path", type=click.Path(exists=True, path_type=Path), required=False)
@click.option("--parent", "parents", multiple=True, metavar="ID[:WEIGHT]",
              help="A revealed submission this one builds on, with the share of your reward "
              "it gets (repeat, up to 8).")  # fmt: skip
@click.option("--from-git", "from_git", is_flag=True,
              help="Submit the git repository's HEAD (PATH: a folder of it, default .): its "
              "tracked files and coop-source.json naming the repository and the commit; "
              "refused with uncommitted changes.")  # fmt: skip
@click.option("--licence", metavar="SPDX",
              help="The licence your submission carries (an SPDX identifier the challenge "
              "allows, e.g. MIT); written into coop-source.json inside the artifact. "
              "Default: the challenge's.")  # fmt: skip
@chain_options
def submit(challenge: int, path: Path | None, parents: tuple[str, ...], from_git: bool,
           licence: str | None, **options: object) -> None:  # fmt: skip
    """Add PATH (a predictions file or a folder) to IPFS, commit it, then reveal it.

    The commit fixes your priority without showing the file; the reveal shows its CID.
    The salt is saved in COOP_DATA_DIR/pending/ before the commit is sent, so if anything
    stops in between, `coop reveal` finishes the job.

    Nothing is sent until everything that can be checked is: the challenge takes commits
    now, you are under its daily commit cap, every parent exists and is revealed, the
    weights add up, and your account holds the commit bond (returned at the reveal) and
    the gas of both transactions.

    \b
    Forks (--parent ID[:WEIGHT]): up to 8 distinct submissions, each revealed before
    your commit. WEIGHT is a fraction (0.6) or a percentage (60%); parents without one
    share what is left equally; the weights must add up to 1. Part of your reward flows
    to the parents by these weights (the challenge sets the share).

    \b
    Which account signs (the first that applies; the command says which it uses):
      --account NAME on the command line (a keystore; COOP_PRIVATE_KEY is then ignored),
      COOP_ACCOUNT (a keystore) or COOP_PRIVATE_KEY (a raw dev key), not both.

    \b
    From git (--from-git): the folder PATH (default: the current one) of a git repository
    is submitted as it is in HEAD (only tracked files), with coop-source.json recording
    the repository (the origin remote, without credentials), the commit and the
    subfolder; the web app and the API link it. Uncommitted changes are refused.

    \b
    Licence (--licence SPDX): your submission carries the challenge's default licence
    unless you name another it allows (`coop challenge status` lists them); a fork must
    carry one its parents' licences permit (docs/licences.md). A predictions file is then
    submitted as a folder holding the file and coop-source.json naming the licence.

    \b
    Examples:
      $ coop submit 1 predictions.csv --account alice
      $ coop submit 1 predictions.csv --licence Apache-2.0 --account alice
      $ coop submit 1 better.csv --parent 12:0.7 --parent 15 --account alice --json
      $ coop submit 1 --from-git --account alice      # the repository you are in
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    if path is None and not from_git:
        raise click.UsageError("name the PATH to submit (a predictions file or a folder), or "
                               "pass --from-git to submit the current git repository")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="coop-git-") as scratch:
        source = None
        if from_git:
            source = snapshot(path or Path("."), Path(scratch) / "artifact")
            path = Path(scratch) / "artifact"
            click.echo(f"… submitting commit {source.commit} of {source.repository}"
                       + (f" (folder {source.path})" if source.path else ""), err=True)  # fmt: skip
        assert path is not None
        _submit(ctx, challenge, path, parents, source, licence)


def _submit(ctx: ChainContext, challenge: int, path: Path, parents: tuple[str, ...],
            source: SourceManifest | None, licence: str | None) -> None:  # fmt: skip
    parent_ids, weights = parse_parents(parents)
    with contextlib.ExitStack() as stack:
        bars: list[Any] = []
        done = submit_path(
            ctx.platform, ctx.sender, ctx.content_store, ctx.settings.data_dir, challenge,
            path, parent_ids, weights, progress(ctx),
            sending=lambda: bars.append(stack.enter_context(
                click.progressbar(length=2, label="commit, reveal"))),
            step_done=lambda: bars[0].update(1), licence=licence,
        )  # fmt: skip
    submission_id, cid = done.submission_id, done.cid
    data: dict[str, Any] = {
        "submission_id": submission_id,
        "cid": cid,
        "challenge_id": challenge,
    }
    if licence is not None:
        data["licence"] = licence
    if source is not None:
        data["source"] = {"repository": source.repository, "commit": source.commit,
                          "path": source.path}  # fmt: skip
    ctx.emit(
        f"Submission {submission_id} revealed: {cid}\n"
        f"Its score appears once the oracles post it: `coop leaderboard {challenge}`.",
        data,
    )


@click.command("reveal")
@click.option("--drop", "drops", multiple=True, type=int, metavar="SUBMISSION",
              help="Give up the pending reveal of SUBMISSION: its file is moved to "
              "pending/dropped/ (repeat).")  # fmt: skip
@chain_options
def reveal_pending(drops: tuple[int, ...], **options: object) -> None:
    """Finish submits that were committed but not revealed (found in the data dir).

    `coop submit` saves each commit's salt in COOP_DATA_DIR/pending/ before sending it;
    if the reveal did not follow (Ctrl-C, a lost connection, no ETH left), this command
    sends it. A pending commit that can never be revealed (its reveal window closed, a
    parent not revealed before it, revealed already, not on this chain any more) is
    dropped with the reason: its file moves to pending/dropped/, nothing is deleted. An
    unrevealed commit's bond goes to the challenge's owner after the reveal window.
    Pending reveals of another chain or deployment are left alone.

    \b
    Examples:
      $ coop reveal --account alice
      $ coop reveal --drop 7              # give up submission 7's pending reveal
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    data_dir = ctx.settings.data_dir
    revealed, dropped, failed = [], [], []
    for path, pending in pending_reveals(data_dir):
        if not is_for(ctx.platform, pending):
            click.echo(f"{path.name}: for chain {pending.chain_id}, book {pending.book}; "
                       "left alone", err=True)  # fmt: skip
            continue
        reason = (
            "you asked to drop it (--drop)"
            if pending.submission_id in drops
            else reveal_blocker(ctx.platform, pending)
        )
        if reason is not None:
            kept = drop_pending(path)
            click.echo(f"dropped {path.name}: {reason}; the file is now {kept}", err=True)
            dropped.append(pending.submission_id)
            continue
        signer = str(ctx.sender.address)
        if Web3.to_checksum_address(pending.submitter) != signer:
            click.echo(f"{path.name}: committed by {pending.submitter}, but you sign as "
                       f"{signer}: pass --account with that account", err=True)  # fmt: skip
            failed.append(pending.submission_id)
            continue
        try:
            revealed.append(reveal(ctx.platform, ctx.sender, pending))
        except TransactionReverted as exc:
            click.echo(f"{path.name}: {exc}; kept for another try", err=True)
            failed.append(pending.submission_id)
            continue
        path.unlink()
    human = (
        f"Revealed {plural(len(revealed), 'submission')}: {revealed}"
        if revealed or dropped or failed
        else "Nothing to reveal."
    )
    ctx.emit(human, {"revealed": revealed, "dropped": dropped, "not_revealed": failed})
    if failed:
        raise CoopError(
            f"{plural(len(failed), 'pending reveal')} could not be sent ({failed}); see above"
        )


@click.command("review")
@click.argument("submission", type=int)
@click.argument("verdict", type=click.Choice(sorted(v.name.lower() for v in Verdict)))
@click.option("--note", type=click.Path(exists=True, path_type=Path),
              help="A file with your review; added to IPFS, its CID recorded.")  # fmt: skip
@chain_options
def review(submission: int, verdict: str, note: Path | None, **options: object) -> None:
    """Review someone else's revealed submission (one review per reviewer).

    \b
    Example:
      $ coop review 12 approve --note review.md --account bob
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    done = review_submission(ctx.platform, ctx.sender, ctx.content_store, submission, verdict,
                             note)  # fmt: skip
    ctx.emit(f"Reviewed submission {submission}: {verdict}",
             {"submission_id": submission, "verdict": verdict,
              "review_cid": done.review_cid})  # fmt: skip
