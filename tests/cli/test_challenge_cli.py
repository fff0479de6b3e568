"""An owner publishes a challenge, adds a phase, watches it and reveals the holdout with `coop`."""

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from eth_utils.crypto import keccak
from owner_world import COMMIT_SECONDS, REVEAL_SECONDS, OwnerWorld, last_json, make_world

from oracle.chain.anvil import Anvil
from oracle.chain.challenges import call_struct
from oracle.ipfs.importer import import_bytes
from oracle.ipfs.kubo import KuboStore
from oracle.ipfs.kubo_daemon import KuboDaemon
from oracle.scoring.commitment import holdout_commitment
from oracle.spec import load_spec
from oracle.types import WAD


@pytest.fixture
def world(anvil: Anvil, tmp_path: Path) -> OwnerWorld:
    return make_world(anvil, tmp_path)


def test_create_escrows_uploads_and_keeps_the_holdout_secret(world: OwnerWorld) -> None:
    before = world.balance(world.owner.address)
    created = world.create("--bounty", "1500")
    assert created["challenge_id"] == 1 and created["phase"] == 0
    p = world.platform
    (event,) = p.registry.events.ChallengeCreated().get_logs(from_block=0)
    assert event["args"]["specCid"] == created["spec_cid"]
    assert event["args"]["config"]["quorum"] == 2 and len(event["args"]["config"]["oracles"]) == 3
    assert world.balance(world.owner.address) == before - 1500 * WAD
    assert p.vault.functions.escrowBalance(1).call() == 1500 * WAD

    # the public files and the spec are in IPFS; the labels are not
    store = world.store
    uploaded = load_spec(store.cat(created["spec_cid"]))
    for cid in (uploaded.data.train, uploaded.data.test_features):
        assert store.has(cid) and cid in store.pins()
    assert not store.has(str(import_bytes(world.files["labels.csv"]).cid))

    secret_path = Path(created["holdout_secret"])
    assert stat.S_IMODE(secret_path.stat().st_mode) == 0o600
    secret = json.loads(secret_path.read_text())
    salt = bytes.fromhex(secret["split_salt"][2:])
    assert uploaded.salt_hash == "0x" + keccak(salt).hex()
    labels_copy = secret_path.parent / secret["labels_file"]
    assert labels_copy.read_bytes() == world.files["labels.csv"]
    assert stat.S_IMODE(labels_copy.stat().st_mode) == 0o600
    phase = call_struct(p.registry.functions.getPhase(1, 0))
    assert phase["holdoutCommitment"] == holdout_commitment(world.files["labels.csv"], salt)
    assert phase["commitEnd"] - phase["commitStart"] == COMMIT_SECONDS
    assert phase["revealEnd"] - phase["commitEnd"] == REVEAL_SECONDS
    assert not list(secret_path.parent.glob("pending-*"))


def test_with_kubo_configured_the_data_is_pinned_on_the_node_too(
    world: OwnerWorld, kubo: KuboDaemon
) -> None:
    created = world.create(COOP_IPFS_BACKEND="kubo", COOP_KUBO_API=kubo.api_url)
    node = KuboStore(kubo.api_url)
    spec = load_spec(node.cat(created["spec_cid"]))
    for cid in (created["spec_cid"], spec.data.train, spec.data.test_features):
        query = {"arg": cid, "type": "recursive"}
        pinned = httpx.post(f"{kubo.api_url}/api/v0/pin/ls", params=query)
        assert pinned.status_code == 200 and cid in pinned.text
    assert world.store.has(created["spec_cid"])  # the embedded store keeps its copy


def test_human_output_says_what_to_do_next(world: OwnerWorld) -> None:
    result = world.coop("challenge", "create", str(world.spec), "--data", str(world.data))
    assert result.exit_code == 0, result.output
    assert "Created challenge 1 (phase 0)." in result.output
    assert "coop challenge reveal-holdout 1 --phase 0" in result.output
    assert "… uploading the spec" in result.output  # progress, on stderr


def _labels_without_first_row(world: OwnerWorld) -> None:
    lines = world.files["labels.csv"].decode().splitlines(keepends=True)
    (world.data / "labels.csv").write_text("".join([lines[0], *lines[2:]]))


def _labels_with_extra_row(world: OwnerWorld) -> None:
    (world.data / "labels.csv").write_bytes(world.files["labels.csv"] + b"999999,1.5\n")


def _labels_not_numbers(world: OwnerWorld) -> None:
    text = world.files["labels.csv"].decode().splitlines()
    first_id = text[1].split(",")[0]
    text[1] = f"{first_id},high"
    (world.data / "labels.csv").write_text("\n".join(text) + "\n")


def _bad_direction(world: OwnerWorld) -> None:
    world.spec.write_text(world.spec.read_text().replace('"lower"', '"sideways"'))


def _missing_train_file(world: OwnerWorld) -> None:
    (world.data / "train.csv").unlink()


