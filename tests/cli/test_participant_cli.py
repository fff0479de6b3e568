"""A participant imports a key, submits a file (with a fork), resumes a reveal and reviews."""

import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit
from oracle.cli.main import cli
from oracle.cli.participant_cmd import parse_parents
from oracle.ipfs.importer import import_path


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=stdin)


def last_json(result: Result) -> Any:
    return json.loads(result.output.strip().splitlines()[-1])


def test_parse_parents_gives_exact_ppm() -> None:
    assert parse_parents(("12:0.7", "15")) == ((12, 15), (700_000, 300_000))
    assert parse_parents(("3", "1", "2")) == ((1, 2, 3), (333_334, 333_333, 333_333))
    assert parse_parents(("9:60%", "4:40%")) == ((4, 9), (400_000, 600_000))
    with pytest.raises(click.BadParameter, match="add up to 1.2"):
        parse_parents(("1:0.6", "2:0.6"))
    with pytest.raises(click.BadParameter, match="given twice"):
        parse_parents(("1", "1"))


def test_submit_fork_and_review_from_the_terminal(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    for name, key in (("alice", ANVIL_KEYS[1]), ("bob", ANVIL_KEYS[2])):
        result = run(cli_env, "account", "import", name, stdin=key + "\n")
        assert result.exit_code == 0, result.output
    listed = last_json(run(cli_env, "account", "list", "--json"))
    assert [a["name"] for a in listed] == ["alice", "bob"]

    predictions = tmp_path / "predictions.csv"
    predictions.write_text("id,prediction\n1,0.5\n2,0.25\n")
    first = run(cli_env, "submit", "1", str(predictions), "--account", "alice", "--json")
    assert first.exit_code == 0, first.output
    first_out = last_json(first)
    assert first_out["cid"] == str(import_path(predictions).cid)

    better = tmp_path / "better.csv"
    better.write_text("id,prediction\n1,0.6\n2,0.2\n")
    args = ("submit", "1", str(better), "--parent", str(first_out["submission_id"]))
    fork = run(cli_env, *args, "--account", "bob", "--json")
    assert fork.exit_code == 0, fork.output
    (event,) = [
        e for e in platform.book.events.Revealed().get_logs(from_block=0)
        if e["args"]["submissionId"] == last_json(fork)["submission_id"]
    ]  # fmt: skip
    assert event["args"]["parents"] == [first_out["submission_id"]]
    assert event["args"]["weightsPpm"] == [1_000_000]

    reviewed = run(
        cli_env, "review", str(first_out["submission_id"]), "approve", "--account", "bob"
    )
    assert reviewed.exit_code == 0, reviewed.output
    again = run(cli_env, "review", str(first_out["submission_id"]), "approve", "--account", "bob")
    assert again.exit_code == 2 and "AlreadyReviewed" in again.output
    assert "Traceback" not in again.output


def test_interrupted_submit_is_finished_by_coop_reveal(
    cli_env: dict[str, str], deployed: tuple[Platform, Path]
) -> None:
    platform, _ = deployed
    alice = Sender.from_key(platform.w3, ANVIL_KEYS[1])
    pending = commit(platform, alice, Path(cli_env["COOP_DATA_DIR"]), 1, "bafkreiinterrupted")
    env = dict(cli_env, COOP_PRIVATE_KEY=ANVIL_KEYS[1])
    result = run(env, "reveal", "--json")
    assert result.exit_code == 0, result.output
    assert last_json(result)["revealed"] == [pending.submission_id]
    assert platform.book.functions.getSubmission(pending.submission_id).call()[4] is True
    assert last_json(run(env, "reveal", "--json"))["revealed"] == []


def test_missing_account_and_dead_node_say_what_to_do(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    file = tmp_path / "p.csv"
    file.write_text("id,prediction\n")
    no_account = run(cli_env, "submit", "1", str(file))
    assert no_account.exit_code == 2 and "coop account new" in no_account.output
    dead = run(dict(cli_env, COOP_RPC_URL="http://127.0.0.1:1"), "submit", "1", str(file))
    assert dead.exit_code == 2 and "--rpc-url" in dead.output
