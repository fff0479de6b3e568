"""`coop challenge create|add-phase|import|reveal-holdout|correct|status`: what a challenge
owner does."""

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import click

from oracle.chain.clock import duration_text, iso_time, time_text
from oracle.chain.holdout_reveal import reveal_stored_holdout
from oracle.chain.publish import (
    PhaseOptions,
    publish_challenge,
    publish_phase,
)
from oracle.cli.challenge_admin_cmd import refund_cmd, set_oracles_cmd
from oracle.cli.challenge_correct_cmd import correct_cmd
from oracle.cli.challenge_import_cmd import import_cmd
from oracle.cli.challenge_publish import (
    Amount,
    base_units,
    publish_options,
    report_published,
    terms_options,
    window_options,
)
from oracle.cli.context import ChainContext, chain_options, progress, tokens
from oracle.errors import ConfigError
from oracle.ledger.boards import BoardEntry
from oracle.ledger.challenge_status import (
    ChallengeStatus,
    PhaseStatus,
    Stage,
    challenge_status,
    reached,
)
from oracle.types import wad_text


def _data_options(fn: Any) -> Any:
    options = [
        click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path),
                     help="Folder with the public files the spec pins by CID (train, test "
                     "features, ...) [default: the spec's folder]."),
        click.option("--labels", type=click.Path(dir_okay=False, path_type=Path),
                     help="The secret labels (id,target of every test row) "
                     "[default: DATA/labels.csv]."),
    ]  # fmt: skip
    fn = window_options(fn)
    for option in reversed(options):
        fn = option(fn)
    return fn


def _files(spec: Path, data: Path | None, labels: Path | None) -> tuple[Path, Path]:
    folder = data if data is not None else spec.parent
    return folder, labels if labels is not None else folder / "labels.csv"


@click.group("challenge")
def challenge() -> None:
    """Publish and run a challenge: create it, add phases, reveal the holdout, see its state,
    refund, change oracles.

    \b
    Examples:
      $ coop challenge create spec.json --data data/ --bounty 1000 --account owner
      $ coop challenge status 1
      $ coop challenge reveal-holdout 1 --account owner
    """


@challenge.command("create")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_data_options
@terms_options
@chain_options
def create(spec: Path, data: Path | None, labels: Path | None, start: int | None,
           commit_for: int, reveal_for: int, bounty: Decimal, oracles: tuple[str, ...],
           quorum: int | None, arbiter: str | None, notice_period: int, dispute_window: int,
           dispute_bond: Decimal, **options: Any) -> None:  # fmt: skip
    """Publish SPEC as a new challenge with its phase 0, and escrow its bounty.

    Checks the spec (schema and rules), the labels (readable, exactly one per test row),
    the public data (every file the spec pins by CID is found in --data or IPFS) and the
    sample submission (it must score), all before sending anything. Then draws the
    public/private split salt, uploads the data and the spec to IPFS (the embedded store;
    kubo too when COOP_IPFS_BACKEND=kubo), approves and escrows the bounty and creates the
    challenge. The labels and the split salt stay in DATA_DIR/holdouts (mode 600): back
    them up; `coop challenge reveal-holdout` needs them after the reveal window.

    \b
    Examples:
      $ coop challenge create diabetes.json --data diabetes/ --account owner
      $ coop challenge create spec.json --data data/ --bounty 5000 --commit-for 14d \\
          --oracle 0xA... --oracle 0xB... --oracle 0xC... --quorum 2 --account owner --json
    """
    ctx = ChainContext.from_options(**options)
    platform, owner = ctx.platform, ctx.sender
    publish = publish_options(ctx, start, commit_for, reveal_for, bounty, oracles, quorum,
                              arbiter, notice_period, dispute_window, dispute_bond)  # fmt: skip
    folder, labels_path = _files(spec, data, labels)
    published = publish_challenge(platform, owner, ctx.content_store, ctx.settings.data_dir,
                                  spec, labels_path, publish, folder, progress(ctx))  # fmt: skip
    report_published(ctx, published, f"Created challenge {published.challenge_id}")


