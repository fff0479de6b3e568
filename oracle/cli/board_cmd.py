"""`coop leaderboard` and `coop profile`: what the ledger says about a challenge or a person."""

from dataclasses import dataclass
from pathlib import Path

import click

from oracle.cli.context import ChainContext, chain_options, tokens
from oracle.cli.rank_changes_text import changes_json, changes_text
from oracle.errors import CoopError
from oracle.ledger.boards import (
    BoardEntry,
    private_board,
    private_opened,
    profile,
    public_board,
    score_text,
)
from oracle.ledger.licences import SpecReader, shown_licence
from oracle.ledger.model import Challenge, Ledger, Phase, RootStanding, team_submissions, teams_of
from oracle.ledger.rank_changes import ledger_changes
from oracle.ledger.replay import read_ledger
from oracle.ledger.ties import TiedEntry, private_ties
from oracle.rewards.published import PendingRoot, fetch_report
from oracle.types import plural


@click.command()
@click.argument("challenge_id", type=int)
@click.option(
    "--private",
    "private",
    is_flag=True,
    help="The private boards (opened after each phase ends; they decide prizes).",
)
@click.option("--phase", type=int, default=None, help="Only this phase's board [every phase].")
@click.option(
    "--changes",
    is_flag=True,
    help="Instead of the boards: every submission whose rank or status a correction of the "
    "phase's scorer or labels changed (old -> new).",
)
@chain_options
def leaderboard(challenge_id: int, private: bool, phase: int | None, changes: bool,
                config: Path | None, rpc_url: str | None, deployment: Path | None,
                account: str | None, as_json: bool) -> None:  # fmt: skip
    """Show a challenge's leaderboard, best first, read from the chain's events.

    Each phase is scored on its own holdout split, so each has its own boards: every
    phase's is shown, titled with its phase, or only --phase N's. A public
    board holds each participant's released best of that phase: the oracles round public
    scores to the challenge's eta grid and a best only moves by at least eta (the Ladder),
    so the board cannot be climbed by probing the public rows. A formed team shows once,
    as its members' best, labelled "team N (members)". A private board appears
    once the phase's private scores are opened; once the holdout is revealed too, each
    entry shows the 95% bootstrap interval of its score and its tie group (1 = tied with
    the leader), recomputed here from the labels and artifacts on IPFS.

    With --changes, each phase lists instead every submission whose rank or status
    changed when the owner last corrected its scorer or labels (old -> new), ranked by
    the score that decides prizes (private once opened, else public).

    
    Examples:
      coop leaderboard 1
      coop leaderboard 1 --phase 0
      coop leaderboard 1 --private --json
      coop leaderboard 1 --phase 0 --changes
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    ledger = read_ledger(ctx.platform)
    challenge = ledger.challenge(challenge_id)
    if phase is not None and not 0 <= phase < len(challenge.phases):
        raise CoopError(
            f"challenge {challenge_id} has no phase {phase} (its phases: 0 to "
            f"{len(challenge.phases) - 1}); leave out --phase to see every phase"
        )
    chosen = range(len(challenge.phases)) if phase is None else [phase]
    if changes:
        found = [ledger_changes(ledger, challenge, p) for p in chosen]
        ctx.emit("\n\n".join(changes_text(challenge_id, c) for c in found), {
            "challenge_id": challenge_id, "phases": [changes_json(c) for c in found],
        })  # fmt: skip
        return
    licences = _Licences(ctx, ledger)
    boards = [_phase_board(ctx, ledger, challenge, p, private, licences) for p in chosen]
    ctx.emit("\n\n".join(b.text for b in boards), {
        "challenge_id": challenge_id, "private": private,
        "boards": [b.as_json() for b in boards],
    })  # fmt: skip


@dataclass(frozen=True)
class PhaseBoard:
    phase: int
    opened: bool
    entries: list[BoardEntry]
    text: str
    ties: dict[int, TiedEntry]  # submission id -> interval and tie group (private boards)
    licences: dict[int, str]  # submission id -> SPDX licence, where it can be read
    ties_note: str | None = None  # why a private board has no intervals

    def as_json(self) -> dict[str, object]:
        return {
            "phase": self.phase, "opened": self.opened,
            "entries": [{**_entry_json(e), **_tie_json(self.ties.get(e.submission_id)),
                         "licence": self.licences.get(e.submission_id)}
                        for e in self.entries],
            "intervals_note": self.ties_note,
        }  # fmt: skip


def _entry_json(e: BoardEntry) -> dict[str, object]:
    found: dict[str, object] = {
        "rank": e.rank, "participant": e.participant, "submission_id": e.submission_id,
        "score": score_text(e.score), "score_wad": str(e.score),
    }  # fmt: skip
    if e.team is not None:  # rows of participants outside teams keep their keys
        found |= {"team_id": e.team.team_id, "members": list(e.team.members)}
    return found


def _tie_json(tied: TiedEntry | None) -> dict[str, object]:
    if tied is None:
        return {}
    low, high = tied.interval.low, tied.interval.high
    return {"interval": [score_text(low), score_text(high)],
            "interval_wad": [str(low), str(high)], "tie_group": tied.tie_group}  # fmt: skip


class _Licences:
    """Each board entry's licence, read from its artifact (oracle/ledger/licences.py)."""

    def __init__(self, ctx: ChainContext, ledger: Ledger) -> None:
        self.ledger, self.store = ledger, ctx.content_store
        self.specs = SpecReader(ctx.content_store)

    def of(self, entries: list[BoardEntry]) -> dict[int, str]:
        found = {e.submission_id: shown_licence(self.ledger, self.store,
                                                self.ledger.submissions[e.submission_id],
                                                self.specs) for e in entries}  # fmt: skip
        return {sid: licence.spdx for sid, licence in found.items() if licence is not None}


