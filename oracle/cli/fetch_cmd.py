"""`coop fetch SUBMISSION DIR`: a revealed submission's files, verified, ready to rerun."""

from pathlib import Path

import click

from oracle.cli.context import ChainContext, chain_options
from oracle.coderun import input_name
from oracle.errors import ConfigError
from oracle.ipfs.cids import parse_cid
from oracle.ipfs.folder import export_folder, is_directory
from oracle.ledger.replay import read_ledger

MAX_BYTES = 1 << 30


@click.command("fetch")
@click.argument("submission", type=int)
@click.argument("dest", metavar="DIR", type=click.Path(file_okay=False, path_type=Path))
@chain_options
def fetch(submission: int, dest: Path, **options: object) -> None:
    """Download SUBMISSION's files into DIR, verified against the CID revealed on chain.

    DIR must be new or empty; every block is checked against its CID.

    \b
    A code submission arrives as the folder it was (main.py and its modules): rerun it
    with `coop run CHALLENGE DIR`, read it, or change it and submit it as a fork with
    `coop submit CHALLENGE DIR --parent SUBMISSION`. A predictions file arrives as
    DIR/predictions.csv (or .parquet, .csv.gz).

    \b
    Examples:
      $ coop fetch 12 ./submission-12
      $ coop run 2 ./submission-12
    """
    if dest.exists() and any(dest.iterdir()):
        raise ConfigError(f"{dest} is not empty; name a new folder")
    ctx = ChainContext.from_options(**options)  # type: ignore[arg-type]
    found = read_ledger(ctx.platform).submissions.get(submission)
    if found is None or found.reveal is None:
        state = "does not exist" if found is None else "is not revealed yet"
        raise ConfigError(f"submission {submission} {state}; only revealed ones have files")
    cid = parse_cid(found.reveal.artifact_cid)
    store = ctx.content_store
    if dest.exists():
        dest.rmdir()
    if is_directory(store.get_block, cid):
        size = export_folder(store.get_block, cid, dest, MAX_BYTES)
        files = sum(1 for p in dest.rglob("*") if p.is_file())
        what = f"{files} file(s), {size} bytes"
    else:
        data = store.cat(cid, max_bytes=MAX_BYTES)
        dest.mkdir(parents=True)
        (dest / input_name("predictions", data)).write_bytes(data)
        what = f"{input_name('predictions', data)}, {len(data)} bytes"
    parents = ", ".join(map(str, found.reveal.parents)) or "none"
    ctx.emit(
        f"Submission {submission} (challenge {found.challenge_id}, phase {found.phase}): "
        f"{what} in {dest}, verified against {found.reveal.artifact_cid}. Parents: {parents}.",
        {"submission_id": submission, "challenge_id": found.challenge_id, "phase": found.phase,
         "cid": found.reveal.artifact_cid, "dir": str(dest), "parents": list(found.reveal.parents)},
    )  # fmt: skip
