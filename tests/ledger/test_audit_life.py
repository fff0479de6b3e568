"""A whole challenge life, refund included, with `coop audit` run after every step.

The life visits every kind of event in an order a real challenge allows: three submissions
(one a fork, one unreadable), a review, a score batch, the phase end, a rewards root that a
participant disputes and the arbiter voids, the corrected root, a second phase whose top-up
lands after the root, claims, and the owner's refund. After each step the auditor (the
`coop` command, on the real chain and store) must pass, and the web app's audit page (the
API's audit state, read from the index) must report no failed check either.
"""

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.cli.main import cli
from oracle.indexer.runner import Indexer
from oracle.ledger.replay import read_ledger
from oracle.types import PPM
from tests.api.test_disputes import WINDOW, disputable
from tests.ledger.lifecycle import BOUNTY, Life, predictions

OWNER, ALICE, BOB, CAROL = ANVIL_KEYS[0], ANVIL_KEYS[1], ANVIL_KEYS[2], ANVIL_KEYS[3]
TOP_UP = 500 * 10**18
REFUND_GRACE = 30 * 86400


class Auditor:
    """`coop audit` as an outsider runs it, and the audit page's data as the web app reads it."""

    def __init__(self, life: Life, tmp_path: Path) -> None:
        self.life = life
        deployment = tmp_path / "deployment.json"
        life.platform.deployment.save(deployment)
        self.env = {
            "COOP_RPC_URL": life.w3.provider.endpoint_uri,  # type: ignore[attr-defined]
            "COOP_DATA_DIR": str(life.data_dir),
            "COOP_DEPLOYMENT": str(deployment),
        }
        self.indexer = Indexer(tmp_path / "index.sqlite3", life.platform, life.store,
                               confirmations=0)  # fmt: skip
        config = ApiConfig(self.indexer.db_path, life.store.root, web_dir=None)
        self.client = TestClient(create_app(config))
        self.steps: list[str] = []

    def coop(self, key: str, *args: str) -> Result:
        result = CliRunner().invoke(cli, list(args), env={**self.env, "COOP_PRIVATE_KEY": key})
        assert result.exit_code == 0, result.output
        return result

    def after(self, step: str) -> dict[str, object]:
        """Audits the challenge as it now stands; both verdicts must be a pass."""
        self.steps.append(step)
        cid = str(self.life.challenge_id)
        result = CliRunner().invoke(cli, ["audit", cid, "--json"], env=self.env)
        assert result.exit_code == 0, f"after {step}: {result.output}"
        report = json.loads(result.stdout)
        assert report["ok"] and not report["findings"], f"after {step}: {report}"
        self.indexer.catch_up()
        page = self.client.get(f"/v1/challenges/{cid}/audit").json()
        failed = [c for c in page["checks"] if c["ok"] is False]
        assert not failed, f"after {step}, the audit page says: {failed}"
        return report  # type: ignore[no-any-return]

    def travel(self, seconds: int) -> None:
        self.life.w3.provider.make_request("evm_increaseTime", [seconds])  # type: ignore[arg-type]
        self.life.w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]


