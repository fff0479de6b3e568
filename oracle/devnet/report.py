"""The demo's closing tables: the submissions with their licences, the team, both
leaderboards (the private one with its 95% intervals and tie groups), the rewards with fork
pass-through and near-copies credited, the audits, the next sprint and its board."""

import json

from eth_account import Account

from oracle.chain.platform import Platform
from oracle.chain.teams import read_team
from oracle.devnet.demo import DemoResult
from oracle.errors import CoopError
from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import BoardEntry, private_board, public_board, score_text
from oracle.ledger.licences import licence_source, read_licence
from oracle.ledger.model import Ledger, Phase
from oracle.ledger.replay import read_ledger
from oracle.ledger.ties import TiedEntry, phase_spec, private_ties
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec
from oracle.status import Status
from oracle.types import PPM

TOKEN = 10**18


def demo_tables(platform: Platform, store: ContentStore, result: DemoResult,
                participants: dict[str, str]) -> str:  # fmt: skip
    names = {Account.from_key(k).address: n for n, k in participants.items()}
    ledger = read_ledger(platform)
    challenge = ledger.challenge(result.challenge_id)
    everyone = [*result.entries, *result.code_entries, *result.sprint_entries]
    models = {e.submission_id: e.model for e in everyone}
    out = ["", "Submissions (status, licence):"]
    for entry in everyone:
        s = ledger.submissions[entry.submission_id]
        status = Status(s.score.status).name if s.score else "not scored"
        where = "" if s.challenge_id == result.challenge_id else (
            f"  (challenge {s.challenge_id}, phase {s.phase})")  # fmt: skip
        licence = _licence(ledger, store, entry.submission_id)
        out.append(f"  #{entry.submission_id} {entry.name:6} {status:15} {licence:13} "
                   f"{entry.model}{where}")  # fmt: skip
    if result.team is not None:
        team_id, members = result.team
        team = read_team(platform, team_id)
        held = zip(team.members, team.shares_ppm, strict=True)
        shares = ", ".join(f"{names.get(m, m)} {share * 100 / PPM:g}%" for m, share in held)
        state = "formed" if team.formed else "not formed"
        out.extend(["", f"Team {team_id} on challenge {team.challenge_id} ({state}): {shares}; "
                        "its members claim their own shares of what the team earns:"])  # fmt: skip
        out += [f"  {n:6} claimed {result.claimed.get(n, 0) / TOKEN:,.2f} COOP" for n in members]

    def board(title: str, entries: list[BoardEntry], ties: dict[int, TiedEntry]) -> None:
        out.extend(["", title])
        for e in entries:
            tied = ties.get(e.submission_id)
            interval = "" if tied is None else (
                f"  [{score_text(tied.interval.low)}, {score_text(tied.interval.high)}]"
                f"  tie group {tied.tie_group}")  # fmt: skip
            out.append(f"  {e.rank}. {names.get(e.participant, e.participant):6} "
                       f"{score_text(e.score):>8}{interval}  #{e.submission_id} "
                       f"{models.get(e.submission_id, '')}")  # fmt: skip

    board(
        "Public leaderboard (RMSE on the public rows, on the eta grid; lower is better):",
        public_board(ledger, challenge, 0),
        {},
    )
    try:
        tied = {t.entry.submission_id: t for t in private_ties(ledger, challenge, 0, store)}
        shared_prizes = phase_spec(store, challenge, 0).ties.share_prizes
        note = _ties_text(list(tied.values()), names, shared_prizes)
    except CoopError as exc:
        tied, note = {}, f"  (no intervals: {exc})"
    board("Private leaderboard (decides the prizes), with each score's 95% bootstrap interval "
          "and its tie group (`coop leaderboard --private` shows the same):",
          private_board(ledger, challenge, 0), tied)  # fmt: skip
    out.append(note)
    if challenge.roots:
        root = challenge.roots[-1]
        report = json.loads(store.cat(root.report_cid))
        out.extend(["", f"Rewards (root 0x{root.merkle_root.hex()[:16]}…, total "
                        f"{root.total / TOKEN:,.2f} COOP, report {root.report_cid}):"])  # fmt: skip
        for award in report["submissions"]:
            who = names.get(award["submitter"], award["submitter"])
            line = (f"  #{award['submission_id']} {who:6} improvement "
                    f"{int(award['improvement_award']) / TOKEN:>9,.2f}  prize "
                    f"{int(award['prize_award']) / TOKEN:>9,.2f}  final "
                    f"{int(award['final']) / TOKEN:>9,.2f}")  # fmt: skip
            out.append(line)
            for p in award["passes"]:
                parent = names.get(p["parent_submitter"], p["parent_submitter"])
                out.append(f"      passes {int(p['amount']) / TOKEN:,.2f} COOP to parent "
                           f"#{p['parent_id']} ({parent})")  # fmt: skip
        for account in report["accounts"]:
            if int(account["total"]) == 0:
                continue
            who = names.get(account["account"], account["account"])
            reviews = int(account["from_reviews"]) / TOKEN
            out.append(f"  {who:6} is owed {int(account['total']) / TOKEN:>9,.2f} COOP"
                       f"  (of which reviews {reviews:,.2f})")  # fmt: skip
    if result.near_copies:
        out.extend(["", "Near-copies (a later submission too close to an earlier one by "
                        "another participant, naming no parent):"])  # fmt: skip
        out += [f"  {line}" for line in result.near_copies]
    if result.claimed:
        out.append("")
        out += [f"  {n:6} claimed {a / TOKEN:,.2f} COOP" for n, a in result.claimed.items()]
    if result.refunded is not None:
        out.append(f"  the owner took back {result.refunded / TOKEN:,.2f} COOP (the refund)")
    if result.audit is not None:
        verdict = "PASSED" if result.audit.ok else "FAILED"
        checked = ", ".join(f"{n} {w}" for w, n in sorted(result.audit.checked.items()))
        out.extend(["", f"Audit {verdict}: {checked}"])
        out += [f"  - {f}" for f in result.audit.findings]
    if result.code_audit is not None:
        code = result.code_audit
        verdict = "PASSED" if result.passed else "FAILED"
        reran = ", ".join(f"#{e.submission_id} ({e.name})" for e in result.code_entries)
        out.append(f"Audit of challenge {code.challenge_id} (code) {verdict}: reran {reran} from "
                   f"their receipts on the revealed test features, {code.checked['reruns']} "
                   "gave the receipt's predictions and score")  # fmt: skip
        out += [f"  - {f}" for f in [*code.findings, *code.unchecked]]
    if result.sprint is not None:
        out.extend(["", f"Next sprint: {result.sprint.describe()}. The web app's timeline (the "
                        f"challenge page) shows the change; `coop challenge status "
                        f"{result.sprint.published.challenge_id}` says the same."])  # fmt: skip
    if result.played is not None:
        played, merit = result.played, result.played.status.merit
        out.append(f"Played: {played.describe(names)}.")
        board(f"Phase {played.status.phase.index}'s public leaderboard ({merit.metric} on the "
              f"public rows; {merit.direction} is better):", list(played.board), {})  # fmt: skip
    return "\n".join(out)