@challenge.command("add-phase")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_data_options
@click.option(
    "--bounty",
    type=Amount(),
    default=None,
    help="This phase's share of the escrow [default: all not yet given to a phase].",
)
@click.option(
    "--top-up",
    type=Amount(),
    default="0",
    show_default=True,
    help="Extra tokens escrowed now (pulled from your account).",
)
@chain_options
def add_phase_cmd(challenge_id: int, spec: Path, data: Path | None, labels: Path | None,
                  start: int | None, commit_for: int, reveal_for: int, bounty: Decimal | None,
                  top_up: Decimal, **options: Any) -> None:  # fmt: skip
    """Append a phase to CHALLENGE: a new metric or dataset version, with its own windows,
    holdout and share of the bounty. Earlier phases stay exactly as they were.

    The new spec may change how the phase is judged: metric, direction, baseline, target,
    eta, dataset, scorer; those are fixed on chain with the phase. It keeps the
    challenge's daily cap and commit bond. Its commits open at --start, at the earliest
    the challenge's notice period from now and after the previous phase's reveals close
    (the default: ten minutes after the earliest).

    \b
    Examples:
      $ coop challenge add-phase 1 spec-v2.json --data v2/ --top-up 500 --account owner
      $ coop challenge add-phase 1 spec-v2.json --bounty 250 --commit-for 3d --json
    """
    ctx = ChainContext.from_options(**options)
    platform, owner = ctx.platform, ctx.sender
    phase = PhaseOptions(
        bounty=None if bounty is None else base_units(platform, bounty, "--bounty"),
        top_up=base_units(platform, top_up, "--top-up"), commit_seconds=commit_for,
        reveal_seconds=reveal_for, commit_start=start,
    )  # fmt: skip
    folder, labels_path = _files(spec, data, labels)
    published = publish_phase(platform, owner, ctx.content_store, ctx.settings.data_dir,
                              challenge_id, spec, labels_path, phase, folder,
                              progress(ctx))  # fmt: skip
    report_published(ctx, published, f"Added phase {published.phase} to challenge {challenge_id}")


@challenge.command("reveal-holdout")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option(
    "--phase",
    type=int,
    default=None,
    help="Phase to reveal [default: the earliest one not revealed].",
)
@click.option(
    "--labels",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The committed labels file, if the stored copy is gone.",
)
@chain_options
def reveal_holdout_cmd(challenge_id: int, phase: int | None, labels: Path | None,
                       **options: Any) -> None:  # fmt: skip
    """Reveal a phase's holdout once its reveal window has ended: the labels go to IPFS, the
    split salt on chain (checked against the commitment made at creation), so the oracles
    can open the private scores and anyone can rescore every submission.

    Uses the secret `coop challenge create` / `add-phase` stored in DATA_DIR/holdouts.

    \b
    Examples:
      $ coop challenge reveal-holdout 1 --account owner
      $ coop challenge reveal-holdout 1 --phase 1 --account owner --json
    """
    ctx = ChainContext.from_options(**options)
    done = reveal_stored_holdout(ctx.platform, ctx.sender, ctx.content_store,
                                 ctx.settings.data_dir, challenge_id, phase, labels)  # fmt: skip
    ctx.emit(
        f"Revealed the holdout of challenge {challenge_id} phase {done.phase}.\n"
        f"  labels: {done.labels_cid}\n"
        "Next: the oracles open the private scores and post the rewards root; follow it with "
        f"`coop challenge status {challenge_id}` and `coop leaderboard {challenge_id} --private`.",
        {"challenge_id": challenge_id, "phase": done.phase, "labels_cid": done.labels_cid,
         "labels_digest": done.labels_digest, "split_salt": done.split_salt},
    )  # fmt: skip


@challenge.command("status")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option("--wait-for", "wait_for", type=click.Choice([s.value for s in Stage]), default=None,
              help="Wait until the phase (--phase) reaches this stage or a later one.")  # fmt: skip
@click.option("--phase", type=int, default=0, show_default=True,
              help="The phase --wait-for watches.")  # fmt: skip
