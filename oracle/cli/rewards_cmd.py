"""`coop rewards show|dispute|resolve|lapse|withdraw-bonds`: reading a rewards root and its
dispute, contesting the root, deciding the dispute as the arbiter, ending a dispute the
arbiter left undecided, collecting bonds."""

from pathlib import Path
from typing import Any

import click

from oracle.chain.clock import chain_now, time_text
from oracle.chain.roots import RootState
from oracle.chain.sender import ether_text
from oracle.cli.context import ChainContext, chain_options, progress, tokens
from oracle.ledger.disputes import (
    Settled,
    bond_credit,
    plan_dispute,
    plan_lapse,
    plan_resolution,
    publish_reason,
    send_dispute,
    send_lapse,
    send_resolution,
    view_dispute,
    withdraw_bonds,
)

MAX_REASON_BYTES = 1 << 20


@click.group("rewards")
def rewards() -> None:
    """Contest a rewards root and settle the contest: show, dispute, resolve, lapse, withdraw bonds.

    A posted root pays nobody until its dispute window has passed. Inside that window
    anyone may dispute it once, locking the challenge's dispute bond (ETH); the challenge's
    arbiter then upholds the dispute (the root is voided, the oracles post a corrected one)
    or rejects it (the root stands); an arbiter silent for 7 days lets the dispute lapse.
    Bonds are credited, then withdrawn with `coop rewards withdraw-bonds`.

    \b
    Examples:
      $ coop rewards show 1 0
      $ coop rewards dispute 1 0 --reason-file finding.md --account carol
      $ coop rewards resolve 1 0 --reject --account arbiter
      $ coop rewards withdraw-bonds --account owner
    """


@rewards.command("dispute", short_help="Dispute a rewards root in its window (with a bond).")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.argument("phase", type=int)
@click.option("--reason", metavar="TEXT", help="What is wrong with the root, in words.")
@click.option(
    "--reason-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file saying what is wrong (e.g. the `coop audit` finding, Markdown or text).",
)
@chain_options
def dispute_cmd(challenge_id: int, phase: int, reason: str | None, reason_file: Path | None,
                **options: Any) -> None:  # fmt: skip
    """Dispute the rewards root of CHALLENGE's PHASE while its dispute window is open.

    Who: anyone, once per root, before claims open (the window is the challenge's
    dispute window, counted from the root's posting; `coop challenge status` shows it).
    The reason goes to IPFS and its CID on chain with the dispute; you send the challenge's
    dispute bond (ETH, read from the registry; the command says how much before sending).

    Claims under the root wait until the dispute ends. The challenge's arbiter decides
    within 7 days: upheld, the root is voided, the oracles post a corrected one and your
    bond is credited back to you; rejected, the root stands and your bond goes to the
    challenge's owner. If the arbiter does not decide in time, anyone runs `coop rewards
    lapse`: the root stands and your bond is credited back. Withdraw a credited bond with
    `coop rewards withdraw-bonds`.

    The natural follow-up of `coop audit` reporting a discrepancy in a rewards root.

    \b
    Examples:
      $ coop audit 1      # FAILED: [rewards] rewards root of phase 0 (seq 1): ...
      $ coop rewards dispute 1 0 --reason "audit: the root pays 1000, the ledger gives 997" \\
          --account carol
      $ coop rewards dispute 1 0 --reason-file finding.md --account carol --json
    """
    text = _reason(reason, reason_file)
    ctx = ChainContext.from_options(**options)
    say = progress(ctx)
    root = plan_dispute(ctx.platform, ctx.sender.address, challenge_id, phase)
    rules = root.rules
    say(f"the rewards root of challenge {challenge_id} phase {phase} ({root.record.merkle_root}, "
        f"paying {tokens(root.record.total)} tokens) can be disputed until "
        f"{time_text(root.record.claimable_at, root.now)}")  # fmt: skip
    say(f"you send the dispute bond of {ether_text(rules.dispute_bond)}: credited back to you if "
        f"the arbiter {root.arbiter} upholds the dispute or lets it lapse, to the owner "
        f"{rules.owner} if the arbiter rejects it")  # fmt: skip
    say("adding the reason to IPFS")
    reason_cid = publish_reason(ctx.content_store, text)
    say("sending the dispute")
    done = send_dispute(ctx.platform, ctx.sender, root, reason_cid)
    deadline = time_text(done.arbiter_deadline, chain_now(ctx.platform))
    ctx.emit(
        "\n".join([
            f"Disputed the rewards root of challenge {challenge_id} phase {phase} "
            f"(tx {done.tx_hash}).",
            f"  bond:     {ether_text(rules.dispute_bond)} locked",
            f"  reason:   {reason_cid}",
            f"  arbiter:  {root.arbiter} decides by {deadline}",
            "Claims under this root wait for the decision. Next: the arbiter runs "
            f"`coop rewards resolve {challenge_id} {phase} --uphold` or `--reject`; "
            f"if nobody decides by then, anyone runs `coop rewards lapse {challenge_id} {phase}`.",
        ]),
        {"challenge_id": challenge_id, "phase": phase, "merkle_root": root.record.merkle_root,
         "bond": str(rules.dispute_bond), "reason_cid": reason_cid, "disputer": done.disputer,
         "arbiter": root.arbiter, "arbiter_deadline": done.arbiter_deadline,
         "tx_hash": done.tx_hash},
    )  # fmt: skip


