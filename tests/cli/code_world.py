"""A code challenge for the CLI tests: the owner's world with the example runtime, its spec
turned to code (and its test features hidden), and the oracles' part played with the
library (score_code, a signed score batch carrying a report with the receipt)."""

import hashlib
import json
from collections.abc import Callable

from owner_world import OwnerWorld

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.artifacts import REPO_ROOT
from oracle.chain.attestation import (
    ScoreItem,
    items_as_call_arg,
    ordered_signatures,
    score_batch,
    score_batch_typed_data,
    sign_typed,
)
from oracle.chain.challenges import read_phase_judges
from oracle.coderun.run import code_seed
from oracle.coderun.score import CodeScore, score_code
from oracle.daemon.materials import Materials
from oracle.ipfs.store import ContentStore
from oracle.ledger.replay import read_ledger
from oracle.runtime import RuntimeLock
from oracle.scoring.receipt import CodeReceipt

RUNTIME_CACHE = REPO_ROOT / ".tools" / "runtimes"  # shared with tests/coderun
LOCK = RuntimeLock.parse((REPO_ROOT / "examples" / "runtimes" / "scikit-learn.lock").read_text())
RIDGE = REPO_ROOT / "examples" / "code" / "diabetes-ridge"
CODE_SECTION = {
    "kind": "code",
    "runtime": {"python": LOCK.python, "packages": LOCK.pins, "digest": LOCK.digest},
    "limits": {"cpu_seconds": 60, "wall_seconds": 120, "memory_mb": 1024},
}
ORACLE_KEYS = ANVIL_KEYS[7:10]  # `coop challenge create`'s default oracles on a dev chain


def hide_features(world: OwnerWorld, kind: str = "code") -> str:
    """Rewrites the world's spec to hide its test features; the keccak256 it commits to."""
    result = world.coop("cid", "--keccak", str(world.data / "test_features.csv"))
    assert result.exit_code == 0, result.output
    commitment = result.output.strip()
    spec = json.loads(world.spec.read_text())
    spec["data"].pop("test_features", None)
    spec["data"]["hidden_test_features"] = commitment
    spec["submission"] = {**CODE_SECTION, "kind": kind} if kind != "predictions" else {"kind": kind}
    world.spec.write_text(json.dumps(spec))
    return commitment


def score_and_post(
    world: OwnerWorld,
    stores: list[ContentStore],
    tamper: Callable[[CodeReceipt], CodeReceipt] = lambda receipt: receipt,
) -> dict[int, CodeScore]:
    """Scores every revealed submission of challenge 1 phase 0 as an oracle holding the
    owner's holdout folder, publishes each report (with its receipt, through `tamper`) and
    posts one 2-of-3 batch naming them. Returns what was scored, by submission id."""
    w3, platform = world.w3, world.platform
    ledger = read_ledger(platform)
    phase = ledger.challenges[1].phases[0]
    material = Materials(world.store, world.data_dir / "holdouts").material(1, phase)
    scored, items = {}, []
    for s in ledger.submissions_of(1, 0):
        assert s.reveal is not None
        seed = code_seed(w3.eth.chain_id, 1, 0, s.submission_id)
        got = score_code(material.spec, material.holdout, world.store, s.reveal.artifact_cid,
                         RUNTIME_CACHE, seed, hidden_features=material.test_features)  # fmt: skip
        receipt = tamper(got.receipt).as_json()
        report = json.dumps({"receipt": receipt, "status": int(got.result.status)}).encode()
        for store in stores:
            store.pin(store.add_bytes(report).cid)
        items.append(ScoreItem(s.submission_id, int(got.result.status), got.result.public_wad or 0,
                               b"\1" * 32, hashlib.sha256(report).digest()))  # fmt: skip
        scored[s.submission_id] = got
    digest = read_phase_judges(platform, 1, 0).config_digest
    batch = score_batch(1, 0, 1, digest, items)
    typed = score_batch_typed_data(batch, w3.eth.chain_id, platform.score_board.address)
    signatures = ordered_signatures(sign_typed(typed, k) for k in ORACLE_KEYS[:2])
    world.owner.transact(platform.score_board.functions.postScores(
        batch.as_call_arg(), items_as_call_arg(items), signatures))  # fmt: skip
    return scored
