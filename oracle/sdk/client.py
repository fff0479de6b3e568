"""`coop.connect()` and the Client: the CLI's actions as plain Python, for notebooks.

Settings are read exactly as the CLI reads them (COOP_* variables, coop.toml; one rule for
which account signs, oracle/signer.py), and every action calls the same library code the
CLI does: submitting (oracle/participant/submit.py), reviewing (oracle/participant/review.py),
running locally (oracle/participant/local_run.py), reports and receipts
(oracle/participant/receipts.py), boards and profiles
(oracle/ledger/boards.py), the submissions table (oracle/export, the rows `coop export`
writes), claims (oracle/ledger/claims.py) and mini-grants (oracle/chain/grants.py).
Tables come back as pandas DataFrames.
"""

import functools
import io
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from oracle.chain.grants import claim_grant, read_payments, read_pools
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.coderun.local import LocalRun
from oracle.connection import open_platform, open_store
from oracle.errors import ConfigError, CoopError
from oracle.export.read import read_export
from oracle.ipfs.store import ContentStore
from oracle.ledger.boards import improvements, private_board, profile, public_board, status_of
from oracle.ledger.claims import claim_rewards
from oracle.ledger.model import Ledger
from oracle.ledger.replay import read_ledger
from oracle.participant.local_run import run_folder
from oracle.participant.receipts import challenge_reports, signed_report
from oracle.participant.review import review_submission
from oracle.participant.submit import submit_path
from oracle.sdk.display import Board, ForkGraph, ScoreHistory
from oracle.settings import Settings, load_settings
from oracle.signer import open_sender, signer_choice
from oracle.spec import SPEC_MAX_BYTES, ChallengeSpec, load_spec
from oracle.types import PPM, WAD, Verdict

DATA_MAX_BYTES = 512 * 1024 * 1024


class ScoreTimeout(CoopError, TimeoutError):
    """No score arrived in time; the oracles may still post it."""


def connect(config: Path | str | None = None, *, rpc_url: str | None = None,
            deployment: Path | str | None = None, account: str | None = None,
            password: str | None = None) -> "Client":  # fmt: skip
    """A client for the platform the settings name (as `coop` reads them: COOP_RPC_URL,
    COOP_DEPLOYMENT, COOP_DATA_DIR, COOP_ACCOUNT or COOP_PRIVATE_KEY, coop.toml); the
    arguments win over them. `password` unlocks a keystore account (else COOP_PASSWORD)."""
    settings = load_settings(
        None if config is None else Path(config), rpc_url=rpc_url,
        deployment=None if deployment is None else Path(deployment), account=account,
    )  # fmt: skip
    client = Client(settings, account, password)
    client.platform  # noqa: B018  (fails now, with the reason, when no node answers)
    return client


