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
    public = json.loads(out)["entries"]
    assert code == 0
    # rmse, lower is better: the linear model beats the mean
    assert [e["participant"] for e in public] == [bob, alice]
    assert float(public[0]["score"]) < float(public[1]["score"])  # rmse: ~60 vs ~85

    code, out = coop(env, "leaderboard", str(life.challenge_id), "--private")
    assert code == 0 and "opened after the phase's reveal end" in out
    life.end_phase()
    code, out = coop(env, "leaderboard", str(life.challenge_id), "--private", "--json")
    private = json.loads(out)["entries"]
    assert [e["participant"] for e in private] == [bob, alice]


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