def _sample_that_does_not_score(world: OwnerWorld) -> None:
    spec = json.loads(world.spec.read_text())
    sample = b"id,prediction\n0,1.0\n"
    (world.data / "sample_submission.csv").write_bytes(sample)
    spec["data"]["public"]["sample_submission"] = str(import_bytes(sample).cid)
    world.spec.write_text(json.dumps(spec))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (_bad_direction, "at direction: 'sideways' is not one of"),
        (_missing_train_file, "the spec pins data.train = bafkrei"),
        (_labels_without_first_row, "1 test row(s) have no label (e.g. '0')"),
        (_labels_with_extra_row, "1 label(s) are for rows not in test_features (e.g. '999999')"),
        (_labels_not_numbers, "the labels file is unusable"),
        (_sample_that_does_not_score, "the sample submission"),
    ],
)
def test_create_refuses_bad_input_before_sending(world: OwnerWorld, spoil, message) -> None:  # type: ignore[no-untyped-def]
    spoil(world)
    result = world.coop("challenge", "create", str(world.spec), "--data", str(world.data))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert world.platform.registry.functions.challengeCount().call() == 0


def test_create_refuses_a_bounty_the_owner_does_not_hold(world: OwnerWorld) -> None:
    result = world.coop("challenge", "create", str(world.spec), "--data", str(world.data),
                        "--bounty", "20000")  # fmt: skip
    assert result.exit_code == 2
    assert "COOP, the bounty needs 20000: get more tokens" in result.output  # tokens, not wei
    bad_quorum = world.coop("challenge", "create", str(world.spec), "--data", str(world.data),
                            "--quorum", "4")  # fmt: skip
    assert (
        bad_quorum.exit_code == 2 and "quorum 4 is impossible with 3 oracle(s)" in bad_quorum.output
    )
    assert world.platform.registry.functions.challengeCount().call() == 0


def test_create_names_an_arbiter_other_than_the_owner_and_a_notice_period(
    world: OwnerWorld,
) -> None:
    """Issue 13, point 2: the arbiter no longer defaults to the owner; the notice period
    before new judges apply is part of the challenge."""
    world.create("--notice-period", "3d")
    (event,) = world.platform.registry.events.ChallengeCreated().get_logs(from_block=0)
    config = event["args"]["config"]
    assert config["arbiter"] == world.arbiter.address != world.owner.address
    assert config["noticePeriod"] == 3 * 86400
    status = world.coop("challenge", "status", "1")
    assert f"arbiter {world.arbiter.address}" in status.stdout
    assert (
        "notice period 3 d: a new phase, new oracles or a new arbiter apply only" in status.stdout
    )
    assert f"judged by oracle set version 1 (2 of 3 sign), arbiter {world.arbiter.address}" in (
        status.stdout
    )


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--dispute-window", "1m", "a dispute window of 60 s is out of range: use 300 s"),
        ("--dispute-bond", "5", "more than the 1000000000000000000 wei a participant can"),
        ("--notice-period", "1h", "a notice period of 3600 s is out of range: use 86400 s"),
        ("--arbiter", "0x" + "00" * 20, "is the zero address (--arbiter)"),
        ("--arbiter", "0x70997970c51812dc3A010C7d01b50e0d17dc79C8", "does not match its EIP-55"),
    ],
)
def test_create_refuses_parameters_out_of_the_registrys_bounds(
    world: OwnerWorld, option: str, value: str, message: str
) -> None:
    """Issue 13, point 6: each bound is said before anything is sent."""
    result = world.coop("challenge", "create", str(world.spec), "--data", str(world.data),
                        option, value)  # fmt: skip
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert world.platform.registry.functions.challengeCount().call() == 0


