"""Which account signs (one rule, said aloud), what `coop submit` refuses before its first
transaction, and `coop reveal` giving up commits that can never be revealed."""

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from eth_account import Account
from web3 import Web3

from oracle.chain.anvil import ANVIL_KEYS
from oracle.chain.platform import Platform
from oracle.chain.sender import Sender
from oracle.chain.submissions import commit
from oracle.cli.main import cli
from oracle.devnet.chain import reach_chain_time
from tests.chain.chain_helpers import dev_challenge

ALICE, BOB = ANVIL_KEYS[1], ANVIL_KEYS[2]


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, input=stdin)


def last_json(result: Result) -> Any:
    return json.loads(result.output.strip().splitlines()[-1])


def address(key: str) -> str:
    return str(Account.from_key(key).address)


def count(platform: Platform) -> int:
    return int(platform.book.functions.submissionCount().call())


def predictions(tmp_path: Path) -> Path:
    path = tmp_path / "predictions.csv"
    path.write_text("id,prediction\n1,0.5\n2,0.25\n")
    return path


def test_an_explicit_account_wins_over_an_exported_key_and_the_command_says_who_signs(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    assert run(cli_env, "account", "import", "bob", stdin=BOB + "\n").exit_code == 0
    env = dict(cli_env, COOP_PRIVATE_KEY=ALICE)  # participant.md's export
    done = run(env, "submit", "1", str(predictions(tmp_path)), "--account", "bob", "--json")
    assert done.exit_code == 0, done.output
    submission = last_json(done)["submission_id"]
    assert platform.book.functions.getSubmission(submission).call()[0] == address(BOB)
    assert f"signing as {address(BOB)}" in done.output
    assert "from --account; COOP_PRIVATE_KEY is ignored" in done.output

    by_key = run(env, "review", str(submission), "approve")
    assert by_key.exit_code == 0, by_key.output
    assert f"signing as {address(ALICE)} (the raw key in COOP_PRIVATE_KEY)" in by_key.output

    both = run(dict(env, COOP_ACCOUNT="bob"), "submit", "1", str(predictions(tmp_path)))
    assert both.exit_code == 2
    assert "both a keystore account (bob" in both.output and "--account NAME" in both.output
    assert count(platform) == submission, "nothing was sent"


def test_submit_refuses_before_the_commit_what_the_reveal_would_refuse(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    env = dict(cli_env, COOP_PRIVATE_KEY=ALICE)
    file = predictions(tmp_path)
    data_dir = Path(cli_env["COOP_DATA_DIR"])

    unknown = run(env, "submit", "1", str(file), "--parent", "7")
    assert unknown.exit_code == 2
    assert "parent 7 is not a submission (ids go from 1 to 0)" in unknown.output

    hidden = commit(platform, Sender.from_key(platform.w3, BOB), tmp_path / "bob", 1, "bafkreib")
    unrevealed = run(env, "submit", "1", str(file), "--parent", str(hidden.submission_id))
    assert unrevealed.exit_code == 2
    assert f"parent {hidden.submission_id} is committed but not revealed" in unrevealed.output
    assert count(platform) == 1, "only bob's commit: no daily commit of alice was spent"
    assert not list((data_dir / "pending").glob("*.json")), "no pending reveal left behind"

    assert run(cli_env, "account", "new", "pauper").exit_code == 0
    poor = run(cli_env, "submit", "1", str(file), "--account", "pauper")
    assert poor.exit_code == 2 and "holds 0 ETH" in poor.output
    assert "coop account fund" in poor.output
    mistyped = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8"  # anvil's second, one case changed
    held = platform.w3.eth.get_balance(address(ALICE))
    typo = run(cli_env, "account", "fund", mistyped, "--eth", "1", "--tokens", "0")
    assert typo.exit_code == 2 and "does not match its EIP-55 checksum" in typo.output
    assert platform.w3.eth.get_balance(address(ALICE)) == held, "nothing was sent"

    end = platform.registry.functions.getPhase(1, 0).call()[1]
    reach_chain_time(platform.w3, end + 1)
    closed = run(env, "submit", "1", str(file))
    assert closed.exit_code == 2 and "commits to challenge 1 are closed" in closed.output
    assert " UTC (" in closed.output, "a date, not unix seconds"
    assert count(platform) == 1


def test_the_daily_cap_is_checked_first_and_named_with_a_date(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    dev_challenge(platform, 5000, 9000, daily_cap=1)
    env = dict(cli_env, COOP_PRIVATE_KEY=ALICE)
    assert run(env, "submit", "2", str(predictions(tmp_path))).exit_code == 0
    capped = run(env, "submit", "2", str(predictions(tmp_path)))
    assert capped.exit_code == 2
    assert "DailyCapReached" in capped.output and "daily commit cap" in capped.output
    assert " UTC" in capped.output and "nextCommitAt=1" not in capped.output
    assert count(platform) == 1


def test_reveal_drops_what_can_never_be_revealed_and_drops_on_request(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    data_dir = Path(cli_env["COOP_DATA_DIR"])
    alice = Sender.from_key(platform.w3, ALICE)
    env = dict(cli_env, COOP_PRIVATE_KEY=ALICE)
    parent = commit(platform, alice, data_dir, 1, "bafkreiparent")  # never revealed
    orphan = commit(platform, alice, data_dir, 1, "bafkreichild", (parent.submission_id,),
                    (1_000_000,))  # fmt: skip
    assert parent.submission_id is not None and orphan.submission_id is not None

    kept = run(env, "reveal", "--drop", str(parent.submission_id), "--json")
    assert kept.exit_code == 0, kept.output
    assert last_json(kept) == {
        "revealed": [], "dropped": [parent.submission_id, orphan.submission_id],
        "not_revealed": [],
    }  # fmt: skip
    assert "you asked to drop it (--drop)" in kept.output
    assert f"its parent {parent.submission_id} was not revealed before this commit" in kept.output
    dropped = sorted(p.name for p in (data_dir / "pending" / "dropped").glob("*.json"))
    assert len(dropped) == 2, "moved aside, not deleted"
    assert not list((data_dir / "pending").glob("*.json"))

    late = commit(platform, alice, data_dir, 1, "bafkreilate")
    reveal_end = platform.registry.functions.getPhase(1, 0).call()[2]
    reach_chain_time(platform.w3, reveal_end + 1)
    result = run(env, "reveal", "--json")
    assert result.exit_code == 0, result.output
    assert last_json(result)["dropped"] == [late.submission_id]
    assert f"the reveal window of submission {late.submission_id} closed" in result.output
    assert Web3.to_checksum_address(late.submitter) == alice.address


def test_a_licence_the_platform_does_not_know_is_refused_before_anything_is_sent(
    cli_env: dict[str, str], deployed: tuple[Platform, Path], tmp_path: Path
) -> None:
    platform, _ = deployed
    before = count(platform)
    env = dict(cli_env, COOP_PRIVATE_KEY=ALICE)
    refused = run(env, "submit", "1", str(predictions(tmp_path)), "--licence", "WTFPL")
    assert refused.exit_code != 0
    assert "'WTFPL' is not a licence this platform knows; use one of CC0-1.0, MIT" in (
        refused.output
    )
    assert count(platform) == before
