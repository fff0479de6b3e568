"""`coop submit`, `coop reveal`, `coop review`: what a participant does, from the terminal."""

from decimal import Decimal, InvalidOperation
from pathlib import Path

import click

from oracle.chain.submissions import commit, pending_reveals, reveal
from oracle.cli.context import ChainContext, chain_options
from oracle.types import PPM

VERDICTS = {"approve": 1, "concern": 2, "reject": 3}


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
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--parent", "parents", multiple=True, metavar="ID[:WEIGHT]",
              help="Submission this one builds on (repeat up to 8 times).")  # fmt: skip
@chain_options
def submit(challenge: int, path: Path, parents: tuple[str, ...], **options: object) -> None:
    """Add PATH (a predictions file or a folder) to IPFS, commit it, then reveal it.

    The commit fixes your priority without showing the file; the reveal shows its CID.
    The salt is saved before the commit is sent, so if anything stops in between,
    `coop reveal` finishes the job.

    \b
    Examples:
      $ coop submit 1 predictions.csv --account alice
      $ coop submit 1 better.csv --parent 12:0.7 --parent 15 --account alice --json
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    parent_ids, weights = parse_parents(parents)
    store = ctx.content_store
    added = store.add_path(path)
    store.pin(added.cid)
    platform, sender = ctx.platform, ctx.sender
    with click.progressbar(length=2, label="commit, reveal") as bar:
        pending = commit(platform, sender, ctx.settings.data_dir, challenge, str(added.cid),
                         parent_ids, weights)  # fmt: skip
        bar.update(1)
        submission_id = reveal(platform, sender, pending)
        bar.update(1)
    pending.path(ctx.settings.data_dir).unlink()
    ctx.emit(
        f"Submission {submission_id} revealed: {added.cid}\n"
        f"Its score appears once the oracles post it: `coop leaderboard {challenge}`.",
        {"submission_id": submission_id, "cid": str(added.cid), "challenge_id": challenge},
    )


@click.command("reveal")
@chain_options
def reveal_pending(**options: object) -> None:
    """Finish submits that were committed but not revealed (found in the data dir).

    \b
    Example:
      $ coop reveal --account alice
    """
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    found = pending_reveals(ctx.settings.data_dir)
    revealed = []
    for path, pending in found:
        if pending.submission_id is None:
            click.echo(f"{path.name}: the commit never reached the chain; removing it", err=True)
        else:
            revealed.append(reveal(ctx.platform, ctx.sender, pending))
        path.unlink()
    ctx.emit(
        f"Revealed {len(revealed)} submission(s): {revealed}" if found else "Nothing to reveal.",
        {"revealed": revealed},
    )


@click.command("review")
@click.argument("submission", type=int)
@click.argument("verdict", type=click.Choice(sorted(VERDICTS)))
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
    note_cid = ""
    if note is not None:
        note_cid = str(ctx.content_store.add_path(note).cid)
    fn = ctx.platform.book.functions.review(submission, VERDICTS[verdict], note_cid)
    ctx.sender.transact(fn)
    ctx.emit(f"Reviewed submission {submission}: {verdict}",
             {"submission_id": submission, "verdict": verdict, "review_cid": note_cid})  # fmt: skip