def _reason(reason: str | None, reason_file: Path | None) -> bytes:
    if (reason is None) == (reason_file is None):
        raise click.UsageError("give the reason with --reason TEXT or --reason-file PATH (one)")
    data = reason.encode() if reason is not None else Path(str(reason_file)).read_bytes()
    if not data.strip():
        raise click.UsageError("the reason is empty: say what is wrong with the root")
    if len(data) > MAX_REASON_BYTES:
        raise click.UsageError(
            f"the reason is {len(data)} bytes; keep it under 1 MiB (put large evidence on IPFS "
            "and cite its CID)"
        )
    return data


@rewards.command("resolve", short_help="Uphold or reject a dispute, as the arbiter.")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.argument("phase", type=int)
@click.option("--uphold", "decision", flag_value="uphold",
              help="The dispute is right: void the root; the disputer's bond goes back to "
              "the disputer.")  # fmt: skip
@click.option("--reject", "decision", flag_value="reject",
              help="The root is right: it stands; the disputer's bond goes to the challenge's "
              "owner.")  # fmt: skip
@chain_options
def resolve_cmd(challenge_id: int, phase: int, decision: str | None, **options: Any) -> None:
    """Decide the open dispute of the rewards root of CHALLENGE's PHASE, as its arbiter.

    Who: the arbiter named when the challenge was created (`coop challenge status` shows
    it), within 7 days of the dispute; after that the dispute can only lapse
    (`coop rewards lapse`) and the root stands. Read the disputer's reason first: its CID
    is in the dispute's RewardsDisputed event, and the API lists it under
    /v1/challenges/CHALLENGE/rewards.

    \b
    --uphold  the dispute is right. The root is voided: nobody can claim under it, its
              total goes back to the escrow, and the oracles post a corrected root (with a
              new dispute window). The disputer's bond is credited back to the disputer.
    --reject  the root is right. It stands: claims open at the end of its original dispute
              window (at once if that has passed). The disputer's bond is credited to the
              challenge's owner.

    Credited bonds are paid out by `coop rewards withdraw-bonds`.

    \b
    Examples:
      $ coop rewards resolve 1 0 --reject --account arbiter
      $ coop rewards resolve 1 0 --uphold --account arbiter --json
    """
    if decision is None:
        raise click.UsageError("decide with --uphold (void the root) or --reject (it stands)")
    ctx = ChainContext.from_options(**options)
    say = progress(ctx)
    arbiter = ctx.sender
    root = plan_resolution(ctx.platform, arbiter.address, challenge_id, phase)
    uphold = decision == "uphold"
    if uphold:
        say(
            f"upholding: the root {root.record.merkle_root} will be voided and the bond of "
            f"{ether_text(root.record.dispute_bond)} credited to the disputer "
            f"{root.record.disputer}"
        )
    else:
        say(
            f"rejecting: the root {root.record.merkle_root} stands and the bond of "
            f"{ether_text(root.record.dispute_bond)} goes to the owner {root.rules.owner}"
        )
    done = send_resolution(ctx.platform, arbiter, root, uphold)
    _settled(ctx, done)


@rewards.command("lapse", short_help="End a dispute the arbiter left undecided.")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.argument("phase", type=int)
@chain_options
def lapse_cmd(challenge_id: int, phase: int, **options: Any) -> None:
    """End a dispute of the rewards root of CHALLENGE's PHASE that the arbiter left undecided.

    Who: anyone, once the arbiter's deadline (7 days after the dispute) has passed with the
    root still disputed; before that the command says until when the arbiter may decide.
    The root stands, as if the dispute had been rejected (claims open at the end of its
    original dispute window), and the disputer's bond is credited back to the disputer
    (the arbiter, not the disputer, failed to act): `coop rewards withdraw-bonds`.

    \b
    Examples:
      $ coop rewards lapse 1 0 --account alice
      $ coop rewards lapse 1 0 --account alice --json
    """
    ctx = ChainContext.from_options(**options)
    root = plan_lapse(ctx.platform, challenge_id, phase)
    deadline = time_text(root.record.arbiter_deadline, root.now)
    progress(ctx)(f"the arbiter's deadline passed at {deadline}: lapsing the dispute")
    _settled(ctx, send_lapse(ctx.platform, ctx.sender, root))


