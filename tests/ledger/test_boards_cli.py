"""`coop leaderboard` and `coop profile` show what the ledger holds, for people and scripts."""

import json

import pytest
from click.testing import CliRunner
from lifecycle import Life, predictions

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.sender import Sender
from oracle.cli.main import cli
from oracle.types import PPM


@pytest.fixture
def env(life: Life) -> dict[str, str]:
    life.platform.deployment.save(life.data_dir / "deployment.json")
    return {
        "COOP_RPC_URL": life.w3.provider.endpoint_uri,  # type: ignore[attr-defined]
        "COOP_DATA_DIR": str(life.data_dir),
        "COOP_DEPLOYMENT": str(life.data_dir / "deployment.json"),
    }


def coop(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


def test_public_and_private_boards_rank_real_models(life: Life, env: dict[str, str]) -> None:
    alice = Sender.from_key(life.w3, ANVIL_KEYS[1]).address
    bob = Sender.from_key(life.w3, ANVIL_KEYS[2]).address
    code, before = coop(env, "leaderboard", str(life.challenge_id))
    assert code == 0 and "No scores yet" in before

    first = life.submit(1, predictions(life.files, "baseline"))
    life.submit(2, predictions(life.files, "linear"), parents=(first,), weights=(PPM,))
    life.score_and_post()
    code, out = coop(env, "leaderboard", str(life.challenge_id), "--json")
    (board,) = json.loads(out)["boards"]
    public = board["entries"]
    assert code == 0
    # rmse, lower is better: the linear model beats the mean
    assert [e["participant"] for e in public] == [bob, alice]
    assert float(public[0]["score"]) < float(public[1]["score"])  # rmse: ~60 vs ~85

    code, out = coop(env, "leaderboard", str(life.challenge_id), "--private")
    assert code == 0 and "Not opened yet" in out
    life.end_phase()
    code, out = coop(env, "leaderboard", str(life.challenge_id), "--private", "--json")
    (board,) = json.loads(out)["boards"]
    assert board["phase"] == 0 and board["opened"] is True
    assert [e["participant"] for e in board["entries"]] == [bob, alice]


def test_each_phase_has_its_own_boards_and_an_opened_one_stays(
    life: Life, env: dict[str, str]
) -> None:
    """Phase 1 is scored on another holdout split: its boards never mix with phase 0's,
    and phase 0's opened private board is still shown once phase 1 exists."""
    alice = Sender.from_key(life.w3, ANVIL_KEYS[1]).address
    bob = Sender.from_key(life.w3, ANVIL_KEYS[2]).address
    life.submit(1, predictions(life.files, "linear"))
    life.submit(2, predictions(life.files, "baseline"))
    life.score_and_post()
    life.end_phase()
    added = life.add_phase(100 * 10**18)
    life.travel_to(added.commit_start)
    late = life.submit(2, predictions(life.files, "linear"))  # bob, in phase 1 only
    life.score_and_post(phase=1)
    cid = str(life.challenge_id)

    code, out = coop(env, "leaderboard", cid, "--json")
    boards = json.loads(out)["boards"]
    assert code == 0 and [b["phase"] for b in boards] == [0, 1]
    assert [e["participant"] for e in boards[0]["entries"]] == [alice, bob]
    assert [(e["participant"], e["submission_id"]) for e in boards[1]["entries"]] == [(bob, late)]

    code, out = coop(env, "leaderboard", cid, "--private")
    assert code == 0
    assert f"Private leaderboard, challenge {cid} phase 0" in out
    assert f"Private leaderboard, challenge {cid} phase 1\n" in out
    phase0, phase1 = out.split(f"Private leaderboard, challenge {cid} phase 1")
    assert alice in phase0 and bob in phase0 and "Not opened yet" in phase1

    code, out = coop(env, "leaderboard", cid, "--phase", "1")
    assert code == 0 and f"Public leaderboard, challenge {cid} phase 1" in out
    assert "phase 0" not in out and alice not in out
    code, out = coop(env, "leaderboard", cid, "--phase", "2")
    assert code == 2 and "has no phase 2 (its phases: 0 to 1)" in out


def test_profile_shows_forks_and_improvements(life: Life, env: dict[str, str]) -> None:
    first = life.submit(1, predictions(life.files, "linear"))
    second = life.submit(2, predictions(life.files, "baseline"), parents=(first,), weights=(PPM,))
    life.score_and_post()
    alice = Sender.from_key(life.w3, ANVIL_KEYS[1]).address
    bob = Sender.from_key(life.w3, ANVIL_KEYS[2]).address

    code, out = coop(env, "profile", alice)
    assert code == 0
    assert f"#{first} challenge {life.challenge_id}: scored: VALID, built on by [{second}]" in out
    assert "improvements of a public best: 1" in out and "84 -> " in out
    code, out = coop(env, "profile", bob, "--json")
    data = json.loads(out)
    assert data["submissions"][0]["parents"] == [first]
    assert data["improvements"] == []  # the mean (~80 rmse) is worse than alice's ~55

    life.end_phase()
    report = life.rewards()
    life.post_root(report)
    code, out = coop(env, "profile", alice, "--json")
    (owed,) = json.loads(out)["owed"]
    (expected,) = [a.total for a in report.accounts if a.account == alice]
    assert owed == {"challenge_id": life.challenge_id, "phase": 0, "amount": str(expected),
                    "claimed": False}  # fmt: skip


def test_unknown_challenge_and_missing_address_say_what_to_do(env: dict[str, str]) -> None:
    code, out = coop(env, "leaderboard", "77")
    assert code == 2 and "challenge 77 does not exist on this deployment (known: 1)" in out
    code, out = coop(env, "profile")
    assert code == 2 and "pass an ADDRESS or --account NAME" in out