@click.option("--timeout", type=float, default=300.0, show_default=True,
              help="Seconds --wait-for waits before giving up (exit status 2).")  # fmt: skip
@chain_options
def status_cmd(challenge_id: int, wait_for: str | None, phase: int, timeout: float,
               **options: Any) -> None:  # fmt: skip
    """Show where CHALLENGE stands: each phase's windows and what is open now, the bounty
    and escrow left, the oracle set and quorum, holdout reveals and rewards roots.

    Times are the chain's (a dev chain can run ahead of the wall clock), shown in UTC.
    --wait-for STAGE waits for what others do (the oracles posting a root, say) before
    printing, for scripts.

    \b
    Examples:
      $ coop challenge status 1
      $ coop challenge status 1 --json | jq '.phases[0].stage'
      $ coop challenge status 1 --wait-for dispute-window   # the root is posted
    """
    ctx = ChainContext.from_options(**options)
    status = challenge_status(ctx.platform, ctx.content_store, challenge_id)
    deadline = time.monotonic() + timeout
    while wait_for is not None and not reached(_phase_stage(status, phase), Stage(wait_for)):
        if time.monotonic() > deadline:
            raise ConfigError(
                f"phase {phase} of challenge {challenge_id} is still at stage "
                f"{_phase_stage(status, phase)} after {timeout:.0f} s, not {wait_for}; "
                "if the oracles should act, see their logs (`make run` prints where)"
            )
        time.sleep(ctx.settings.poll_seconds)
        status = challenge_status(ctx.platform, ctx.content_store, challenge_id)
    ctx.emit(_status_text(status), _status_json(status))


def _phase_stage(status: ChallengeStatus, phase: int) -> Stage:
    if not 0 <= phase < len(status.phases):
        raise ConfigError(f"challenge {status.view.challenge_id} has no phase {phase}")
    return status.phases[phase].stage


def _status_text(s: ChallengeStatus) -> str:
    v = s.view
    lines = [
        f"Challenge {v.challenge_id}" + (f": {s.title}" if s.title else ""),
        f"  owner {v.owner}, arbiter {v.arbiter}",
        f"  spec {s.spec_cid}",
        f"  chain time {iso_time(s.now)}",
        f"  bounty escrowed {tokens(v.bounty)}, given to phases {tokens(v.allocated)}, "
        f"held by the vault {tokens(s.escrow_balance)}"
        + (f", refunded {tokens(s.refunded)}" if s.refunded else "")
        + (" (closed)" if s.closed else ""),
        f"  oracles ({v.quorum} of {len(s.oracles)} sign): {', '.join(s.oracles)}",
        f"  notice period {duration_text(v.notice_period)}: a new phase, new oracles or a new "
        "arbiter apply only to commits opening at least that long after they are announced",
        f"  dispute window {duration_text(v.dispute_window)}; open now: "
        + (", ".join(f"phase {i}" for i in s.open_phases) or "no phase takes commits or reveals"),
    ]
    for p in s.phases:
        lines += _phase_text(p, s.now)
    return "\n".join(lines)


def _extension_text(p: PhaseStatus) -> list[str]:
    x = p.extension
    if x is None:
        return []
    return [f"  extended {duration_text(x.extension)} after an oracle outage (submission "
            f"{x.waiting_submission_id} waited {duration_text(x.outage)} unscored)"]  # fmt: skip