def test_reveal_holdout_waits_for_the_reveal_end_then_publishes_the_labels(
    world: OwnerWorld,
) -> None:
    created = world.create()
    early = world.coop("challenge", "reveal-holdout", "1")
    assert early.exit_code == 2
    reveal_end = created["reveal_end"]
    opens = datetime.fromtimestamp(reveal_end + 1, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    assert "too early: the holdout of challenge 1 phase 0 can be revealed" in early.output
    assert opens in early.output and "(in 33 min" in early.output

    world.travel(COMMIT_SECONDS + REVEAL_SECONDS + 5)
    done = world.coop("challenge", "reveal-holdout", "1", "--json")
    assert done.exit_code == 0, done.output
    out = last_json(done)
    assert world.store.cat(out["labels_cid"]) == world.files["labels.csv"]
    (event,) = world.platform.registry.events.HoldoutRevealed().get_logs(from_block=0)
    assert event["args"]["labelsCid"] == out["labels_cid"]
    again = world.coop("challenge", "reveal-holdout", "1", "--phase", "0")
    assert again.exit_code == 2 and "revealed already" in again.output


def test_reveal_holdout_without_the_secret_says_where_it_should_be(world: OwnerWorld) -> None:
    world.create()
    world.travel(COMMIT_SECONDS + REVEAL_SECONDS + 5)
    elsewhere = world.coop("challenge", "reveal-holdout", "1",
                           COOP_DATA_DIR=str(world.root / "another"))  # fmt: skip
    assert elsewhere.exit_code == 2
    assert "no holdout secret in" in elsewhere.output and "same COOP_DATA_DIR" in elsewhere.output
    assert not world.platform.registry.functions.getPhase(1, 0).call()[3]


def test_add_phase_and_status(world: OwnerWorld) -> None:
    """Issue 15, point 1: a later phase changes the figure of merit (MAE, a new baseline,
    target and eta) and opens a notice period after it is announced."""
    created = world.create("--bounty", "1000")
    mae = world.root / "mae.json"
    mae.write_text(
        world.spec.read_text()
        .replace('{"name": "rmse"}', '{"name": "mae"}')
        .replace('"baseline": "84"', '"baseline": "70"')
        .replace('"target": "50"', '"target": "40"')
        .replace('"eta": "0.01"', '"eta": "0.05"')
    )
    added = world.coop("challenge", "add-phase", "1", str(mae), "--data", str(world.data),
                       "--top-up", "500", "--commit-for", "2h", "--json")  # fmt: skip
    assert added.exit_code == 0, added.output
    phase1 = last_json(added)
    assert phase1["phase"] == 1 and phase1["bounty"] == str(500 * WAD)
    status = world.coop("challenge", "status", "1", "--json")
    assert status.exit_code == 0, status.output
    s = last_json(status)
    # after phase 0's reveals close and at least the notice period after it was announced
    assert phase1["commit_start"] >= created["reveal_end"]
    assert phase1["commit_start"] >= s["now"] + s["notice_period"] - 60
    assert phase1["commit_end"] - phase1["commit_start"] == 7200

    assert s["bounty"] == str(1500 * WAD) and s["escrow_balance"] == str(1500 * WAD)
    assert s["quorum"] == 2 and len(s["oracles"]) == 3 and s["open_phases"] == [0]
    assert [p["stage"] for p in s["phases"]] == ["commit", "upcoming"]
    assert s["title"].startswith("Diabetes progression")
    assert s["phases"][1]["spec_cid"] == phase1["spec_cid"] and s["phases"][0]["root"] is None
    first, second = s["phases"]
    assert (first["baseline"], first["target"], first["eta"]) == (
        str(84 * WAD),
        str(50 * WAD),
        str(WAD // 100),
    )
    assert (second["baseline"], second["target"], second["eta"]) == (
        str(70 * WAD), str(40 * WAD), str(WAD // 20))  # fmt: skip
    assert first["higher_is_better"] is False and second["higher_is_better"] is False
    onchain = call_struct(world.platform.registry.functions.getPhase(1, 1))
    assert onchain["higherIsBetter"] is False and onchain["eta"] == WAD // 20  # fixed on chain

    text = world.coop("challenge", "status", "1")
    assert "Phase 0: commit — next: commits close" in text.output
    assert "Phase 1: upcoming — next: commits open" in text.output
    assert "judged by rmse, lower is better, baseline 84, target 50, eta 0.01" in text.output
    assert "judged by mae, lower is better, baseline 70, target 40, eta 0.05" in text.output
    assert "changed: first phase" in text.output
    assert (
        "changed: metric rmse -> mae; baseline 84 -> 70; target 50 -> 40; eta 0.01 -> 0.05"
        in text.output
    )
    assert "best: public none yet, private none yet" in text.output
    assert second["metric"] == "mae" and second["changed"][0] == "metric rmse -> mae"
    assert "oracles (2 of 3 sign)" in text.output

    world.travel(phase1["commit_start"] - s["now"] + 5)
    later = last_json(world.coop("challenge", "status", "1", "--json"))
    assert [p["stage"] for p in later["phases"]] == ["awaiting-holdout", "commit"]


def test_add_phase_refuses_changed_limits_too_soon_and_too_much_bounty(world: OwnerWorld) -> None:
    created = world.create("--bounty", "1000")
    other = world.root / "other.json"
    other.write_text(world.spec.read_text().replace('"daily_cap": 5', '"daily_cap": 2'))
    changed = world.coop("challenge", "add-phase", "1", str(other), "--data", str(world.data))
    assert changed.exit_code == 2
    assert "limits.daily_cap: spec 2, challenge 5" in changed.output
    assert "keeps the challenge's commit limits" in changed.output
    soon = world.coop("challenge", "add-phase", "1", str(world.spec), "--data", str(world.data),
                      "--start", str(created["reveal_end"]))  # fmt: skip
    assert soon.exit_code == 2, soon.output
    assert "less than the challenge's notice period" in soon.output
    greedy = world.coop("challenge", "add-phase", "1", str(world.spec), "--data",
                        str(world.data), "--bounty", "10")  # fmt: skip
    assert greedy.exit_code == 2 and "is more than the 0 not yet given" in greedy.output
    assert world.platform.registry.functions.getChallenge(1).call()[7] == 1  # one phase


def test_status_of_an_unknown_challenge(world: OwnerWorld) -> None:
    result = world.coop("challenge", "status", "7")
    assert result.exit_code == 2
    assert "challenge 7 does not exist on this deployment (none yet)" in result.output