def _phase_board(ctx: ChainContext, ledger: Ledger, challenge: Challenge, phase: int,
                 private: bool, licences: _Licences) -> PhaseBoard:  # fmt: skip
    cid = challenge.challenge_id
    ties: dict[int, TiedEntry] = {}
    note = None
    if private:
        opened = private_opened(ledger, challenge, phase)
        entries = private_board(ledger, challenge, phase) if opened else []
        title = f"Private leaderboard, challenge {cid} phase {phase}"
        empty = "Not opened yet: private scores are opened after the phase's reveal end."
        if entries:
            try:
                ties = {t.entry.submission_id: t for t in
                        private_ties(ledger, challenge, phase, ctx.content_store)}  # fmt: skip
            except CoopError as exc:
                note = f"no intervals: {exc}"
    else:
        opened, entries = True, public_board(ledger, challenge, phase)
        title = f"Public leaderboard, challenge {cid} phase {phase}"
        empty = "No scores yet: the oracles post them shortly after each reveal."
    spdx = licences.of(entries)
    text = _board_text(title, challenge.phases[phase], entries, empty, ties, spdx, note)
    return PhaseBoard(phase, opened, entries, text, ties, spdx, note)


def _board_text(title: str, rules: Phase, entries: list[BoardEntry], empty: str,
                ties: dict[int, TiedEntry], licences: dict[int, str],
                note: str | None) -> str:  # fmt: skip
    direction = "higher" if rules.higher_is_better else "lower"
    lines = [title, f"baseline {score_text(rules.baseline)}, target "
             f"{score_text(rules.target)} ({direction} is better)"]  # fmt: skip
    if not entries:
        return "\n".join([*lines, empty])
    header = f"{'rank':>4}  {'participant':42}  {'submission':>10}  score"
    if ties:
        header += "  95% interval  tie group"
    lines.append(header + "  licence")
    for e in entries:
        line = f"{e.rank:>4}  {e.label:42}  {e.submission_id:>10}  {score_text(e.score)}"
        tied = ties.get(e.submission_id)
        if tied is not None:
            low, high = score_text(tied.interval.low), score_text(tied.interval.high)
            line += f"  [{low}, {high}]  {tied.tie_group}"
        lines.append(f"{line}  {licences.get(e.submission_id, '?')}")
    if ties:
        lines.append("Entries with the same tie group are statistically tied (their 95% "
                     "intervals overlap the group's first entry's).")  # fmt: skip
    if note:
        lines.append(note)
    return "\n".join(lines)


