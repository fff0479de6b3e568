"""The demo's closing tables: both leaderboards (the private one with its 95% intervals and
tie groups), the rewards with fork pass-through, the audits, the next sprint."""

import json

from eth_account import Account

from oracle.chain.platform import Platform
from oracle.devnet.demo import DemoResult
from oracle.errors import CoopError
from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import BoardEntry, private_board, public_board, score_text
from oracle.ledger.replay import read_ledger
from oracle.ledger.ties import TiedEntry, phase_spec, private_ties
from oracle.status import Status

TOKEN = 10**18


def demo_tables(platform: Platform, store: ContentStore, result: DemoResult,
                participants: dict[str, str]) -> str:  # fmt: skip
    names = {Account.from_key(k).address: n for n, k in participants.items()}
    ledger = read_ledger(platform)
    challenge = ledger.challenge(result.challenge_id)
    models = {e.submission_id: e.model for e in result.entries}
    out = ["", "Submissions:"]
    for entry in result.entries:
        s = ledger.submissions[entry.submission_id]
        status = Status(s.score.status).name if s.score else "not scored"
        out.append(f"  #{entry.submission_id} {entry.name:6} {status:12} {entry.model}")

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
    return "\n".join(out)


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
