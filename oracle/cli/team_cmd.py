"""`coop team propose|join|show`: teams for a challenge, consented on chain by every member."""

from dataclasses import asdict
from typing import Any

import click

from oracle.chain.teams import join_team, parse_member, propose_team, read_team
from oracle.cli.context import ChainContext, chain_options


@click.group("team")
def team() -> None:
    """Form a team for a challenge: one shared daily cap, rewards split by agreed shares."""


@team.command("propose")
@click.argument("challenge_id", metavar="CHALLENGE", type=int)
@click.option("--member", "members", multiple=True, required=True, metavar="ADDRESS:PERCENT",
              help="A member and its share of the team's rewards; repeat for each member, "
              "yourself included (2 to 8, shares adding up to 100).")  # fmt: skip
@chain_options
def propose(challenge_id: int, members: tuple[str, ...], **options: Any) -> None:
    """Propose a team for CHALLENGE; you consent by proposing, the others with `coop team join`.

    To merge formed teams, list every member of each (and any individuals): once all
    consent, the new team takes their caps over and the old teams retire.

    \b
    Examples:
      $ coop team propose 1 --member 0x7099...79C8:60 --member 0x3C44...93BC:40 --account alice
    """
    ctx = ChainContext.from_options(**options)
    team_id = propose_team(
        ctx.platform, ctx.sender, challenge_id, [parse_member(m) for m in members]
    )
    ctx.emit(f"Proposed team {team_id} for challenge {challenge_id}; each other member now "
             f"sends `coop team join {team_id}`", {"team_id": team_id})  # fmt: skip


@team.command("join")
@click.argument("team_id", metavar="TEAM", type=int)
@chain_options
def join(team_id: int, **options: Any) -> None:
    """Consent to TEAM; the last member's consent forms it.

    Forming is refused while the members' commits so far (their teams' for members of
    formed teams) exceed the daily cap times the days since the challenge opened (a merge
    cannot add submissions).

    \b
    Examples:
      $ coop team join 1 --account bob
    """
    ctx = ChainContext.from_options(**options)
    consent = join_team(ctx.platform, ctx.sender, team_id)
    state = "waiting for the others"
    if consent.formed:
        state = "formed: its members now share one daily cap"
    if consent.merged:
        state += "; it took over team " + " and team ".join(str(t) for t in consent.merged)
    ctx.emit(f"Joined team {team_id}; {state} (tx {consent.tx_hash})",
             {"team_id": team_id, "formed": consent.formed, "merged": list(consent.merged),
              "tx_hash": consent.tx_hash})  # fmt: skip


@team.command("show")
@click.argument("team_id", metavar="TEAM", type=int)
@chain_options
def show(team_id: int, **options: Any) -> None:
    """Show TEAM's challenge, members, shares and whether every member consented (or the
    team was merged into a newer one)."""
    ctx = ChainContext.from_options(**options)
    t = read_team(ctx.platform, team_id)
    state = "formed" if t.formed else "waiting for consents"
    if t.merged_into is not None:
        state = f"merged into team {t.merged_into}"
    lines = [f"Team {t.team_id} (challenge {t.challenge_id}): {state}"]
    lines += [f"  {m}  {s / 10_000:g}%" for m, s in zip(t.members, t.shares_ppm, strict=True)]
    ctx.emit("\n".join(lines), asdict(t))