@click.command("profile")
@click.argument("address", required=False)
@chain_options
def profile_cmd(address: str | None, config: Path | None, rpc_url: str | None,
                deployment: Path | None, account: str | None, as_json: bool) -> None:  # fmt: skip
    """Show someone's contributions: submissions (with forks), improvements, reviews, claims.

    ADDRESS defaults to your account (--account / COOP_ACCOUNT).

    \b
    Examples:
      coop profile 0x70997970C51812dc3A010C7d01b50e0d17dc79C8
      coop profile --account alice --json
    """
    ctx = ChainContext.from_options(config, rpc_url, deployment, account, as_json)
    if address is None:
        if ctx.settings.account is None and ctx.settings.private_key is None:
            raise CoopError("say whose profile: pass an ADDRESS or --account NAME")
        address = ctx.own_address()
    ledger = read_ledger(ctx.platform)
    found = profile(ledger, address)
    lines = [f"Profile of {found.address}"]
    lines.append(f"submissions: {len(found.submissions)}")
    for view in found.submissions:
        s = view.submission
        forks = f", builds on {list(s.reveal.parents)}" if s.reveal and s.reveal.parents else ""
        kids = f", built on by {list(view.children)}" if view.children else ""
        lines.append(f"  #{s.submission_id} challenge {s.challenge_id}: {view.status}{forks}{kids}")
    lines.append(f"improvements of a public best: {len(found.improvements)}")
    lines += [f"  #{i.submission_id}: {score_text(i.previous_best)} -> {score_text(i.score)}"
              for i in found.improvements]  # fmt: skip
    lines.append(f"reviews: {len(found.reviews)}")
    teams = teams_of(ledger, found.address)
    lines.append(f"teams: {len(teams)}")
    for t, share in teams:
        work = [s.submission_id for s in team_submissions(ledger, t)]
        state = ("waiting for consents" if t.formed_block is None else "formed"
                 if t.merged_into is None else f"merged into team {t.merged_into}")  # fmt: skip
        done = plural(len(work), "submission")
        lines.append(f"  team {t.team_id} challenge {t.challenge_id} ({state}): share "
                     f"{share / 10_000:g}%, {done} by the team {work}")  # fmt: skip
    owed, pooled = owed_rewards(ctx, ledger, found.address)
    claimed = {(c.challenge_id, c.phase) for c in found.claims}
    lines.append(f"rewards given by posted roots: {tokens(sum(owed.values()))} COOP")
    for (c, p), a in owed.items():
        state = "claimed" if (c, p) in claimed else f"to claim: coop claim {c} --phase {p}"
        lines.append(f"  challenge {c} phase {p}: {tokens(a)} ({state})")
        if (c, p) in pooled:
            lines.append(f"    {pooled[(c, p)]}")
    lines.append(f"claimed: {tokens(found.claimed_total)} COOP in "
                 f"{plural(len(found.claims), 'claim')}")  # fmt: skip
    ctx.emit("\n".join(lines), {
        "address": found.address,
        "submissions": [
            {"submission_id": v.submission.submission_id,
             "challenge_id": v.submission.challenge_id, "status": v.status,
             "parents": list(v.submission.reveal.parents) if v.submission.reveal else [],
             "children": list(v.children)}
            for v in found.submissions
        ],
        "improvements": [
            {"submission_id": i.submission_id, "from": score_text(i.previous_best),
             "to": score_text(i.score)} for i in found.improvements
        ],
        "reviews": [{"submission_id": r.submission_id, "verdict": r.verdict}
                    for r in found.reviews],
        "teams": [{"team_id": t.team_id, "challenge_id": t.challenge_id,
                   "formed": t.formed_block is not None, "merged_into": t.merged_into,
                   "share_ppm": s,
                   "members": list(t.members),
                   "submissions": [x.submission_id for x in team_submissions(ledger, t)]}
                  for t, s in teams],
        "owed": [{"challenge_id": c, "phase": p, "amount": str(a),
                  "claimed": (c, p) in claimed, **({"team": pooled[(c, p)]}
                                                   if (c, p) in pooled else {})}
                 for (c, p), a in owed.items()],
        "claims": [{"challenge_id": c.challenge_id, "phase": c.phase, "amount": str(c.amount)}
                   for c in found.claims],
    })  # fmt: skip


def owed_rewards(
    ctx: ChainContext, ledger: Ledger, address: str
) -> tuple[dict[tuple[int, int], int], dict[tuple[int, int], str]]:
    """What the live rewards roots give `address`: their reports fetched from IPFS and
    checked against the roots on chain, as the indexer and `coop claim` check them; and,
    where `address` was paid as a team member, how its part came out of the team's pool."""
    owed: dict[tuple[int, int], int] = {}
    pooled: dict[tuple[int, int], str] = {}
    for challenge in ledger.challenges.values():
        for root in challenge.roots:
            if root.state is RootStanding.VOIDED:
                continue
            posted = PendingRoot(challenge.challenge_id, root.seq, root.phase,
                                 "0x" + root.merkle_root.hex(), root.total, root.report_cid,
                                 root.block)  # fmt: skip
            outcome = fetch_report(ctx.content_store, posted)
            if outcome.report is None:
                click.echo(f"note: the rewards of challenge {challenge.challenge_id} phase "
                           f"{root.phase} are not shown: {outcome.detail}", err=True)  # fmt: skip
                continue
            where = (challenge.challenge_id, root.phase)
            for leaf in outcome.report.leaves:
                if leaf.account.lower() == address.lower():
                    owed[where] = leaf.amount
            for team in outcome.report.teams:
                for part in team.members:
                    if part.account.lower() == address.lower():
                        pooled[where] = (
                            f"team {team.team_id}'s pool {tokens(team.pool)} split by shares: "
                            f"{part.share_ppm / 10_000:g}% of it (this account earned "
                            f"{tokens(part.earned)} itself)"
                        )
    return owed, pooled
