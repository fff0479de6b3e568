"""A whole challenge life on a real chain, driven step by step from the test.

The oracles' part (score, sign, post, open private scores, post the rewards root) is done
here with the library's own pieces and real oracle keys, with a hook to make the quorum
lie, so the auditor can be shown both an honest and a colluding ledger. The owner may
correct a phase's scorer or labels (`correct`); the phase is then scored again under the
correction, with its material, as the oracles' Rescoring duty does.
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from eth_utils.crypto import keccak
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from web3 import Web3
from web3.types import RPCEndpoint

from oracle.chain.anvil import ANVIL_KEYS, start_anvil
from oracle.chain.attestation import (
    RewardRoot,
    ScoreItem,
    items_as_call_arg,
    ordered_signatures,
    reward_root_typed_data,
    score_batch,
    score_batch_typed_data,
    sign_typed,
)
from oracle.chain.challenges import read_phase_judges, reveal_holdout
from oracle.chain.corrections import PublishedCorrection, correct_phase
from oracle.chain.platform import Platform, deploy_platform
from oracle.chain.publish import PhaseOptions, Published, PublishOptions, publish_phase
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit, reveal
from oracle.devnet.datasets import example_files, spec_path
from oracle.devnet.seed import seed_example
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.licences import prize_ineligible
from oracle.ledger.model import Phase
from oracle.ledger.near_copies import phase_near_copies
from oracle.ledger.phase_rewards import phase_rewards
from oracle.ledger.replay import read_ledger
from oracle.ledger.ties import shared_prize_groups
from oracle.rewards.merkle import build_tree
from oracle.rewards.model import Leaf
from oracle.rewards.report import RewardReport
from oracle.scoring.artifacts import fetch_scorer_program, predictions_file
from oracle.scoring.commitment import commitment_salt, private_commitment
from oracle.scoring.correction import corrected_spec
from oracle.scoring.engine import score_submission
from oracle.scoring.labels import Holdout, load_holdout
from oracle.spec import ChallengeSpec, load_spec
from oracle.types import Wad

ORACLE_KEYS = ANVIL_KEYS[7:10]
SHARED_ORACLE_KEY = b"test oracles' shared key"
BOUNTY = 1000 * 10**18
COMMIT_SECONDS = 1000
REVEAL_SECONDS = 1000


def diabetes_files() -> dict[str, bytes]:
    return example_files("diabetes-regression")


def predictions(files: dict[str, bytes], model: str) -> bytes:
    """A real model's predictions for the test rows: "baseline" (the mean), "linear" or
    "neighbours" (15 nearest neighbours)."""
    train = np.genfromtxt(files["train.csv"].splitlines(), delimiter=",", skip_header=1)
    test = np.genfromtxt(files["test_features.csv"].splitlines(), delimiter=",", skip_header=1)
    ids, x_test = test[:, 0].astype(int), test[:, 1:]
    if model == "baseline":
        y = np.full(len(ids), train[:, -1].mean())
    else:
        fitted = LinearRegression() if model == "linear" else KNeighborsRegressor(n_neighbors=15)
        y = fitted.fit(train[:, :-1], train[:, -1]).predict(x_test)
    rows = "".join(f"{i},{v!r}\n" for i, v in zip(ids, y.tolist(), strict=True))
    return ("id,prediction\n" + rows).encode()


Tamper = Callable[[list[ScoreItem]], list[ScoreItem]]


@contextmanager
def life_on_own_chain(
    tmp: Path, spec_changes: dict[str, Any] | None = None
) -> Iterator[tuple["Life", dict[str, str]]]:
    """A published challenge on an anvil of its own (stopped afterwards), for a test module
    to share, with the COOP_ settings that point the CLI at it."""
    chain = start_anvil()
    try:
        w3 = Web3(Web3.HTTPProvider(chain.url))
        platform = Platform.connect(w3, deploy_platform(Sender.from_key(w3, ANVIL_KEYS[0])))
        life = Life(platform, EmbeddedStore(tmp / "ipfs"), tmp, diabetes_files(),
                    spec_changes=spec_changes or {})  # fmt: skip
        life.publish()
        platform.deployment.save(tmp / "deployment.json")
        env = {"COOP_RPC_URL": chain.url, "COOP_DATA_DIR": str(tmp),
               "COOP_DEPLOYMENT": str(tmp / "deployment.json")}  # fmt: skip
        yield life, env
    finally:
        chain.stop()


@dataclass
class Life:
    platform: Platform
    store: EmbeddedStore
    data_dir: Path
    files: dict[str, bytes]
    challenge_id: int = 0
    spec: ChallengeSpec | None = None
    split_salt: bytes = b""  # phase 0's
    later_salts: dict[int, bytes] = field(default_factory=dict)  # phase → its split salt
    private: dict[int, tuple[int, bytes]] = field(default_factory=dict)  # id → (score, salt)
    batches: list[tuple[int, list[ScoreItem]]] = field(default_factory=list)
    batch_phases: dict[int, int] = field(default_factory=dict)  # seq → phase
    spec_changes: dict[str, Any] = field(default_factory=dict)  # top-level keys of the spec
    corrected_labels: dict[int, bytes] = field(default_factory=dict)  # phase → its labels now
    opened: set[int] = field(default_factory=set)  # seqs of the batches opened

    @property
    def w3(self) -> Web3:
        return self.platform.w3

    @property
    def owner(self) -> Sender:
        return Sender.from_key(self.w3, ANVIL_KEYS[0])

    def publish(self) -> None:
        oracles = tuple(Sender.from_key(self.w3, k).address for k in ORACLE_KEYS)
        options = PublishOptions(
            bounty=BOUNTY, oracles=oracles, quorum=2, arbiter=self.owner.address,
            commit_seconds=COMMIT_SECONDS, reveal_seconds=REVEAL_SECONDS, dispute_window=300,
        )  # fmt: skip
        variant = None
        if self.spec_changes:
            data = json.loads(spec_path("diabetes-regression").read_text()) | self.spec_changes
            variant = self.data_dir / "spec-variant.json"
            variant.write_text(json.dumps(data))
        seeded = seed_example(self.platform, self.owner, self.store, self.data_dir,
                              "diabetes-regression", options, variant)  # fmt: skip
        self.challenge_id = seeded.published.challenge_id
        self.spec = load_spec(self.store.cat(seeded.published.spec_cid))
        secret = json.loads(seeded.published.secret_path.read_text())
        self.split_salt = bytes.fromhex(secret["split_salt"][2:])

    def submit(self, who: int, artifact: bytes, parents: tuple[int, ...] = (),
               weights: tuple[int, ...] = ()) -> int:  # fmt: skip
        sender = Sender.from_key(self.w3, ANVIL_KEYS[who])
        cid = str(self.store.add_bytes(artifact).cid)
        pending = commit(self.platform, sender, self.data_dir / f"p{who}", self.challenge_id,
                         cid, parents, weights)  # fmt: skip
        return reveal(self.platform, sender, pending)

    def salt_of(self, phase: int) -> bytes:
        return self.split_salt if phase == 0 else self.later_salts[phase]

    def spec_of(self, phase: int) -> ChallengeSpec:
        return load_spec(self.store.cat(self.phase(phase).spec_cid))

    def labels_of(self, phase: int) -> bytes:
        """The phase's labels file under its newest correction."""
        return self.corrected_labels.get(phase, self.files["labels.csv"])

    def holdout(self, phase: int = 0) -> Holdout:
        commitment = self.phase(phase).holdout_commitment
        spec, labels = self.spec_of(phase), self.labels_of(phase)
        return load_holdout(spec, labels, self.salt_of(phase), commitment)

    def correct(self, reason: bytes, scorer: bytes | None = None, labels: bytes | None = None,
                phase: int = 0) -> PublishedCorrection:  # fmt: skip
        """The owner corrects `phase`'s scorer program and/or labels (`coop challenge
        correct`); score_and_post then scores the whole phase again under the correction."""
        done = correct_phase(self.platform, self.owner, self.store, self.data_dir,
                             self.challenge_id, phase, reason, labels=labels,
                             scorer=scorer)  # fmt: skip
        if labels is not None:
            self.corrected_labels[phase] = labels
        return done

    def phase(self, index: int) -> Phase:
        return read_ledger(self.platform).challenges[self.challenge_id].phases[index]

    def add_phase(self, top_up: int, folder: Path | None = None, **changes: object) -> Published:
        """A new version of the challenge (a fresh holdout split, the spec's top-level fields
        replaced by `changes`, e.g. metric={"name": "mae"}; the public files and labels from
        `folder`, the example's by default), paid by a top-up; it opens as early as the
        notice period and the previous phase allow."""
        self.owner.transact(self.platform.token.functions.mint(self.owner.address, top_up))
        folder = folder or self.data_dir / "examples" / "diabetes-regression"
        options = PhaseOptions(bounty=top_up, top_up=top_up, commit_seconds=COMMIT_SECONDS,
                               reveal_seconds=REVEAL_SECONDS)  # fmt: skip
        spec = json.loads(spec_path("diabetes-regression").read_text())
        spec.update(changes)
        path = self.data_dir / f"spec-phase{len(self.later_salts) + 1}.json"
        path.write_text(json.dumps(spec))
        added = publish_phase(self.platform, self.owner, self.store, self.data_dir,
                              self.challenge_id, path, folder / "labels.csv", options,
                              folder)  # fmt: skip
        secret = json.loads(added.secret_path.read_text())
        self.later_salts[added.phase] = bytes.fromhex(secret["split_salt"][2:])
        return added

    def travel_to(self, timestamp: int) -> None:
        now = int(self.w3.eth.get_block("latest")["timestamp"])
        if timestamp > now:
            self.w3.provider.make_request("evm_increaseTime", [timestamp - now])  # type: ignore[arg-type]
        self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]

    def score_and_post(self, tamper: Tamper = lambda items: items, phase: int = 0) -> None:
        """Scores every revealed, unscored submission of `phase` and posts them as one 2-of-3
        batch."""
        assert self.spec is not None
        p = self.platform
        ledger = read_ledger(p)
        judged = ledger.challenges[self.challenge_id].phases[phase]
        holdout = self.holdout(phase)
        spec = corrected_spec(self.spec_of(phase), judged.corrected_scorer_cid)
        program = fetch_scorer_program(self.store, spec)
        items = []
        for s in ledger.submissions_of(self.challenge_id, phase):
            if s.reveal is None or s.score is not None:
                continue
            artifact = predictions_file(self.store, s.reveal.artifact_cid)  # a file, or a folder's
            result = score_submission(spec, holdout, self.store.cat(artifact),
                                      scorer_program=program)  # fmt: skip
            salt = commitment_salt(
                SHARED_ORACLE_KEY, chain_id=self.w3.eth.chain_id,
                score_board=p.score_board.address, challenge_id=self.challenge_id, phase=phase,
                submission_id=s.submission_id,
            )  # fmt: skip
            private = result.private_wad if result.valid else 0
            assert private is not None
            self.private[s.submission_id] = (private, salt)
            items.append(
                ScoreItem(s.submission_id, int(result.status), result.public_wad or 0,
                          private_commitment(s.submission_id, Wad(private), salt), b"\0" * 32)
            )  # fmt: skip
        items = tamper(items)
        seq = p.score_board.functions.lastSeq(self.challenge_id).call() + 1
        digest = read_phase_judges(p, self.challenge_id, phase).config_digest
        batch = score_batch(self.challenge_id, phase, seq, digest, items, judged.correction)
        typed = score_batch_typed_data(batch, self.w3.eth.chain_id, p.score_board.address)
        signatures = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
        self.owner.transact(p.score_board.functions.postScores(
            batch.as_call_arg(), items_as_call_arg(items), signatures))  # fmt: skip
        self.batches.append((seq, items))
        self.batch_phases[seq] = phase

    def end_phase(self, phase: int = 0) -> None:
        """Past the reveal end: open every private score not opened yet, then reveal the
        holdout (unless it is: a scorer correction keeps the revealed labels)."""
        p = self.platform
        if phase == 0:
            self.w3.provider.make_request(
                RPCEndpoint("evm_increaseTime"), [COMMIT_SECONDS + REVEAL_SECONDS + 10]
            )
            self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
        else:
            self.travel_to(self.phase(phase).reveal_end + 10)
        for seq, items in self.batches:
            if self.batch_phases[seq] != phase or seq in self.opened:
                continue
            scores = [self.private[i.submission_id][0] for i in items]
            salts = [self.private[i.submission_id][1] for i in items]
            self.owner.transact(p.score_board.functions.revealPrivateScores(
                self.challenge_id, seq, items_as_call_arg(items), scores, salts))  # fmt: skip
            self.opened.add(seq)
        if self.phase(phase).holdout is not None:
            return
        labels = self.labels_of(phase)
        labels_cid = str(self.store.add_bytes(labels).cid)
        reveal_holdout(p, self.owner, self.challenge_id, phase, labels_cid, keccak(labels),
                       self.salt_of(phase))  # fmt: skip

    def rewards(self, phase: int = 0) -> RewardReport:
        assert self.spec is not None
        ledger = read_ledger(self.platform)
        challenge = ledger.challenges[self.challenge_id]
        escrow = challenge.unallocated_before((ledger.last_block + 1, 0))
        spec = self.spec_of(phase)
        ties = shared_prize_groups(ledger, self.challenge_id, phase, spec, self.store)
        closed = prize_ineligible(ledger, self.store, self.challenge_id, phase, spec)
        copies = phase_near_copies(ledger, self.challenge_id, phase, spec, self.store)
        # as the oracles compute it (oracle/daemon/phase_end.py)
        return phase_rewards(ledger, self.challenge_id, phase, spec, escrow, ties, closed, copies)

    def post_root(self, report: RewardReport, leaves: tuple[Leaf, ...] | None = None,
                  phase: int = 0) -> None:  # fmt: skip
        """Posts a rewards root of `phase` signed by two oracles: the report's, or made of
        `leaves`."""
        p = self.platform
        leaves = report.leaves if leaves is None else leaves
        tree = build_tree(leaves)
        report_cid = str(self.store.add_bytes(report.to_json().encode()).cid)
        digest = read_phase_judges(p, self.challenge_id, phase).config_digest
        challenge = read_ledger(p).challenges[self.challenge_id]
        seq = max((r.seq for r in challenge.roots), default=0)
        correction = challenge.phases[phase].correction
        root = RewardRoot(self.challenge_id, phase, correction, seq + 1, digest,
                          bytes.fromhex(tree.root[2:]), sum(leaf.amount for leaf in leaves),
                          keccak(text=report_cid))  # fmt: skip
        typed = reward_root_typed_data(root, self.w3.eth.chain_id, p.vault.address)
        signatures = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[1:3])
        self.owner.transact(p.vault.functions.postRewards(root.as_call_arg(), report_cid,
                                                          signatures))  # fmt: skip

    def open_claims(self) -> None:
        """Lets chain time pass the dispute window of phase 0's root (it is never 0)."""
        claimable_at = int(self.platform.vault.functions.getRoot(self.challenge_id, 0).call()[3])
        now = int(self.w3.eth.get_block("latest")["timestamp"])
        if now < claimable_at:
            self.w3.provider.make_request("evm_increaseTime", [claimable_at - now])  # type: ignore[arg-type]
            self.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
