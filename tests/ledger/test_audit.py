"""`coop audit`: an honest ledger passes; a colluding quorum's wrong score or root is named."""

import dataclasses
import json

from click.testing import CliRunner
from lifecycle import Life, predictions

from oracle.audit.run import audit_challenge
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.challenges import read_phase_judges
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.ledger.model import UnknownChallenge
from oracle.rewards.model import Leaf
from oracle.status import Status
from oracle.types import PPM, Address


def run_life(life: Life) -> None:
    """Two participants with real models, one forking the other; scores; phase end."""
    files = life.files
    first = life.submit(1, predictions(files, "baseline"))
    life.submit(2, predictions(files, "linear"), parents=(first,), weights=(PPM,))
    life.submit(3, b"id,prediction\n0,not-a-number\n")
    life.score_and_post()
    life.end_phase()


def test_an_honest_ledger_passes_every_check(life: Life) -> None:
    run_life(life)
    life.post_root(life.rewards())

    counted: list[tuple[int, int]] = []
    report = audit_challenge(
        life.platform, life.store, life.challenge_id,
        scores_counted=lambda done, total: counted.append((done, total)),
    )  # fmt: skip

    assert report.ok, [str(f) for f in report.findings]
    assert report.checked["signatures"] == 4  # one batch and one root, two signers each
    assert report.checked["scores"] == 3
    assert counted == [(0, 3), (1, 3), (2, 3), (3, 3)]  # what the CLI's progress bar shows
    assert report.checked["rewards"] == 1
    # Issue 13: the rules participants committed under, and who revealed the holdout.
    judges = read_phase_judges(life.platform, life.challenge_id, 0)
    assert f"phase 0: judged by oracle set version 1 (2 of 3 sign), arbiter {judges.arbiter}" in (
        report.notes
    )
    assert f"phase 0: holdout revealed by {life.owner.address} (the owner)" in report.notes
    assert any(n.startswith("notice period 604800 s") for n in report.notes)


def test_a_colluding_quorum_that_pays_itself_is_caught(life: Life) -> None:
    run_life(life)
    honest = life.rewards()
    thief = Address(Sender.from_key(life.w3, ANVIL_KEYS[8]).address)  # one of the oracles
    life.post_root(honest, leaves=(Leaf(thief, honest.total),))

    report = audit_challenge(life.platform, life.store, life.challenge_id)

    assert not report.ok
    (finding,) = report.findings
    assert finding.check == "rewards" and "phase 0" in finding.subject
    assert f"paying {honest.total}" in finding.detail
    assert report.checked["signatures"] == 4, "the quorum did sign it: only recomputing shows it"


def test_a_public_score_the_data_does_not_give_is_caught(life: Life) -> None:
    files = life.files
    life.submit(1, predictions(files, "baseline"))
    life.submit(2, predictions(files, "linear"))

    def flatter(items: list) -> list:  # type: ignore[type-arg]
        worse, better = items
        return [dataclasses.replace(worse, public_score=better.public_score), better]

    life.score_and_post(tamper=flatter)
    life.end_phase()

    report = audit_challenge(life.platform, life.store, life.challenge_id)

    assert [f.subject for f in report.findings] == ["submission #1"]
    assert "public score on chain" in report.findings[0].detail


def test_before_the_holdout_reveal_scores_wait_and_say_so(life: Life) -> None:
    life.submit(1, predictions(life.files, "linear"))
    life.score_and_post()

    report = audit_challenge(life.platform, life.store, life.challenge_id)

    assert report.ok
    assert report.checked["signatures"] == 2
    assert any("holdout not revealed yet" in note for note in report.notes)


def test_the_cli_exits_1_with_each_discrepancy_and_0_when_clean(life: Life) -> None:
    run_life(life)
    honest = life.rewards()
    leaves = tuple(dataclasses.replace(leaf, amount=leaf.amount + 1) for leaf in honest.leaves)
    life.post_root(honest, leaves=leaves)
    env = {
        "COOP_RPC_URL": life.w3.provider.endpoint_uri,  # type: ignore[attr-defined]
        "COOP_DATA_DIR": str(life.data_dir),
        "COOP_DEPLOYMENT": str(life.data_dir / "deployment.json"),
    }
    life.platform.deployment.save(life.data_dir / "deployment.json")
    runner = CliRunner()

    caught = runner.invoke(cli, ["audit", str(life.challenge_id)], env=env)
    as_json = runner.invoke(cli, ["audit", str(life.challenge_id), "--json"], env=env)
    unknown = runner.invoke(cli, ["audit", "99"], env=env)

    assert caught.exit_code == 1, caught.output
    assert "scores recomputed" in caught.stderr  # the progress bar's label (no TTY: no bar)
    assert "scores recomputed" not in as_json.stderr
    assert "FAILED: 1 discrepancy" in caught.output and "[rewards]" in caught.output
    assert f"coop rewards dispute {life.challenge_id} PHASE --reason-file" in caught.output
    data = json.loads(as_json.stdout)
    assert data["ok"] is False and data["findings"][0]["check"] == "rewards"
    assert unknown.exit_code == 2 and "challenge 99 does not exist" in unknown.output


def test_unknown_challenge_is_a_typed_error(life: Life) -> None:
    try:
        audit_challenge(life.platform, life.store, 42)
    except UnknownChallenge as exc:
        assert "known: 1" in str(exc)
    else:
        raise AssertionError("no error for an unknown challenge")


def test_invalid_submission_keeps_its_status_through_the_audit(life: Life) -> None:
    life.submit(3, b"id,prediction\n0,not-a-number\n")
    life.score_and_post()
    life.end_phase()
    report = audit_challenge(life.platform, life.store, life.challenge_id)
    ledger_status = life.batches[0][1][0].status
    assert ledger_status != Status.VALID
    assert report.ok and report.checked["scores"] == 1
