"""`coop team` on a real anvil chain: two participants form a team (each consents on chain),
then share one daily cap; refusals come back in words."""

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.chain.teams import form_team, read_team
from oracle.cli.main import cli
from oracle.errors import TransactionReverted
from oracle.indexer.runner import Indexer
from oracle.ipfs.embedded import EmbeddedStore
from tests.chain.chain_helpers import dev_challenge

ALICE, BOB = ANVIL_KEYS[1], ANVIL_KEYS[2]


def run(env: dict[str, str], key: str, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env={**env, "COOP_PRIVATE_KEY": key})


def test_two_participants_form_a_team_and_share_one_cap(
    deployed: tuple[Platform, Any], cli_env: dict[str, str], tmp_path: Path
) -> None:
    platform, _ = deployed
    challenge = dev_challenge(platform, 100_000, 200_000, daily_cap=1)
    alice = Sender.from_key(platform.w3, ALICE).address
    bob = Sender.from_key(platform.w3, BOB).address
    proposed = run(cli_env, ALICE, "team", "propose", str(challenge), "--member", f"{alice}:70",
                   "--member", f"{bob}:30", "--json")  # fmt: skip
    assert proposed.exit_code == 0, proposed.output
    team_id = json.loads(proposed.stdout)["team_id"]
    shown = run(cli_env, ALICE, "team", "show", str(team_id))
    assert "waiting for consents" in shown.output and "70%" in shown.output

    again = run(cli_env, ALICE, "team", "join", str(team_id))
    assert again.exit_code == 2 and "AlreadyConsented" in again.output
    joined = run(cli_env, BOB, "team", "join", str(team_id))
    assert joined.exit_code == 0 and "formed" in joined.output
    assert platform.book.functions.teamOf(challenge, alice).call() == team_id

    Sender.from_key(platform.w3, ALICE).transact(
        platform.book.functions.commit(challenge, b"a" * 32)
    )
    try:
        Sender.from_key(platform.w3, BOB).transact(
            platform.book.functions.commit(challenge, b"b" * 32)
        )
    except TransactionReverted as exc:
        assert "DailyCapReached" in str(exc)  # bob's commit counts against the team's cap
    else:
        raise AssertionError("bob committed past the team's shared cap")
    profile = run(cli_env, ALICE, "profile", bob)
    assert f"team {team_id} challenge {challenge} (formed): share 30%" in profile.output
    assert "1 submission by the team" in profile.output  # alice's commit is team work

    store = EmbeddedStore(tmp_path / "ipfs")
    indexer = Indexer(tmp_path / "index.sqlite3", platform, store, confirmations=0)
    indexer.catch_up()
    client = TestClient(create_app(ApiConfig(indexer.db_path, store.root, web_dir=None)))
    (shown_team,) = client.get(f"/v1/challenges/{challenge}/teams").json()["teams"]
    assert shown_team["formed"] is True and shown_team["team_id"] == team_id
    assert {m["address"]: m["share_ppm"] for m in shown_team["members"]} == {
        alice: 700_000,
        bob: 300_000,
    }
    assert len(shown_team["submission_ids"]) == 1


def test_a_team_with_shares_that_do_not_add_up_is_refused(
    deployed: tuple[Platform, Any], cli_env: dict[str, str]
) -> None:
    platform, _ = deployed
    alice = Sender.from_key(platform.w3, ALICE).address
    bob = Sender.from_key(platform.w3, BOB).address
    refused = run(cli_env, ALICE, "team", "propose", "1", "--member", f"{alice}:70",
                  "--member", f"{bob}:20")  # fmt: skip
    assert refused.exit_code == 2
    assert "TeamSharesDoNotSumToMillion" in refused.output and "add up to 100" in refused.output


def test_form_team_has_every_member_consent_in_one_call(
    deployed: tuple[Platform, Any],
) -> None:
    platform, _ = deployed
    members = [(Sender.from_key(platform.w3, k), s)
               for k, s in ((ANVIL_KEYS[3], 500_000), (ANVIL_KEYS[4], 250_000),
                            (ANVIL_KEYS[5], 250_000))]  # fmt: skip
    team_id = form_team(platform, 1, members)
    team = read_team(platform, team_id)
    assert team.formed and len(team.members) == 3
    assert all(platform.book.functions.teamOf(1, s.address).call() == team_id for s, _ in members)