def _settled(ctx: ChainContext, done: Settled) -> None:
    root = done.root
    where = f"challenge {root.challenge_id} phase {root.phase}"
    now = chain_now(ctx.platform)
    claims = (f"claims open {time_text(root.record.claimable_at, now)}"
              if now < root.record.claimable_at else "claims are open")  # fmt: skip
    headline = {
        "upheld": f"Upheld the dispute of the rewards root of {where}: the root is voided; "
                  "the oracles post a corrected one.",
        "rejected": f"Rejected the dispute of the rewards root of {where}: the root stands; "
                    f"{claims}.",
        "lapsed": f"The dispute of the rewards root of {where} lapsed (the arbiter did not "
                  f"decide in time): the root stands; {claims}.",
    }[done.outcome]  # fmt: skip
    ctx.emit(
        "\n".join([
            headline,
            f"  root:  {root.record.merkle_root}",
            f"  bond:  {ether_text(done.bond)} credited to {done.bond_to} "
            "(who withdraws it with `coop rewards withdraw-bonds`)",
            f"  tx:    {done.tx_hash}",
        ]),
        {"challenge_id": root.challenge_id, "phase": root.phase, "outcome": done.outcome,
         "merkle_root": root.record.merkle_root, "bond": str(done.bond),
         "bond_to": done.bond_to, "claimable_at": root.record.claimable_at,
         "tx_hash": done.tx_hash},
    )  # fmt: skip


@rewards.command("withdraw-bonds", short_help="Withdraw the dispute bonds credited to you.")
@chain_options
def withdraw_bonds_cmd(**options: Any) -> None:
    """Withdraw the dispute bonds credited to your account, in ETH.

    A bond is credited to the disputer when the arbiter upholds the dispute or lets it
    lapse, and to the challenge's owner when the arbiter rejects it; credits from every
    challenge add up and are paid in one transaction. Says how much, or that nothing is
    owed (exit status 2).

    \b
    Examples:
      $ coop rewards withdraw-bonds --account carol
      $ coop rewards withdraw-bonds --account owner --json
    """
    ctx = ChainContext.from_options(**options)
    sender = ctx.sender
    progress(ctx)(f"{ether_text(bond_credit(ctx.platform, sender.address))} is credited to "
                   f"{sender.address}: withdrawing it")  # fmt: skip
    done = withdraw_bonds(ctx.platform, sender)
    ctx.emit(
        f"Withdrew {ether_text(done.amount)} of dispute bonds to {done.account} "
        f"(tx {done.tx_hash}).",
        {"account": done.account, "amount": str(done.amount), "tx_hash": done.tx_hash},
    )


@rewards.command("show", short_help="Show a phase's rewards root, its dispute and the reason.")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.argument("phase", type=int)
@chain_options
def show_cmd(challenge_id: int, phase: int, **options: Any) -> None:
    """Show the rewards root of CHALLENGE's PHASE: what it pays, where it stands, and, when
    it was disputed, who disputed it, their bond and their reason (fetched from IPFS and
    checked against its CID). What an arbiter reads before `coop rewards resolve`; needs no
    account.

    \b
    Examples:
      $ coop rewards show 1 0
      $ coop rewards show 1 0 --json
    """
    ctx = ChainContext.from_options(**options)
    view = view_dispute(ctx.platform, ctx.content_store, challenge_id, phase)
    root, record, d = view.root, view.root.record, view.dispute
    now, arbiter = root.now, root.arbiter
    if record.state == RootState.DISPUTED:
        state = (
            f"disputed: the arbiter {arbiter} decides by "
            f"{time_text(record.arbiter_deadline, now)}; after that anyone may end the "
            f"dispute with `coop rewards lapse {challenge_id} {phase}` (the root stands)"
        )
    elif record.state == RootState.VOIDED:
        state = "voided by the arbiter: the oracles post a corrected root"
    elif now < record.claimable_at:
        state = (
            f"posted: anyone may dispute it until {time_text(record.claimable_at, now)}, "
            "then claims open"
        )
    else:
        state = f"standing: claims are open (since {time_text(record.claimable_at, now)})"
    if record.state != RootState.DISPUTED and d is not None and record.state != RootState.VOIDED:
        state += "; its dispute was rejected or lapsed"
    lines = [
        f"Rewards root of {root.where}: {record.merkle_root} (seq {record.seq})",
        f"  pays:    {tokens(record.total)} tokens (report {view.report_cid})",
        f"  state:   {state}",
    ]
    if d is not None:
        lines.append(f"  dispute: by {d.disputer}, bond {ether_text(d.bond)}, block {d.block}")
        if view.reason is not None:
            lines.append(f"  reason ({d.reason_cid}):")
            lines += [f"    | {line}" for line in view.reason.splitlines() or [""]]
        else:
            lines.append(f"  reason:  {view.reason_note}")
    if record.state == RootState.DISPUTED:
        lines.append(
            f"  next:    the arbiter decides: coop rewards resolve {challenge_id} "
            f"{phase} --uphold | --reject --account <arbiter>"
        )
    ctx.emit("\n".join(lines), {
        "challenge_id": challenge_id, "phase": phase, "merkle_root": record.merkle_root,
        "seq": record.seq, "total": str(record.total), "report_cid": view.report_cid,
        "state": record.state.label,
        "claimable_at": record.claimable_at, "arbiter": arbiter,
        "arbiter_deadline": record.arbiter_deadline if d is not None else None,
        "dispute": None if d is None else {
            "disputer": d.disputer, "bond": str(d.bond), "reason_cid": d.reason_cid,
            "block": d.block, "reason": view.reason, "reason_note": view.reason_note or None},
    })  # fmt: skip