def _phase_text(p: PhaseStatus, now: int) -> list[str]:
    w, m = p.phase, p.merit
    metric = f"{m.metric}, " if m.metric else ""
    lines = [
        f"Phase {w.index}: {p.stage} — next: {p.next_step}",
        f"  spec {p.spec_cid}, bounty {tokens(w.bounty)}",
        f"  judged by {metric}{m.direction} is better, baseline {wad_text(m.baseline)}, "
        f"target {wad_text(m.target)}, eta {wad_text(m.eta)}",
        f"  changed: {'; '.join(p.changed) or 'nothing the registry or the spec tells'}",
        f"  best: public {_best_text(p.best_public)}, private {_best_text(p.best_private)}",
        f"  commits {time_text(w.commit_start, now)} to {time_text(w.commit_end, now)}",
        f"  reveals until {time_text(w.reveal_end, now)}",
        *_extension_text(p),
        f"  submissions: {p.committed} committed, {p.revealed} revealed, {p.scored} scored",
        f"  judged by oracle set version {p.judges.version} ({p.judges.quorum} of "
        f"{len(p.judges.oracles)} sign), arbiter {p.judges.arbiter}",
        "  holdout: "
        + (f"revealed by {p.revealer}, labels {p.labels_cid}" if w.holdout_revealed else "hidden"),
    ]
    if w.correction:
        lines.append(f"  corrected {w.correction} time(s): scores and rewards are those of "
                     f"correction {w.correction}; `coop leaderboard CHALLENGE --phase {w.index} "
                     "--changes` shows what moved")  # fmt: skip
    r = p.root
    if r is None:
        lines.append("  rewards root: not posted")
    else:
        lines.append(f"  rewards root {r.merkle_root} ({r.state.label}), pays {tokens(r.total)}, "
                     f"claimed {tokens(r.claimed)}, claims from "
                     f"{time_text(r.claimable_at, now)}")  # fmt: skip
        lines.append(f"  report {r.report_cid}")
    return lines


def _best_text(entry: BoardEntry | None) -> str:
    if entry is None:
        return "none yet"
    return f"{wad_text(entry.score)} (submission {entry.submission_id}, {entry.label})"


def _best_json(entry: BoardEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    return {"score": str(entry.score), "submission_id": entry.submission_id,
            "participant": entry.participant}  # fmt: skip


def _status_json(s: ChallengeStatus) -> dict[str, Any]:
    v = s.view
    return {
        "challenge_id": v.challenge_id, "title": s.title, "spec_cid": s.spec_cid,
        "owner": v.owner, "arbiter": v.arbiter, "token": v.token, "now": s.now,
        "bounty": str(v.bounty),
        "allocated": str(v.allocated), "escrow_balance": str(s.escrow_balance),
        "refunded": str(s.refunded), "closed": s.closed, "oracles": list(s.oracles),
        "quorum": v.quorum, "dispute_window": v.dispute_window, "open_phases": s.open_phases,
        "notice_period": v.notice_period,
        "phases": [
            {"phase": p.phase.index, "stage": p.stage, "next": p.next_step,
             "spec_cid": p.spec_cid, "bounty": str(p.phase.bounty),
             "metric": p.merit.metric, "higher_is_better": p.merit.higher_is_better,
             "baseline": str(p.merit.baseline), "target": str(p.merit.target),
             "eta": str(p.merit.eta), "dataset": p.merit.dataset, "scorer": p.merit.scorer,
             "changed": list(p.changed), "best_public": _best_json(p.best_public),
             "best_private": _best_json(p.best_private),
             "commit_start": p.phase.commit_start, "commit_end": p.phase.commit_end,
             "reveal_end": p.phase.reveal_end, "holdout_revealed": p.phase.holdout_revealed,
             "correction": p.phase.correction,
             "labels_cid": p.labels_cid, "holdout_revealer": p.revealer,
             "judges": {"version": p.judges.version, "oracles": list(p.judges.oracles),
                        "quorum": p.judges.quorum, "arbiter": p.judges.arbiter},
             "committed": p.committed, "revealed": p.revealed,
             "scored": p.scored,
             "root": None if p.root is None else {
                 "seq": p.root.seq, "merkle_root": p.root.merkle_root,
                 "total": str(p.root.total), "report_cid": p.root.report_cid,
                 "claimable_at": p.root.claimable_at, "state": p.root.state.label,
                 "claimed": str(p.root.claimed),
                 "arbiter_deadline": p.root.arbiter_deadline}}
            for p in s.phases
        ],
    }  # fmt: skip


for admin_command in (refund_cmd, set_oracles_cmd, import_cmd, correct_cmd):
    challenge.add_command(admin_command)
