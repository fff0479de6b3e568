"""Two formed teams merge through `coop team` on a real anvil chain, one consent sent with
`cast` (an independent wallet client): the merged team shares one daily cap, the old teams
show as merged (CLI, ledger, API), and a merge over the cap for the days so far is refused
in words."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from fastapi.testclient import TestClient

from oracle.api.app import create_app
from oracle.api.config import ApiConfig
from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.chain.teams import form_team
from oracle.cli.main import cli
from oracle.errors import TransactionReverted
from oracle.indexer.runner import Indexer
from oracle.ipfs.embedded import EmbeddedStore
from oracle.ledger.replay import read_ledger
from tests.chain.chain_helpers import dev_challenge

KEYS = ANVIL_KEYS[3:7]  # two teams of two


def run(env: dict[str, str], key: str, *args: str) -> Any:
    return CliRunner().invoke(cli, list(args), env={**env, "COOP_PRIVATE_KEY": key})


def senders(platform: Platform) -> list[Sender]:
    return [Sender.from_key(platform.w3, k) for k in KEYS]


def commit(sender: Sender, platform: Platform, challenge: int, tag: bytes) -> None:
    sender.transact(platform.book.functions.commit(challenge, tag.ljust(32, b"\0")))


def propose_all(env: dict[str, str], people: list[Sender], challenge: int) -> int:
    """The first proposes the four as one team, 25% each; returns the proposal's id."""
    members = [arg for s in people for arg in ("--member", f"{s.address}:25")]
    proposed = run(env, KEYS[0], "team", "propose", str(challenge), *members, "--json")
    assert proposed.exit_code == 0, proposed.output
    return int(json.loads(proposed.stdout)["team_id"])


def test_two_formed_teams_merge_and_share_one_cap(
    deployed: tuple[Platform, Any], cli_env: dict[str, str], tmp_path: Path
) -> None:
    platform, _ = deployed
    challenge = dev_challenge(platform, 100_000, 200_000, daily_cap=3)
    a, b, c, d = senders(platform)
    first = form_team(platform, challenge, [(a, 500_000), (b, 500_000)])
    second = form_team(platform, challenge, [(c, 500_000), (d, 500_000)])
    commit(a, platform, challenge, b"a1")
    commit(c, platform, challenge, b"c1")

    merged = propose_all(cli_env, [a, b, c, d], challenge)
    assert run(cli_env, KEYS[1], "team", "join", str(merged)).exit_code == 0
    cast = shutil.which("cast")
    assert cast, "cast is not on PATH: `make setup` installs it from npm"
    sent = subprocess.run([cast, "send", platform.book.address, "joinTeam(uint256)", str(merged),
                           "--rpc-url", cli_env["COOP_RPC_URL"], "--private-key", KEYS[2]],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert sent.returncode == 0, sent.stderr
    last = run(cli_env, KEYS[3], "team", "join", str(merged))
    assert last.exit_code == 0, last.output
    assert f"formed: its members now share one daily cap; it took over team {first} and " \
        f"team {second}" in last.output  # fmt: skip

    shown = run(cli_env, KEYS[0], "team", "show", str(first))
    assert f"merged into team {merged}" in shown.output
    assert all(platform.book.functions.teamOf(challenge, s.address).call() == merged
               for s in (a, b, c, d))  # fmt: skip
    # Two commits came along, the cap is 3: one more, then the shared cap is full.
    commit(d, platform, challenge, b"d1")
    try:
        commit(b, platform, challenge, b"b1")
    except TransactionReverted as exc:
        assert "DailyCapReached" in str(exc)
    else:
        raise AssertionError("b committed past the merged team's shared cap")

    ledger = read_ledger(platform)
    assert ledger.teams[first].merged_into == merged == ledger.teams[second].merged_into
    assert ledger.teams[merged].merged_into is None
    assert ledger.teams[merged].combined_submissions == 2

    store = EmbeddedStore(tmp_path / "ipfs")
    indexer = Indexer(tmp_path / "index.sqlite3", platform, store, confirmations=0)
    indexer.catch_up()
    client = TestClient(create_app(ApiConfig(indexer.db_path, store.root, web_dir=None)))
    teams = {t["team_id"]: t for t in
             client.get(f"/v1/challenges/{challenge}/teams").json()["teams"]}  # fmt: skip
    assert teams[first]["merged_into"] == merged == teams[second]["merged_into"]
    assert teams[merged]["merged_into"] is None and teams[merged]["formed"] is True
    assert len(teams[merged]["members"]) == 4


def test_a_merge_over_the_cap_for_the_days_so_far_is_refused_in_words(
    deployed: tuple[Platform, Any], cli_env: dict[str, str]
) -> None:
    platform, _ = deployed
    challenge = dev_challenge(platform, 100_000, 200_000, daily_cap=1)
    a, b, c, d = senders(platform)
    first = form_team(platform, challenge, [(a, 500_000), (b, 500_000)])
    second = form_team(platform, challenge, [(c, 500_000), (d, 500_000)])
    commit(a, platform, challenge, b"a1")  # each team used its one commit of day 1
    commit(d, platform, challenge, b"d1")

    merged = propose_all(cli_env, [a, b, c, d], challenge)
    for key in KEYS[1:3]:
        assert run(cli_env, key, "team", "join", str(merged)).exit_code == 0
    refused = run(cli_env, KEYS[3], "team", "join", str(merged))
    assert refused.exit_code == 2
    assert f"TeamOverCap(teamId={merged}, combinedSubmissions=2, allowed=1)" in refused.output
    assert "together you committed more than the cap allows for the days so far" in refused.output
    assert platform.book.functions.teamOf(challenge, a.address).call() == first
    assert platform.book.functions.teamOf(challenge, d.address).call() == second

    # Part of a formed team cannot be taken: the refusal names the member left out.
    outsider = ANVIL_KEYS[7]
    e = Sender.from_key(platform.w3, outsider)
    partial = run(cli_env, KEYS[0], "team", "propose", str(challenge), "--member",
                  f"{a.address}:50", "--member", f"{e.address}:50", "--json")  # fmt: skip
    partial_id = int(json.loads(partial.stdout)["team_id"])
    left_out = run(cli_env, outsider, "team", "join", str(partial_id))
    assert left_out.exit_code == 2
    expected = f"MergeLeavesOutMember(teamId={first}, member={b.address})"
    assert expected.lower() in left_out.output.lower()
    assert "a formed team merges whole" in left_out.output