def _licence(ledger: Ledger, store: ContentStore, submission_id: int) -> str:
    """The submission's licence: its artifact's manifest's, else its phase's default."""

    def spec_of(phase: Phase) -> ChallengeSpec:
        return load_spec(store.cat(phase.spec_cid, max_bytes=SPEC_MAX_BYTES))

    try:
        return read_licence(store, licence_source(ledger, ledger.submissions[submission_id],
                                                  spec_of))  # fmt: skip
    except CoopError as exc:
        return f"(unknown: {exc})"


def _ties_text(tied: list[TiedEntry], names: dict[str, str], shared_prizes: bool) -> str:
    """Which entries are statistically tied (groups of two or more), in words."""
    groups: dict[int, list[str]] = {}
    for t in tied:
        who = names.get(t.entry.participant, t.entry.participant)
        groups.setdefault(t.tie_group, []).append(f"#{t.entry.submission_id} ({who})")
    shared = {group: members for group, members in groups.items() if len(members) > 1}
    if not shared:
        return "  No two entries are tied: each interval clears the one heading the group above."
    prizes = ("tied entries share their prizes equally" if shared_prizes else
              "the spec does not share prizes within ties, so prizes follow the ranks")  # fmt: skip
    said = "; ".join(f"tie group {g}: {', '.join(m)}" for g, m in sorted(shared.items()))
    return (f"  Statistically tied (intervals overlapping their group's first entry's): {said} "
            f"({prizes}).")  # fmt: skip