def test_every_step_of_a_life_with_a_refund_passes_the_audit(
    fast_platform: Platform, tmp_path: Path
) -> None:
    life = disputable(fast_platform, tmp_path)
    audit = Auditor(life, tmp_path)
    files, cid = life.files, life.challenge_id
    audit.after("publishing")

    mean = life.submit(1, predictions(files, "baseline"))
    audit.after("alice's submission")
    linear = life.submit(2, predictions(files, "linear"), parents=(mean,), weights=(PPM,))
    audit.after("bob's fork")
    life.submit(3, b"id,prediction\n0,not-a-number\n")
    audit.after("carol's unreadable file")
    note = tmp_path / "review.md"
    note.write_text("clean fork, nice features")
    audit.coop(CAROL, "review", str(linear), "approve", "--note", str(note))
    audit.after("carol's review")
    life.score_and_post()
    audit.after("the score batch")
    life.end_phase()
    report = audit.after("the phase end (private scores opened, holdout revealed)")
    assert report["checked"]["scores"] == 3  # type: ignore[index]

    honest = life.rewards()
    life.post_root(honest)
    audit.after("the rewards root")
    audit.coop(CAROL, "rewards", "dispute", str(cid), "0", "--reason", "I disagree")
    audit.after("carol's dispute")
    audit.coop(OWNER, "rewards", "resolve", str(cid), "0", "--uphold")
    report = audit.after("the arbiter voiding the root")
    assert any("voided" in note for note in report["notes"])  # type: ignore[attr-defined]
    life.post_root(life.rewards())  # the escrow freed by the void is available again
    audit.after("the corrected root")
    page = audit.client.get(f"/v1/challenges/{cid}/audit").json()
    escrow = {c["name"]: c["ok"] for c in page["checks"] if c["name"].startswith("escrow")}
    assert escrow == {"escrow of phase 0 root seq 1": True, "escrow of phase 0 root seq 2": True}

    added = life.add_phase(TOP_UP)
    audit.after("a second phase topping up the escrow after the root")

    audit.travel(WINDOW + 1)
    audit.coop(ALICE, "claim", str(cid), "--phase", "0")
    audit.after("alice's claim")
    audit.coop(BOB, "claim", str(cid), "--phase", "0")
    audit.after("bob's claim")

    now = life.w3.eth.get_block("latest")["timestamp"]
    audit.travel(added.reveal_end + REFUND_GRACE - now + 1)
    before = life.platform.token.functions.balanceOf(life.owner.address).call()
    audit.coop(OWNER, "challenge", "refund", str(cid))
    refunded = life.platform.token.functions.balanceOf(life.owner.address).call() - before
    assert refunded == BOUNTY + TOP_UP - honest.total > 0
    audit.after("the owner's refund")
    audit.indexer.close()


def ended_phase(platform: Platform, tmp_path: Path) -> tuple[Life, Auditor]:
    """One scored submission, the phase ended: a rewards root can be posted."""
    life = disputable(platform, tmp_path)
    audit = Auditor(life, tmp_path)
    life.submit(1, predictions(life.files, "linear"))
    life.score_and_post()
    life.end_phase()
    return life, audit


def test_a_root_recomputed_after_the_refund_uses_the_escrow_of_its_time(
    fast_platform: Platform, tmp_path: Path
) -> None:
    """The replay alone: the escrow a root was computed from ignores every later move."""
    life, audit = ended_phase(fast_platform, tmp_path)
    report = life.rewards()
    life.post_root(report)
    audit.travel(WINDOW + 1)
    audit.coop(OWNER, "challenge", "refund", str(life.challenge_id))

    challenge = read_ledger(life.platform).challenges[life.challenge_id]
    (root,) = challenge.roots
    assert [m.cause for m in challenge.escrow_moves] == ["deposit", "root posted", "refund"]
    assert challenge.unallocated_before(root.position) == BOUNTY == report.escrow_left
    assert challenge.unallocated_before((life.w3.eth.block_number + 1, 0)) == 0
    audit.indexer.close()


def test_a_root_computed_with_the_wrong_escrow_fails_on_both_audits(
    fast_platform: Platform, tmp_path: Path
) -> None:
    """The oracles' report says the vault had more left than it did: its leaves still make
    the posted root, yet `coop audit` and the audit page both name it."""
    life, audit = ended_phase(fast_platform, tmp_path)
    honest = life.rewards()
    life.post_root(dataclasses.replace(honest, escrow_left=honest.escrow_left + 1))
    cid = str(life.challenge_id)

    result = CliRunner().invoke(cli, ["audit", cid, "--json"], env=audit.env)
    audit.indexer.catch_up()
    page = audit.client.get(f"/v1/challenges/{cid}/audit").json()

    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["detail"] == "the report on IPFS differs from the recomputed one"
    (check,) = [c for c in page["checks"] if c["ok"] is False]
    assert check["name"] == "escrow of phase 0 root seq 1"
    assert "but the vault held 1000 unallocated" in check["detail"]
    audit.indexer.close()