class Client:
    def __init__(self, settings: Settings, account: str | None = None,
                 password: str | None = None) -> None:  # fmt: skip
        self.settings = settings
        self._account = account
        self._password = password

    def __repr__(self) -> str:
        chain = self.platform.w3.eth.chain_id
        return f"coop.Client(chain {chain} at {self.settings.rpc_url}, as {self.address})"

    @functools.cached_property
    def platform(self) -> Platform:
        return open_platform(self.settings)

    @functools.cached_property
    def store(self) -> ContentStore:
        return open_store(self.settings)

    @functools.cached_property
    def sender(self) -> Sender:
        choice = signer_choice(self.settings, self._account)
        password = self._password
        if password is None and self.settings.password is not None:
            password = self.settings.password.get_secret_value()
        if choice.keystore is not None and password is None:
            raise ConfigError(f"the keystore {choice.keystore} needs its password: "
                              "connect(password=...) or set COOP_PASSWORD")  # fmt: skip
        return open_sender(self.platform.w3, self.settings, choice, password)

    @property
    def address(self) -> str | None:
        """Who signs, or None when no account is set (reading needs none)."""
        try:
            return str(self.sender.address)
        except ConfigError:
            return None

    def ledger(self) -> Ledger:
        return read_ledger(self.platform)

    # reading ---------------------------------------------------------------------------

    def spec(self, challenge: int, phase: int | None = None) -> ChallengeSpec:
        phases = self.ledger().challenge(challenge).phases
        chosen = phases[-1] if phase is None else phases[phase]
        return load_spec(self.store.cat(chosen.spec_cid, max_bytes=SPEC_MAX_BYTES))

    def challenges(self) -> pd.DataFrame:
        ledger = self.ledger()
        rows = []
        for cid, c in sorted(ledger.challenges.items()):
            rows.append({
                "challenge_id": cid, "title": self._title(c.phases[-1].spec_cid),
                "phases": len(c.phases), "submissions": len(ledger.submissions_of(cid)),
                "higher_is_better": c.phases[-1].higher_is_better,
                "baseline": c.phases[-1].baseline / WAD, "target": c.phases[-1].target / WAD,
                "owner": c.owner,
            })  # fmt: skip
        return pd.DataFrame(rows)

    def _title(self, spec_cid: str) -> str | None:
        try:
            return load_spec(self.store.cat(spec_cid, max_bytes=SPEC_MAX_BYTES)).title
        except CoopError:
            return None

    def data(self, challenge: int, name: str = "train") -> pd.DataFrame:
        """A public file of the challenge's latest phase: "train", "test_features" or a
        name under the spec's data.public (e.g. "sample_submission")."""
        spec = self.spec(challenge)
        files = {"train": spec.data.train, **spec.data.public}
        if spec.data.test_features is not None:  # None when the test features are hidden
            files["test_features"] = spec.data.test_features
        if name not in files:
            raise ConfigError(f"challenge {challenge} has no public file {name!r}; it has "
                              f"{', '.join(sorted(files))}")  # fmt: skip
        return pd.read_csv(io.BytesIO(self.store.cat(files[name], max_bytes=DATA_MAX_BYTES)))

    def board(self, challenge: int, phase: int | None = None, private: bool = False) -> Board:
        ledger = self.ledger()
        c = ledger.challenge(challenge)
        index = len(c.phases) - 1 if phase is None else phase
        entries = (private_board if private else public_board)(ledger, c, index)
        frame = pd.DataFrame(
            [(e.rank, e.participant, e.submission_id, e.score / WAD) for e in entries],
            columns=["rank", "participant", "submission_id", "score"],
        )
        return Board(challenge, index, private, frame)

    def history(self, challenge: int, phase: int | None = None) -> ScoreHistory:
        ledger = self.ledger()
        c = ledger.challenge(challenge)
        index = len(c.phases) - 1 if phase is None else phase
        frame = pd.DataFrame(
            [(i.submission_id, i.participant, i.block, i.score / WAD)
             for i in improvements(ledger, c, index)],
            columns=["submission_id", "participant", "block", "score"],
        )  # fmt: skip
        rules = c.phases[index]
        return ScoreHistory(challenge, index, rules.baseline / WAD, rules.higher_is_better, frame)

    def fork_graph(self, challenge: int) -> ForkGraph:
        """The challenge's submissions and who builds on whom: drawn as SVG in Jupyter;
        `.nodes` and `.edges` are DataFrames."""
        ledger = self.ledger()
        ledger.challenge(challenge)  # says so when the challenge does not exist
        own = ledger.submissions_of(challenge)
        edges = [(s.submission_id, parent, weight) for s in own if s.reveal is not None
                 for parent, weight in zip(s.reveal.parents, s.reveal.weights_ppm,
                                           strict=True)]  # fmt: skip
        known = {s.submission_id for s in own}
        outside = sorted({p for _, p, _ in edges if p not in known})
        nodes: list[tuple[object, ...]] = [(s.submission_id, s.submitter, status_of(s),
                  s.score.public_score / WAD if s.score and s.score.status == 0 else None,
                  False) for s in own]  # fmt: skip
        nodes += [(p, ledger.submissions[p].submitter if p in ledger.submissions else "?",
                   "", None, True) for p in outside]  # fmt: skip
        return ForkGraph(
            challenge,
            pd.DataFrame(
                nodes, columns=["submission_id", "submitter", "status", "score", "external"]
            ),  # fmt: skip
            pd.DataFrame(edges, columns=["child", "parent", "weight_ppm"]),
        )

    def grants(self, challenge: int | None = None) -> pd.DataFrame:
        """The grant pools (of `challenge` if given): one row each, with who was paid."""
        pools = read_pools(self.platform, challenge)
        paid = read_payments(self.platform, {p.pool_id for p in pools})
        return pd.DataFrame([
            {"pool_id": p.pool_id, "challenge_id": p.challenge_id, "phase": p.phase,
             "rule": p.rule, "paid": p.paid, "slots": p.slots, "left": p.left / WAD,
             "closes_at": p.closes_at,
             "paid_to": [g.participant for g in paid if g.pool_id == p.pool_id]}
            for p in pools
        ], columns=["pool_id", "challenge_id", "phase", "rule", "paid", "slots", "left",
                    "closes_at", "paid_to"])  # fmt: skip

    def submissions(self, challenge: int) -> pd.DataFrame:
        """The challenge's submissions as `coop export` writes them (docs/export.md)."""
        table = read_export(self.platform, self.store, [challenge])["submissions"]
        frame: pd.DataFrame = table.to_pandas()
        return frame

    def profile(self, address: str | None = None) -> pd.DataFrame:
        """Someone's submissions (yours by default), with `.attrs` counting improvements,
        reviews and claims."""
        who = address or self.address
        if who is None:
            raise ConfigError("say whose profile: profile(ADDRESS), or connect with an account")
        found = profile(self.ledger(), who)
        frame = pd.DataFrame([
            {"submission_id": v.submission.submission_id,
             "challenge_id": v.submission.challenge_id, "status": v.status,
             "parents": list(v.submission.reveal.parents) if v.submission.reveal else [],
             "children": list(v.children)}
            for v in found.submissions
        ], columns=["submission_id", "challenge_id", "status", "parents", "children"])  # fmt: skip
        frame.attrs.update(
            address=found.address, improvements=len(found.improvements),
            reviews=len(found.reviews), claimed=found.claimed_total / WAD,
        )  # fmt: skip
        return frame

    def score(self, submission_id: int) -> dict[str, object]:
        s = self.ledger().submissions.get(submission_id)
        if s is None:
            raise ConfigError(f"submission {submission_id} does not exist (yet)")
        return {"submission_id": submission_id, "status": status_of(s),
                "public_score": None if s.score is None or s.score.status != 0
                else s.score.public_score / WAD}  # fmt: skip

    def receipt(self, submission_id: int) -> dict[str, object]:
        """The report `submission_id`'s score names on chain, read from IPFS, with a code
        run's receipt (as `coop receipt --json` prints it)."""
        return signed_report(self.ledger(), self.store, submission_id).as_json()

    def receipts(self, challenge: int) -> pd.DataFrame:
        """One row per scored submission of `challenge`: its status and reason and, for a
        code run, the receipt's code, runtime, seed, exit code, exception and predictions."""
        rows = [r.row() for r in challenge_reports(self.ledger(), self.store, challenge)]
        return pd.DataFrame(rows, columns=None if rows else ["submission_id", "status"])

    def wait_for_score(self, submission_id: int, timeout: float = 300,
                       poll_seconds: float = 1.0) -> dict[str, object]:  # fmt: skip
        """Polls the chain until the oracles' score of `submission_id` is posted."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.score(submission_id)
            if str(found["status"]).startswith("scored"):
                return found
            if time.monotonic() > deadline:
                raise ScoreTimeout(f"no score for submission {submission_id} after "
                                   f"{timeout:g} s; it is {found['status']}")  # fmt: skip
            time.sleep(poll_seconds)

    # acting ----------------------------------------------------------------------------

    def submit(
        self,
        challenge: int,
        what: pd.DataFrame | Path | str,
        parents: Mapping[int, float] | None = None,
        licence: str | None = None,
    ) -> int:
        """Submits a DataFrame (written as CSV, without its index), a file or a folder;
        `parents` maps submission ids to their share (fractions summing to 1); `licence` an
        SPDX identifier the challenge allows (default: the challenge's). Returns the new
        submission's id."""
        parent_ids, weights = _weights(parents or {})
        with tempfile.TemporaryDirectory(prefix="coop-sdk-") as scratch:
            if isinstance(what, pd.DataFrame):
                path = Path(scratch) / "predictions.csv"
                what.to_csv(path, index=False)
            else:
                path = Path(what)
            done = submit_path(self.platform, self.sender, self.store, self.settings.data_dir,
                               challenge, path, parent_ids, weights,
                               licence=licence)  # fmt: skip
        return done.submission_id

    def fork(self, challenge: int, parent: int, what: pd.DataFrame | Path | str,
             licence: str | None = None) -> int:  # fmt: skip
        """Submits `what` as building on `parent` (its whole parent share goes to it)."""
        return self.submit(challenge, what, {parent: 1.0}, licence)

    def review(self, submission_id: int, verdict: Verdict | str,
               note: Path | str | None = None) -> dict[str, object]:  # fmt: skip
        """Reviews someone else's revealed submission (`approve`, `concern` or `reject`), as
        `coop review` does; `note` is a file with your review (added to IPFS)."""
        done = review_submission(self.platform, self.sender, self.store, submission_id, verdict,
                                 None if note is None else Path(note))  # fmt: skip
        return {"submission_id": done.submission_id, "verdict": done.verdict.name.lower(),
                "review_cid": done.review_cid, "tx_hash": done.tx_hash}  # fmt: skip

    def run(self, challenge: int, folder: Path | str, phase: int | None = None) -> LocalRun:
        """Runs FOLDER/main.py in the oracles' sandbox, as `coop run` does."""
        result, _, _ = run_folder(self.platform, self.store, self.settings.runtime_path,
                                  challenge, Path(folder), phase, lambda line: None)  # fmt: skip
        return result

    def claim(self, challenge: int, phase: int | None = None) -> pd.DataFrame:
        """Claims what posted roots owe you; one row per phase: paid, or why not."""
        results = claim_rewards(self.platform, self.store, self.sender, challenge, phase, None)
        rows = [{"phase": p.claim.root.phase, "amount": p.claim.amount / WAD,
                 "tx_hash": p.tx_hash, "note": "claimed"} for p in results.paid]  # fmt: skip
        rows += [{"phase": index, "amount": 0.0, "tx_hash": None, "note": str(why)}
                 for index, why in results.refused]  # fmt: skip
        return pd.DataFrame(rows, columns=["phase", "amount", "tx_hash", "note"])

    def claim_grant(self, pool_id: int) -> dict[str, object]:
        """Claims a mini-grant, as `coop grant claim` does: paid at once when your public best
        in the pool's phase beats its threshold (raises, saying why, when it does not)."""
        paid = claim_grant(self.platform, self.sender, pool_id)
        return {"pool_id": pool_id, "amount": paid.amount / WAD, "score": paid.score / WAD,
                "tx_hash": paid.tx_hash}  # fmt: skip


def _weights(parents: Mapping[int, float]) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if not parents:
        return (), ()
    ids = tuple(sorted(parents))
    ppm = [round(parents[i] * PPM) for i in ids]
    ppm[0] += PPM - sum(ppm)
    return ids, tuple(ppm)
