"""The demo's story: one challenge's whole life with simulated participants and real models.

Five participants train scikit-learn models on the diabetes example and submit; one
forks two others (a blend of their predictions); there are reviews and one invalid file.
Beside it, a second challenge on the same data takes code on hidden test features (only
the oracles hold them until the holdout reveal): ada submits a program (a folder with
main.py) and ben forks it with a changed model; each oracle runs both in its sandbox and
they post the scores with a receipt each. The oracles (real `coop oracle run` processes,
started by the caller) score everything; the phase ends, the private scores are opened,
the owner reveals the holdouts (the code challenge's with its test features), the oracles
post the rewards root, everyone claims, the owner takes back what no root allocated, and
an audit replays the lot, rerunning the code submissions from their receipts. The code
challenge then goes on in sprints: its owner announces a next phase judged by MAE with a new
baseline and target (sprint.py); on anvil the demo moves the clock past the notice period,
ada and ben submit their programs into the new phase, the oracles score them under MAE and
the demo prints the new phase's board and what changed (geth's clock cannot be moved past
the contracts' one-day minimum notice, so there the demo ends at the announcement).

Issue 16's pieces are in the same story: ben and dev form a team before they submit (one
daily cap, the rewards split by their shares), eve submits ada's predictions with a little
noise naming no parent (a near-copy the rewards credit to ada as a fork,
near_copy_story.py), and on the code challenge ada's program is under Apache-2.0 and ben's
fork of it under GPL-3.0-only (licence_demo.py).
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from web3 import Web3

from oracle.audit.findings import AuditReport
from oracle.audit.run import audit_challenge
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.challenges import reveal_holdout
from oracle.chain.dev_chains import is_anvil, is_dev_chain
from oracle.chain.holdout_reveal import HoldoutAlreadyRevealed, reveal_stored_holdout
from oracle.chain.platform import Platform
from oracle.chain.publish import PublishOptions, dev_arbiter
from oracle.chain.refunds import check_refundable, refund_remainder
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.chain.teams import form_team
from oracle.devnet.chain import reach_chain_time
from oracle.devnet.licence_demo import LicensedPair, submit_two_licences
from oracle.devnet.models import REGRESSION_MODELS, TaskData, blend, predictions_csv
from oracle.devnet.near_copy_story import credited_copies, disguised_copy
from oracle.devnet.seed import SeededChallenge, code_spec, seed_example
from oracle.devnet.services import runtime_dir
from oracle.devnet.sprint import PlayedSprint, Sprint, announce_next_sprint, played_sprint
from oracle.errors import ConfigError, CoopError
from oracle.ipfs.store import ContentStore
from oracle.ledger.model import Ledger
from oracle.ledger.replay import read_ledger
from oracle.scoring.score_report import read_report, score_report_cid
from oracle.types import PPM

EXAMPLE = "diabetes-regression"
EXAMPLE_CODE = REPO_ROOT / "examples" / "code" / "diabetes-ridge"
BOUNTY = 10_000 * 10**18
OWNER_KEY = ANVIL_KEYS[0]
PARTICIPANTS = {  # name → anvil development key
    "ada": ANVIL_KEYS[1],
    "ben": ANVIL_KEYS[2],
    "chloe": ANVIL_KEYS[3],
    "dev": ANVIL_KEYS[4],
    "eve": ANVIL_KEYS[5],
}
ORACLE_KEYS = ANVIL_KEYS[7:10]
TEAM = (("ben", 600_000), ("dev", 400_000))  # a team of the demo challenge, shares in ppm
LICENCES = ("Apache-2.0", "GPL-3.0-only")  # ada's program, ben's fork of it (a GPL fork)
NOTICE_SECONDS = 86_400  # the contracts' minimum notice before a new phase opens
VERDICT_APPROVE, VERDICT_REJECT = 1, 3
CODE_EXTRA_SECONDS = 300.0  # the first code run builds the runtime from the package registry

Say = Callable[[str], None]


@dataclass(frozen=True)
class Windows:
    """How long the demo challenge's phase stays open for commits, then reveals, and how
    long its rewards root can be disputed (the contracts' minimum is 5 minutes)."""

    commit_seconds: int
    reveal_seconds: int
    dispute_seconds: int


# `coop up`: an hour to play; `coop demo` on anvil moves the clock past them.
PLAY_WINDOWS = Windows(3600, 600, 300)
# `coop demo` on a node whose clock cannot be moved (geth): windows waited for in real time,
# the commit window long enough for the five submissions and reviews on a loaded machine.
REAL_TIME_WINDOWS = Windows(120, 20, 300)


class DemoStalled(CoopError, TimeoutError):
    """Something the demo waits for (scores, a root) did not happen in time."""


@dataclass
class Entry:
    name: str
    model: str
    submission_id: int
    parents: tuple[int, ...] = ()


@dataclass
class DemoResult:
    challenge_id: int
    entries: list[Entry] = field(default_factory=list)
    code_entries: list[Entry] = field(default_factory=list)  # on the code challenge
    claimed: dict[str, int] = field(default_factory=dict)
    refunded: int | None = None  # what the owner took back at the end
    audit: AuditReport | None = None
    code_audit: AuditReport | None = None  # the code challenge's, with reruns
    sprint: Sprint | None = None  # the code challenge's next phase, a new figure of merit
    played: PlayedSprint | None = None  # that phase played (anvil only), its board under MAE
    sprint_entries: list[Entry] = field(default_factory=list)  # submitted into it
    team: tuple[int, tuple[str, ...]] | None = None  # the team's id and its members' names
    near_copies: list[str] = field(default_factory=list)  # how the rewards credited them
    licensed: LicensedPair | None = None  # the code challenge's two licences

    @property
    def passed(self) -> bool:
        """Both audits found nothing, and every code submission was rerun."""
        code = self.code_audit
        reran = code is None or (code.ok and code.complete
                                 and code.checked["reruns"] == len(self.code_entries))  # fmt: skip
        return self.audit is not None and self.audit.ok and reran


def demo_publish_options(w3: Web3, windows: Windows = PLAY_WINDOWS) -> PublishOptions:
    arbiter = dev_arbiter(w3.eth.chain_id)
    if arbiter is None or not is_dev_chain(w3.eth.chain_id):
        raise ConfigError("the demo runs on a development chain (anvil's or geth --dev's) only")
    return PublishOptions(
        bounty=BOUNTY,
        oracles=tuple(Sender.from_key(w3, k).address for k in ORACLE_KEYS),
        quorum=2,
        arbiter=arbiter,
        commit_seconds=windows.commit_seconds,
        reveal_seconds=windows.reveal_seconds,
        dispute_window=windows.dispute_seconds,
        notice_period=NOTICE_SECONDS,
    )


def seed_demo_challenge(platform: Platform, store: ContentStore, data_dir: Path,
                        windows: Windows = PLAY_WINDOWS) -> SeededChallenge:  # fmt: skip
    owner = Sender.from_key(platform.w3, OWNER_KEY)
    return seed_example(platform, owner, store, data_dir, EXAMPLE,
                        demo_publish_options(platform.w3, windows))  # fmt: skip


def seed_code_challenge(platform: Platform, store: ContentStore, data_dir: Path,
                        windows: Windows = PLAY_WINDOWS) -> SeededChallenge:  # fmt: skip
    """The same data as the demo challenge, taking code (a folder with main.py) on the
    example runtime (examples/runtimes/scikit-learn.lock), its test features hidden: not
    on IPFS, committed to by the spec, in the holdouts/ folder the oracles get."""
    owner = Sender.from_key(platform.w3, OWNER_KEY)
    spec = code_spec(EXAMPLE, data_dir / f"{EXAMPLE}-code.json", hidden_features=True)
    return seed_example(platform, owner, store, data_dir, EXAMPLE,
                        demo_publish_options(platform.w3, windows), spec)  # fmt: skip


def forked_program(folder: Path) -> Path:
    """ben's fork of ada's program: the same ridge regression on the features and their
    pairwise products (a copy of the folder with main.py changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.py").write_text(
        (EXAMPLE_CODE / "main.py").read_text()
        .replace("from sklearn.linear_model import RidgeCV",
                 "from sklearn.linear_model import RidgeCV\n"
                 "from sklearn.pipeline import make_pipeline\n"
                 "from sklearn.preprocessing import PolynomialFeatures, StandardScaler")
        .replace("model = RidgeCV(alphas=np.logspace(-3, 3, 13))",
                 "ridge = RidgeCV(alphas=np.logspace(-3, 3, 13))\n"
                 "model = make_pipeline(StandardScaler(), PolynomialFeatures(2), ridge)")
        .replace("model.alpha_", "ridge.alpha_")
    )  # fmt: skip
    return folder


def wait_for(platform: Platform, what: str, done: Callable[[Ledger], bool],
             timeout: float = 120.0) -> Ledger:  # fmt: skip
    deadline = time.monotonic() + timeout
    while True:
        ledger = read_ledger(platform)
        if done(ledger):
            return ledger
        if time.monotonic() > deadline:
            raise DemoStalled(
                f"waited {timeout:.0f} s for {what}; check the oracles' logs (coop up prints "
                "where they are) and `coop oracle status`"
            )
        time.sleep(1.0)


def run_story(platform: Platform, store: ContentStore, data_dir: Path, seeded: SeededChallenge,
              say: Say = print, claim: Callable[[Sender, int], int] | None = None,
              timeout: float = 180.0,
              code: SeededChallenge | None = None) -> DemoResult:  # fmt: skip
    w3 = platform.w3
    challenge_id = seeded.published.challenge_id
    result = DemoResult(challenge_id)
    data = TaskData.of(seeded.files)
    outputs: dict[str, bytes] = {}

    def submit(name: str, model: str, payload: bytes | Path, parents: tuple[int, ...] = (),
               weights: tuple[int, ...] = (), on: int = challenge_id,
               into: list[Entry] = result.entries) -> Entry:  # fmt: skip
        sender = Sender.from_key(w3, PARTICIPANTS[name])
        added = store.add_path(payload) if isinstance(payload, Path) else store.add_bytes(payload)
        cid = str(added.cid)
        store.pin(cid)
        pending = commit(platform, sender, data_dir / "participants" / name, on, cid,
                         parents, weights)  # fmt: skip
        entry = Entry(name, model, reveal(platform, sender, pending), parents)
        into.append(entry)
        forked = f", building on {list(parents)}" if parents else ""
        say(f"  {name:6} submitted #{entry.submission_id}: {model}{forked}")
        return entry

    members = [(Sender.from_key(w3, PARTICIPANTS[n]), share) for n, share in TEAM]
    team_id = form_team(platform, challenge_id, members)
    result.team = (team_id, tuple(n for n, _ in TEAM))
    (proposer, _), *joiners = TEAM
    shares = " / ".join(f"{n} {share * 100 // PPM}%" for n, share in TEAM)
    say(f"{' and '.join(n for n, _ in TEAM)} form team {team_id} on challenge {challenge_id} "
        f"before submitting ({proposer} proposes, {', '.join(n for n, _ in joiners)} joins; "
        f"shares {shares}): one daily cap for all, and the rewards rule splits what the team "
        "earns by the shares.")  # fmt: skip

    say(f"Participants train models on {EXAMPLE} and submit (commit, then reveal):")
    predictions = {}
    for name, model in (("ada", "linear regression"), ("ben", "random forest"),
                        ("dev", "gradient boosting")):  # fmt: skip
        predictions[name] = REGRESSION_MODELS[model](data)
        outputs[name] = predictions_csv(data.ids, predictions[name])
    ada = submit("ada", "linear regression", outputs["ada"])
    ben = submit("ben", "random forest", outputs["ben"])
    chloe_blend = blend([predictions["ada"], predictions["ben"]], [0.5, 0.5])
    submit("chloe", "a 50/50 blend of ada's and ben's predictions",
           predictions_csv(data.ids, chloe_blend), parents=(ada.submission_id, ben.submission_id),
           weights=(PPM // 2, PPM // 2))  # fmt: skip
    submit("dev", "gradient boosting", outputs["dev"])
    truncated = b"\n".join(outputs["ada"].splitlines()[:-5]) + b"\n"
    eve = submit("eve", "ada's file with five rows cut off (invalid)", truncated)
    submit("eve", "ada's predictions with a little noise, rows reversed, no parent named "
           "(a near-copy)", disguised_copy(outputs["ada"]))  # fmt: skip

    say("Reviews:")
    for reviewer, target, verdict in (("ben", ada, VERDICT_APPROVE), ("ada", result.entries[2],
                                      VERDICT_APPROVE), ("dev", eve, VERDICT_REJECT)):  # fmt: skip
        sender = Sender.from_key(w3, PARTICIPANTS[reviewer])
        sender.transact(platform.book.functions.review(target.submission_id, verdict, ""))
        word = "approves" if verdict == VERDICT_APPROVE else "rejects"
        say(f"  {reviewer} {word} #{target.submission_id} ({target.name})")

    if code is not None:
        code_id = code.published.challenge_id
        say(f"Challenge {code_id} (the same data) takes code on hidden test features: a folder "
            "with main.py that each oracle runs in its sandbox on features only the oracles "
            "hold:")  # fmt: skip
        result.licensed = pair = submit_two_licences(
            platform, (Sender.from_key(w3, PARTICIPANTS["ada"]),
                       Sender.from_key(w3, PARTICIPANTS["ben"])),
            store, data_dir / "participants", code_id, EXAMPLE_CODE,
            forked_program(data_dir / "code" / "ben-fork"), LICENCES)  # fmt: skip
        result.code_entries += [
            Entry("ada", "ridge regression (examples/code/diabetes-ridge)", pair.original),
            Entry("ben", "ada's program forked: ridge on the features' pairwise products",
                  pair.fork, (pair.original,)),
        ]  # fmt: skip
        for entry, licence in zip(result.code_entries, pair.licences, strict=True):
            forked = f", building on {list(entry.parents)}" if entry.parents else ""
            say(f"  {entry.name:6} submitted #{entry.submission_id} under {licence} "
                f"(`coop submit --licence {licence}`): {entry.model}{forked}")  # fmt: skip

    ids = [e.submission_id for e in result.entries]
    say("Waiting for the oracles to score and post (2 of 3 signatures per batch)…")
    wait_for(
        platform,
        "every submission's score",
        lambda ledger: all(ledger.submissions[i].score for i in ids),
        timeout,
    )
    if result.code_entries:
        say("Waiting for the oracles to run the programs (the first run builds the runtime)…")
        _say_code_scores(platform, store, result.code_entries, say, timeout + CODE_EXTRA_SECONDS)

    say("The phase ends (the demo moves anvil's clock past the reveal end, or waits for it).")
    phase_ends = [seeded.published.reveal_end] + ([code.published.reveal_end] if code else [])
    reach_chain_time(w3, max(phase_ends) + 1)
    say("Waiting for the oracles to open the private scores…")
    opened = ids + [e.submission_id for e in result.code_entries]
    wait_for(platform, "the private scores to be opened",
             lambda ledger: all(ledger.submissions[i].private for i in _valid(ledger, opened)),
             timeout)  # fmt: skip

    say("The owner reveals the holdout (labels to IPFS, split salt on chain).")
    owner = Sender.from_key(w3, OWNER_KEY)
    labels = seeded.files["labels.csv"]
    labels_cid = str(store.add_bytes(labels).cid)
    store.pin(labels_cid)
    secret = seeded.published.secret_path.read_text()
    split_salt = bytes.fromhex(json.loads(secret)["split_salt"][2:])
    reveal_holdout(platform, owner, challenge_id, 0, labels_cid,
                   Web3.keccak(labels), split_salt)  # fmt: skip

    say("Waiting for the oracles to post the rewards root…")
    ledger = wait_for(
        platform,
        "the rewards root",
        lambda ledger: bool(ledger.challenges[challenge_id].roots),
        timeout,
    )
    say("The dispute window runs (moved past on anvil, waited for elsewhere)…")
    claimable_at = max(root.claimable_at for root in ledger.challenges[challenge_id].roots)
    reach_chain_time(w3, claimable_at)
    if claim is not None:
        say("The dispute window has passed; everyone claims:")
        for name, key in PARTICIPANTS.items():
            amount = claim(Sender.from_key(w3, key), challenge_id)
            result.claimed[name] = amount
            say(f"  {name:6} claimed {amount / 10**18:,.2f} COOP")
    result.near_copies = credited_copies(ledger, challenge_id, store, _names())
    for line in result.near_copies:
        say(f"  {line}")
    refund = refund_remainder(
        platform, owner, check_refundable(platform, challenge_id, owner.address)
    )
    result.refunded = refund.amount
    say(f"The owner takes back what no root allocated: {refund.amount / 10**18:,.2f} COOP")
    say("An auditor replays the whole challenge from public data…")
    result.audit = audit_challenge(platform, store, challenge_id)
    if code is not None:
        result.code_audit = _reveal_and_rerun(platform, store, data_dir, code, say)
        code_id = code.published.challenge_id
        say(f"Challenge {code_id} goes on in sprints: its owner announces the next phase, "
            "with a new figure of merit…")  # fmt: skip
        result.sprint = announce_next_sprint(platform, store, owner, data_dir, code_id,
                                             code.data_dir)  # fmt: skip
        say(f"  {result.sprint.describe()}")
        if is_anvil(w3):
            _play_sprint(platform, store, data_dir, result, submit, say, timeout)
        else:
            say("  (the contracts' shortest notice period is one day and this chain's clock "
                "cannot be moved: on anvil the demo plays the new phase)")  # fmt: skip
    return result


def _play_sprint(platform: Platform, store: ContentStore, data_dir: Path, result: DemoResult,
                 submit: Callable[..., Entry], say: Say, timeout: float) -> None:  # fmt: skip
    """The announced phase played: the clock moved past the notice period, ada's program and
    ben's fork submitted into it, scored by the oracles under its figure of merit."""
    assert result.sprint is not None
    sprint = result.sprint.published
    say(f"The notice period passes (the demo moves anvil's clock); phase {sprint.phase} of "
        f"challenge {sprint.challenge_id} takes commits:")  # fmt: skip
    reach_chain_time(platform.w3, sprint.commit_start)
    into = result.sprint_entries
    ada = submit("ada", "her program again (examples/code/diabetes-ridge)", EXAMPLE_CODE,
                 on=sprint.challenge_id, into=into)  # fmt: skip
    submit("ben", "his fork again: ridge on the features' pairwise products",
           data_dir / "code" / "ben-fork", (ada.submission_id,), (PPM,),
           on=sprint.challenge_id, into=into)  # fmt: skip
    say(f"Waiting for the oracles to run them and score phase {sprint.phase} by its new "
        "figure of merit…")  # fmt: skip
    _say_code_scores(platform, store, into, say, timeout + CODE_EXTRA_SECONDS)
    result.played = played_sprint(platform, store, result.sprint)
    say(f"  {result.played.describe(_names())}")


def _names() -> dict[str, str]:
    """The demo's participants by address."""
    return {Account.from_key(key).address: name for name, key in PARTICIPANTS.items()}


def _reveal_and_rerun(platform: Platform, store: ContentStore, data_dir: Path,
                      code: SeededChallenge, say: Say) -> AuditReport:  # fmt: skip
    """The code challenge's holdout revealed with its test features, then `coop audit`'s
    reruns of every code submission from its receipt on them."""
    code_id = code.published.challenge_id
    owner = Sender.from_key(platform.w3, OWNER_KEY)
    try:
        revealed = reveal_stored_holdout(platform, owner, store, data_dir, code_id, 0)
        say(f"The owner reveals challenge {code_id}'s holdout: the labels and the hidden test "
            f"features in one folder, {revealed.labels_cid}.")  # fmt: skip
    except HoldoutAlreadyRevealed:
        say(f"Challenge {code_id}'s holdout is revealed already (by an oracle).")
    say(f"An auditor reruns challenge {code_id}'s code submissions from their receipts on the "
        f"revealed features (`coop audit {code_id}`)…")  # fmt: skip
    return audit_challenge(platform, store, code_id, lambda step: say(f"  … {step}"),
                           runtime_dir(data_dir))  # fmt: skip


def _say_code_scores(platform: Platform, store: ContentStore, entries: list[Entry], say: Say,
                     timeout: float) -> None:  # fmt: skip
    ids = [e.submission_id for e in entries]
    ledger = wait_for(platform, "the code submissions' scores",
                      lambda ledger: all(ledger.submissions[i].score for i in ids),
                      timeout)  # fmt: skip
    for entry in entries:
        score = ledger.submissions[entry.submission_id].score
        assert score is not None
        report = read_report(store.cat(score_report_cid(score.report_digest)))
        public = "" if report.public_score is None else f" {report.public_score / 10**18:.4f}"
        made = "" if report.receipt is None else f", predictions {report.receipt.predictions_cid}"
        say(f"  #{entry.submission_id} {entry.name:6} {report.status.name}{public}{made} "
            f"(coop receipt {entry.submission_id})")  # fmt: skip


def _valid(ledger: Ledger, ids: list[int]) -> list[int]:
    return [i for i in ids if (score := ledger.submissions[i].score) and score.status == 0]
